"""In-silico trials: endpoints against hand calculations, reproducible randomisation, the
analyses against direct statistics, power by simulation, and one-line errors."""

import copy
import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from pandas.testing import assert_frame_equal
from scipy import stats

from opioidsim.errors import ConfigError
from opioidsim.trials import load_trial, run_trial
from opioidsim.trials.design import Endpoint
from opioidsim.trials.simulate import allocate, endpoint_values, observe, simulate_raw
from opioidsim.trials.statistics import sample_size_for

#: Endpoints on a piecewise-linear series are exact up to float rounding.
EXACT_RTOL = 1e-12
#: After a 2-day run-in the endogenous system is at rest (its slowest binding time constant
#: is under an hour), so a placebo period's mean equals the baseline to the solver's rtol
#: (1e-6) times the few hundred steps between them.
STEADY_RTOL = 1e-3

NALTREXONE = [
    {
        "drug": "naltrexone",
        "amount": "50 mg",
        "route": "oral",
        "time": "0 h",
        "every": "24 h",
        "count": 2,
    }
]
CROSSOVER = {
    "name": "small crossover",
    "subject": {"species": "human", "sex": "female", "body_weight": "65 kg"},
    "output_interval": "2 h",
    "seed": 4,
    "population": {"seed": 8, "variability": [{"parameter": "naltrexone.clearance", "cv": 0.3}]},
    "design": {
        "kind": "crossover",
        "subjects": 6,
        "run_in": "2 d",
        "period": "2 d",
        "washout": "2 d",
        "arms": [{"name": "naltrexone", "doses": NALTREXONE}, {"name": "placebo"}],
    },
    "endpoints": [
        {
            "name": "signal",
            "observable": "mu_receptor.stimulus",
            "statistic": "mean",
            "window": ["1 d", "2 d"],
            "relative_to_baseline": True,
            "noise": {"within_subject_sd": 20, "between_subject_sd": 10},
        },
        {
            "name": "low_days",
            "observable": "mu_receptor.stimulus",
            "statistic": "fraction_of_days",
            "window": ["0 d", "2 d"],
            "relative_to_baseline": True,
            "threshold": 50,
            "direction": "below",
        },
    ],
    "analysis": {"primary": "signal", "control": "placebo", "method": "paired"},
}


def _trial(**changes):
    data = copy.deepcopy(CROSSOVER)
    for path, value in changes.items():
        target = data
        keys = path.split("__")
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return data


@pytest.fixture(scope="module")
def crossover_run():
    return run_trial(CROSSOVER)


# --------------------------------------------------------------------------- endpoints


def _endpoint(**fields):
    return Endpoint.model_validate({"name": "e", "observable": "x", **fields})


T = np.arange(0.0, 49.0, 1.0)
Y = np.where(T < 24, T, 48 - T)  # a tent: up to 24 at 24 h, back to 0 at 48 h


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"statistic": "mean", "window": ["0 h", "48 h"]}, 12.0),
        ({"statistic": "auc", "window": ["0 h", "48 h"]}, 576.0),
        ({"statistic": "peak", "window": ["10 h", "20 h"]}, 20.0),
        ({"statistic": "value_at", "window": ["0 h", "48 h"], "at": "30.5 h"}, 17.5),
        # Above 12 from 12 h to 36 h, found between grid points by linear interpolation.
        ({"statistic": "time_above", "window": ["0 h", "48 h"], "threshold": 12.5}, 23.0),
        (
            {
                "statistic": "time_above",
                "window": ["0 h", "48 h"],
                "threshold": 12.5,
                "direction": "below",
            },
            25.0,
        ),
    ],
)
def test_endpoint_statistics_match_the_tent_function_by_hand(fields, expected):
    assert_allclose(
        endpoint_values(_endpoint(**fields), T, Y, 0.0, math.nan), [expected], rtol=EXACT_RTOL
    )


def test_fraction_of_days_gives_each_days_mean_and_relative_values_are_percent_of_baseline():
    endpoint = _endpoint(
        statistic="fraction_of_days",
        window=["0 h", "48 h"],
        threshold=1.0,
        relative_to_baseline=True,
    )
    assert_allclose(endpoint_values(endpoint, T, Y, 0.0, 12.0), [100.0, 100.0], rtol=EXACT_RTOL)


def test_windows_are_relative_to_the_period_start():
    endpoint = _endpoint(statistic="value_at", window=["0 h", "10 h"], at="5 h")
    assert_allclose(endpoint_values(endpoint, T, Y, 20.0, math.nan), [23.0], rtol=EXACT_RTOL)


# --------------------------------------------------------------------------- design


def test_permuted_blocks_balance_every_block_and_repeat_with_the_seed():
    spec = load_trial(_trial(design__subjects=12, design__block_size=4))
    order = allocate(spec, 0)
    assert all(
        np.bincount(order[k : k + 4], minlength=2).tolist() == [2, 2] for k in range(0, 12, 4)
    )
    assert np.array_equal(order, allocate(spec, 0))
    assert not np.array_equal(order, allocate(spec, 1))


def test_crossover_timeline_shifts_each_arms_doses_to_its_period():
    from opioidsim.trials.simulate import sequence_scenarios

    scenarios = sequence_scenarios(load_trial(CROSSOVER))
    starts = [[r.time_h for r in s.dose_records()] for s in scenarios]
    # naltrexone first: days 1 and 2 of period 1 (48 h run-in); naltrexone second: period 2
    # starts at 48 + 48 + 48 = 144 h.
    assert starts == [[48.0, 72.0], [144.0, 168.0]]


LAB_TASK = {"kind": "social_contact", "time": "30 h", "duration": "30 min", "intensity": 1}
DAILY_CONTACT = {
    "kind": "social_contact", "time": "11 h", "duration": "1 h", "intensity": 0.5,
    "every": "24 h", "count": 8,
}  # fmt: skip


def test_arm_events_move_with_their_period_and_trial_events_span_the_timeline():
    from opioidsim.trials.simulate import sequence_scenarios

    arms = [
        {"name": "naltrexone", "doses": NALTREXONE, "events": [LAB_TASK]},
        {"name": "placebo", "events": [LAB_TASK]},
    ]
    spec = load_trial(_trial(design__arms=arms, events=[DAILY_CONTACT]))
    for scenario in sequence_scenarios(spec):
        records = scenario.event_records()
        daily = [r.time_h for r in records if r.intensity == 0.5]
        lab = [r.time_h for r in records if r.intensity == 1.0]
        # 8 days of the 8-day timeline (2 d run-in, two 2-d periods, 2-d washout)
        assert daily == [11.0 + 24 * d for d in range(8)]
        # period starts at 48 h and 144 h: the lab task 30 h into each
        assert lab == [78.0, 174.0]


def test_bad_trial_and_arm_events_name_their_field():
    bad = dict(LAB_TASK, intensity=-1)
    with pytest.raises(ConfigError) as error:
        run_trial(_trial(events=[bad]))
    assert str(error.value).startswith("trial.events[0].intensity: got -1;")
    arms = [{"name": "naltrexone", "doses": NALTREXONE, "events": [bad]}, {"name": "placebo"}]
    with pytest.raises(ConfigError) as error:
        run_trial(_trial(design__arms=arms))
    assert str(error.value).startswith("trial.design.arms[0].events[0].intensity: got -1;")


def test_naltrexone_lowers_the_mu_signal_and_a_short_washout_carries_it_over(crossover_run):
    table = crossover_run.endpoints
    signal = table[table["endpoint"] == "signal"]
    on_drug = signal[signal["arm"] == "naltrexone"]["true_value"]
    placebo = signal[signal["arm"] == "placebo"]
    first = placebo[placebo["period"] == 0]["true_value"]
    after_drug = placebo[placebo["period"] == 1]["true_value"]
    assert len(first) > 0 and len(after_drug) > 0
    assert (on_drug < 50).all()
    assert_allclose(first, 100.0, rtol=STEADY_RTOL)
    # 2 days after the last dose naltrexone still holds mu receptors: carry-over, simulated.
    assert (after_drug < 100.0 * (1 - 10 * STEADY_RTOL)).all()
    low = table[(table["endpoint"] == "low_days")]
    assert (low[low["arm"] == "naltrexone"]["value"] == 1.0).all()
    assert (low[(low["arm"] == "placebo") & (low["period"] == 0)]["value"] == 0.0).all()


def test_the_same_seed_gives_the_same_trial_for_any_chunking():
    spec = load_trial(CROSSOVER)
    one = simulate_raw(spec, 1, chunk_size=6)
    two = simulate_raw(spec, 1, chunk_size=4)
    assert_frame_equal(one, two)
    assert_frame_equal(observe(spec, one), observe(spec, two))


def test_another_trial_seed_changes_randomisation_and_noise_not_the_subjects():
    a = simulate_raw(load_trial(CROSSOVER), 1)
    b = simulate_raw(load_trial(_trial(seed=5)), 1)
    per_subject = ["subject", "arm", "endpoint", "day"]
    merged = a.merge(b, on=per_subject, suffixes=("_a", "_b"))
    assert not np.array_equal(a["sequence"], b["sequence"])
    # A subject on the same arm in the same period has the same true values.
    same = merged[merged["period_a"] == merged["period_b"]]
    assert len(same) > 0
    assert_allclose(same["true_value_a"], same["true_value_b"], rtol=EXACT_RTOL)


def test_dropout_removes_the_periods_after_a_subject_leaves():
    spec = load_trial(_trial(design__dropout_per_period=0.5, design__subjects=20))
    observed = observe(spec, simulate_raw(spec, 1))
    periods = observed[observed["endpoint"] == "signal"].groupby("subject")["period"].apply(list)
    assert set(map(tuple, periods)) <= {(0, 1), (0,)}
    assert 0 < (periods.map(len) < 2).sum() < 20
    assert observed["subject"].nunique() < 20  # some left in period 1


# --------------------------------------------------------------------------- statistics


def test_paired_analysis_matches_scipy_and_mixed_model_reports_period_and_sequence(crossover_run):
    table = crossover_run.endpoints
    signal = table[table["endpoint"] == "signal"].pivot_table(
        index="subject", columns="arm", values="value"
    )
    diff = signal["naltrexone"] - signal["placebo"]
    result = crossover_run.analysis["signal"]
    assert result["method"] == "paired"
    assert_allclose(result["paired"]["estimate"], diff.mean(), rtol=EXACT_RTOL)
    assert_allclose(
        result["p_value"],
        stats.ttest_rel(signal["naltrexone"], signal["placebo"]).pvalue,
        rtol=1e-10,
    )
    assert_allclose(result["paired"]["cohen_dz"], diff.mean() / diff.std(ddof=1), rtol=1e-12)
    mixed = result["mixed"]
    # Complete balanced crossover: the mixed-model treatment estimate is the mean paired
    # difference adjusted for period, which balance makes equal to the paired estimate.
    assert_allclose(mixed["estimate"], diff.mean(), rtol=1e-6)
    assert 0 <= mixed["period_p_value"] <= 1 and 0 <= mixed["sequence_p_value"] <= 1


def test_parallel_dose_ranging_gives_welch_anova_and_dose_trend():
    arms = [
        {"name": "placebo", "dose": 0},
        {"name": "low", "dose": 12.5, "doses": [dict(NALTREXONE[0], amount="12.5 mg")]},
        {"name": "high", "dose": 50, "doses": NALTREXONE},
    ]
    data = _trial(
        design={
            "kind": "parallel",
            "subjects": 12,
            "run_in": "1 d",
            "period": "2 d",
            "arms": arms,
        },
        analysis={"primary": "signal", "control": "placebo", "treatment": "high"},
    )
    run = run_trial(data)
    result = run.analysis["signal"]
    frame = run.endpoints[run.endpoints["endpoint"] == "signal"]
    assert frame.groupby("arm")["subject"].nunique().to_dict() == {
        "high": 4,
        "low": 4,
        "placebo": 4,
    }
    a = frame.loc[frame["arm"] == "high", "value"]
    b = frame.loc[frame["arm"] == "placebo", "value"]
    assert result["method"] == "welch"
    assert_allclose(result["p_value"], stats.ttest_ind(a, b, equal_var=False).pvalue, rtol=1e-10)
    assert result["between_arms"]["dose_slope"] < 0
    assert 0 <= result["between_arms"]["anova_p_value"] <= 1


def test_power_rises_with_sample_size_and_files_are_written(tmp_path):
    data = _trial(power={"replicates": 8, "sample_sizes": [2, 4, 6], "target": 0.8})
    data["endpoints"][0]["noise"] = {"within_subject_sd": 80, "between_subject_sd": 10}
    run = run_trial(data, tmp_path)
    curve = run.power
    assert curve["replicates"].tolist() == [8, 8, 8]
    assert curve["power"].iloc[-1] >= curve["power"].iloc[0]
    names = {p.name for p in tmp_path.iterdir()}
    assert {
        "endpoints.csv",
        "endpoints.parquet",
        "analysis.json",
        "endpoints.png",
        "report.md",
        "power.csv",
        "power.png",
        "power_endpoints.parquet",
        "subjects.csv",
    } <= names
    subjects = pd.read_csv(tmp_path / "subjects.csv")
    assert subjects["subject"].tolist() == list(range(6))
    assert set(subjects["sequence"]) == {"naltrexone-placebo", "placebo-naltrexone"}
    assert pd.read_csv(tmp_path / "power.csv")["sample_size"].tolist() == [2, 4, 6]
    assert "measurement noise assumed" in (tmp_path / "report.md").read_text()


def test_sample_size_is_the_first_size_from_which_power_stays_above_target():
    curve = pd.DataFrame({"sample_size": [4, 6, 8, 10], "power": [0.5, 0.85, 0.75, 0.9]})
    assert sample_size_for(curve, 0.8) == {
        "target": 0.8,
        "smallest_simulated": 10,
        "interpolated": pytest.approx(8 + 0.05 / 0.15 * 2),
    }


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {"design__washout": "-1 d"},
            "trial.design.washout: got '-1 d'; a time must be >= 0 h (e.g. 10 d).",
        ),
        (
            {"design__period": "4"},
            "trial.design.period: got '4'; give a time with a unit, e.g. '4 d'.",
        ),
        (
            {"design__kind": "latin"},
            "trial.design.kind: got 'latin'; input should be 'crossover' or 'parallel'.",
        ),
        (
            {"analysis__primary": "mood"},
            "trial.analysis.primary: got 'mood'; not an endpoint (signal, low_days).",
        ),
        (
            {"design__sequences": [["naltrexone", "placebo"], ["placebo", "naltrexon"]]},
            "trial.design.sequences[1][1]: got 'naltrexon'; not an arm (arms: naltrexone, "
            "placebo).",
        ),
        (
            {"design__dropout_per_period": 1.0},
            "trial.design.dropout_per_period: got 1.0; input should be less than 1.",
        ),
    ],
)
def test_bad_trials_get_one_line_naming_the_field(changes, message):
    with pytest.raises(ConfigError) as error:
        load_trial(_trial(**changes))
    assert str(error.value) == message


def test_a_bad_arm_dose_names_the_arm():
    doses = [dict(NALTREXONE[0], amount="-5 mg")]
    with pytest.raises(ConfigError) as error:
        run_trial(
            _trial(design__arms=[{"name": "naltrexone", "doses": doses}, {"name": "placebo"}])
        )
    assert str(error.value).startswith("trial.design.arms[0].doses[0].amount: got -5 mg;")


def test_an_unknown_observable_is_named():
    data = _trial()
    data["endpoints"][0]["observable"] = "social.connection"
    with pytest.raises(ConfigError) as error:
        run_trial(data)
    assert str(error.value).startswith(
        "trial.endpoints[0].observable: got 'social.connection'; not an observable"
    )


@pytest.mark.slow
def test_a_trial_on_a_local_dask_cluster_is_the_same_as_in_one_process(crossover_run):
    from opioidsim.simulation.population import DaskSettings

    run = run_trial(CROSSOVER, chunk_size=4, dask=DaskSettings(workers=2))
    assert_frame_equal(run.endpoints, crossover_run.endpoints)
