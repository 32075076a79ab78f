"""Calibrations as PEtab problems: the linter accepts them and pyPESTO re-fits them."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from opioidsim.errors import ConfigError
from opioidsim.model.default import build_model
from opioidsim.validation.petab_problems import (
    ANALGESIA_COUPLING,
    BUPRENORPHINE_AFFINITY,
    CONNECTION_SHARE,
    FENTANYL_AFFINITY,
    HEROIN_AFFINITY,
    HPA_FRACTION,
    LIKING_COUPLING,
    MONOACETYLMORPHINE_AFFINITY,
    NAIVE_RECEPTORS,
    NALTREXONE_AFFINITY,
    NALTREXONE_BRAIN_RATE,
    RESPIRATORY_COUPLING,
    lint,
    negative_log_likelihood,
    problem,
    simulated_measurements,
    simulated_observable,
    solve_petab,
    write_petab,
)

#: The stored value is printed to 4 significant digits.
STORED_RTOL = 5e-4

PROBLEM_PARAMETERS = [
    ("fentanyl-mu-affinity", FENTANYL_AFFINITY),
    ("buprenorphine-mu-affinity", BUPRENORPHINE_AFFINITY),
    ("morphine-respiratory-coupling", RESPIRATORY_COUPLING),
    ("morphine-analgesia-coupling", ANALGESIA_COUPLING),
    ("hpa-opioid-adaptation", HPA_FRACTION),
    ("morphine-liking", LIKING_COUPLING),
    ("heroin-mu-affinity", MONOACETYLMORPHINE_AFFINITY),
    ("connection-opioid-share", CONNECTION_SHARE),
    ("cocaine-transporter-share", "reward.transporter_uptake_share"),
    ("cocaine-dat-affinity", "dopamine_transporter.cocaine_dissociation_constant"),
    ("dynorphin-induction", "striatal_peptides.mrna_induction"),
    ("oxytocin-withdrawal-gains", "oxytocin_system.withdrawal_excitation_gain"),
    ("oxytocin-withdrawal-gains", "oxytocin_system.central_withdrawal_gain"),
]
#: Problems whose data bound the value to a 95 % profile interval narrower than 3-fold: the
#: liking meta-analysis reports no spread (sigma assumed) and Inagaki 2019's effect is not
#: significant (F = 2.0: the interval reaches 0).
BOUNDED_BY_DATA = {
    "fentanyl-mu-affinity",
    "buprenorphine-mu-affinity",
    "morphine-respiratory-coupling",
    "morphine-analgesia-coupling",
    "hpa-opioid-adaptation",
    "heroin-mu-affinity",
    "oxytocin-withdrawal-gains",
}


def _stored(parameter: str) -> float:
    model = build_model(["fentanyl", "buprenorphine", "naltrexone", "heroin", "cocaine"])
    return float(model.parameter_values[model.parameter_names.index(parameter)])


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return write_petab("fentanyl-mu-affinity", tmp_path_factory.mktemp("petab"))


@pytest.mark.parametrize(
    ("name", "parameter"),
    PROBLEM_PARAMETERS,
)
def test_the_written_problem_passes_the_petab_linter(name, parameter, tmp_path):
    path = write_petab(name, tmp_path)
    assert lint(path)
    parameters = pd.read_csv(tmp_path / "parameters.tsv", sep="\t").set_index("parameterName")
    assert parameter in parameters.index
    assert len(parameters) == len(problem(name).estimated)
    assert parameters.loc[parameter, "nominalValue"] == pytest.approx(_stored(parameter))


def test_the_linter_rejects_an_observable_the_model_does_not_have(written, tmp_path):
    # The check can fail: the same problem with a misspelt model output is refused.
    for name in ("model.xml", "conditions.tsv", "measurements.tsv", "parameters.tsv"):
        (tmp_path / name).write_bytes((written.parent / name).read_bytes())
    (tmp_path / written.name).write_bytes(written.read_bytes())
    observables = (written.parent / "observables.tsv").read_text()
    (tmp_path / "observables.tsv").write_text(
        observables.replace("mu_effects__respiratory_depression", "mu_effects__no_such_output")
    )
    assert not lint(tmp_path / written.name)


@pytest.mark.parametrize(
    ("name", "parameter"),
    PROBLEM_PARAMETERS,
)
def test_pypesto_recovers_the_calibrated_value_from_random_starts(name, parameter):
    fit = solve_petab(name, n_starts=2, seed=7)
    stored = _stored(parameter)
    for start in fit.starts:  # every start, drawn uniformly within the bounds, ends here
        assert start[parameter] == pytest.approx(stored, rel=STORED_RTOL)
    lower, upper = fit.interval_95[parameter]
    assert lower < stored < upper
    if name in BOUNDED_BY_DATA:
        assert upper / lower < 3  # the data's spread bounds the value


@pytest.mark.parametrize("name", ["morphine-respiratory-coupling", "morphine-analgesia-coupling"])
def test_the_morphine_conditions_fix_naive_receptors_in_the_condition_table(name, tmp_path):
    write_petab(name, tmp_path)
    conditions = pd.read_csv(tmp_path / "conditions.tsv", sep="\t")
    parameters = pd.read_csv(tmp_path / "parameters.tsv", sep="\t")
    fixed = [c for c in conditions.columns if c not in ("conditionId", "conditionName")]
    assert len(fixed) == len(NAIVE_RECEPTORS) == 2
    assert (conditions[fixed] == 0.0).all().all()
    assert not set(fixed) & set(parameters["parameterId"])


#: Relative distance of the morphine effect site from the held plasma concentration at the
#: measurement: 72 h is 16 effect-site half-lives (e^-11.3 = 1.2e-5), well under STORED_RTOL.
EQUILIBRIUM_RTOL = 1e-4


@pytest.mark.parametrize(
    ("name", "dataset", "column"),
    [
        ("morphine-respiratory-coupling", "romberg_2003_morphine_ventilation", "c25_nM"),
        ("morphine-analgesia-coupling", "dahan_2004_morphine_analgesia_potency", "c50_nM"),
    ],
)
def test_the_morphine_hold_reaches_effect_site_equilibrium_without_desensitisation(
    name, dataset, column
):
    from opioidsim.io.datasets import load_dataset
    from opioidsim.simulation import simulate

    spec = problem(name)
    (measurement,) = spec.measurements
    result = simulate(spec.scenario(1.0), parameters=dict(spec.fixed))

    def at_measurement(output: str) -> float:
        return float(np.interp(measurement.time_h, result.time, result[output]))

    target = float(load_dataset(dataset).rows()[0][column])
    assert at_measurement("morphine.plasma_concentration") == pytest.approx(
        target, rel=EQUILIBRIUM_RTOL
    )
    assert at_measurement("morphine.effect_site_concentration") == pytest.approx(
        target, rel=EQUILIBRIUM_RTOL
    )
    assert float(np.min(result["neuroadaptation.mu_receptor_availability"])) == 1.0


# -- naltrexone: two parameters, a window mean and a ratio to the 1-h value ----------------
NALTREXONE = "naltrexone-mu-binding"
NALTREXONE_PARAMETERS = (NALTREXONE_AFFINITY, NALTREXONE_BRAIN_RATE)
#: chi2(1) 95 % quantile: a pair whose -log L is within half of it of the optimum has each
#: of its values inside that value's profile-likelihood 95 % interval.
PROFILE_CHI2 = 3.84


@pytest.fixture(scope="module")
def naltrexone_written(tmp_path_factory):
    return write_petab(NALTREXONE, tmp_path_factory.mktemp("naltrexone"))


def test_the_naltrexone_problem_passes_the_petab_linter(naltrexone_written):
    assert lint(naltrexone_written)
    folder = naltrexone_written.parent
    parameters = pd.read_csv(folder / "parameters.tsv", sep="\t")
    assert tuple(parameters["parameterName"]) == NALTREXONE_PARAMETERS
    assert list(parameters["parameterScale"]) == ["log10", "log10"]
    for name, nominal in zip(parameters["parameterName"], parameters["nominalValue"], strict=True):
        assert nominal == pytest.approx(_stored(name))
    measurements = pd.read_csv(folder / "measurements.tsv", sep="\t")
    # Rabiner's 7 single subjects (2-50 mg, one schedule scaled) and Lee's 4 times (50 mg)
    assert measurements["observableId"].value_counts().to_dict() == {
        "pet_blockade": 7,
        "blockade_relative_to_1h": 4,
    }
    conditions = pd.read_csv(folder / "conditions.tsv", sep="\t")
    assert sorted(conditions["dose_scale"]) == [0.04, 0.1, 0.3, 1.0]


def test_libroadrunner_computes_the_naltrexone_observables_as_the_objective_does(
    naltrexone_written,
):
    # The SBML helpers (an integral reset at 1 h, the blockade captured at 1 h) give the
    # window mean and the ratio that the engine's objective computes, at the 50-mg reference.
    roadrunner = pytest.importorskip("roadrunner")
    from opioidsim.simulation import simulate

    spec = problem(NALTREXONE)
    runner = roadrunner.RoadRunner(str(naltrexone_written.parent / "model.xml"))
    table = pd.read_csv(naltrexone_written.parent / "observables.tsv", sep="\t")
    assert dict(zip(table["observableId"], table["observableFormula"], strict=True)) == {
        "pet_blockade": "pet_blockade_integral / 7.0",
        "blockade_relative_to_1h": "mu_receptor__drug_occupancy / "
        "blockade_relative_to_1h_reference",
    }
    ours = simulate(spec.scenario(1.0))
    by_id = {o.id: o for o in spec.observables}
    for m in spec.measurements:
        if m.condition != "oral_50_mg":
            continue
        runner.reset()
        runner.simulate(0.0, m.time_h, 2)
        if m.observable == "pet_blockade":
            theirs = runner["pet_blockade_integral"] / 7.0
        else:
            occupancy = runner["mu_receptor__drug_occupancy"]
            theirs = occupancy / runner["blockade_relative_to_1h_reference"]
        expected = simulated_observable(by_id[m.observable], ours, m.time_h)
        assert theirs == pytest.approx(expected, rel=1e-3), (m.observable, m.time_h)


def test_pypesto_fits_naltrexone_from_random_starts_within_reach_of_the_stored_values():
    fit = solve_petab(NALTREXONE, n_starts=2, seed=7, profile=False)
    first, *others = fit.starts
    for start in others:  # starts drawn uniformly within the bounds end at one optimum
        for parameter in NALTREXONE_PARAMETERS:
            assert start[parameter] == pytest.approx(first[parameter], rel=STORED_RTOL)
    stored = {parameter: _stored(parameter) for parameter in NALTREXONE_PARAMETERS}
    excess = negative_log_likelihood(problem(NALTREXONE), stored) - fit.negative_log_likelihood
    assert 0.0 <= 2.0 * excess < PROFILE_CHI2


def test_a_name_without_a_petab_problem_is_refused_in_one_line():
    with pytest.raises(ConfigError, match="got 'no-such-problem'; PEtab problems: bupren"):
        problem("no-such-problem")


def test_the_heroin_problem_ties_heroins_affinity_to_6mams_in_the_sbml(tmp_path):
    # An SBML initial assignment moves heroin's KD with the estimated 6-MAM KD (10 x), in
    # libroadrunner as in the engine's objective (with_ties); the check can fail: without
    # the tie heroin's KD would keep its stored value.
    roadrunner = pytest.importorskip("roadrunner")
    from opioidsim.model.assemble import symbol_name

    written = write_petab("heroin-mu-affinity", tmp_path)
    runner = roadrunner.RoadRunner(str(written.parent / "model.xml"))
    mam, heroin = (
        symbol_name("p." + MONOACETYLMORPHINE_AFFINITY),
        symbol_name("p." + HEROIN_AFFINITY),
    )
    runner.setValue(f"init({mam})", 2.0e4)
    runner.reset()
    assert runner[heroin] == pytest.approx(2.0e5)
    spec = problem("heroin-mu-affinity")
    assert spec.with_ties({MONOACETYLMORPHINE_AFFINITY: 2.0e4})[HEROIN_AFFINITY] == 2.0e5


def test_the_peak_problems_read_at_the_peak_give_the_fit_of_the_maximum():
    # The heroin measurement is read at the peak's time at the stored values: the ratio of
    # the two maxima on the same grid agrees with the ratio at the fixed times to 1e-3.
    from opioidsim.simulation import simulate

    spec = problem("heroin-mu-affinity")
    ((observable,), (measurement,)) = spec.observables, spec.measurements
    result = simulate(spec.scenario(1.0))
    first = result.time < 8.0
    maxima = result[observable.output][~first].max() / result[observable.output][first].max()
    at_times = simulated_observable(observable, result, measurement.time_h)
    assert at_times == pytest.approx(maxima, rel=1e-3)
    assert at_times == pytest.approx(1.0, abs=0.01)  # the stored KD meets Kaiko's ratio


def test_the_hpa_sigma_is_the_se_of_facchinettis_ratio_of_means():
    # 100.7 +- 61.7 ng/mL (SD, 37 users) over 159.7 +- 40.6 (12 controls): the ratio 0.6306,
    # its SE 0.6306 * hypot(61.7 / sqrt(37) / 100.7, 40.6 / sqrt(12) / 159.7) = 0.0786.
    (observable,) = problem("hpa-opioid-adaptation").observables
    assert observable.sigma == pytest.approx(0.0786, abs=5e-4)
    assert observable.window_h == (306.0, 330.0)


def test_libroadrunner_computes_the_hpa_window_mean_as_the_objective_does(tmp_path):
    # The written problem's integral helper (reset at 306 h) over 24 h gives the mean the
    # engine's objective takes from opioidsim's samples, through 55 heroin doses.
    roadrunner = pytest.importorskip("roadrunner")
    from opioidsim.simulation import simulate

    written = write_petab("hpa-opioid-adaptation", tmp_path)
    spec = problem("hpa-opioid-adaptation")
    ((observable,), (measurement,)) = spec.observables, spec.measurements
    table = pd.read_csv(written.parent / "observables.tsv", sep="\t")
    formula = table["observableFormula"][0]
    assert formula == f"{observable.id}_integral / 24.0"
    runner = roadrunner.RoadRunner(str(written.parent / "model.xml"))
    runner.simulate(0.0, measurement.time_h, 2)
    theirs = runner[f"{observable.id}_integral"] / 24.0
    ours = simulated_observable(observable, simulate(spec.scenario(1.0)), measurement.time_h)
    print(f"libroadrunner {theirs:.6g}, opioidsim {ours:.6g}")
    assert theirs == pytest.approx(ours, rel=1e-3)


def test_pypesto_finds_the_observer_maps_closed_form_i_half(tmp_path):
    # The observer map's I_half is a parameter of the observable table (not of the model);
    # the experiments use its closed form, which pyPESTO must find from random starts.
    from opioidsim.experiments._withdrawal import observer_half_index

    written = write_petab("observer-map", tmp_path)
    assert lint(written)
    parameters = pd.read_csv(tmp_path / "parameters.tsv", sep="\t")
    assert list(parameters["parameterId"]) == ["observer_half_index"]
    formula = pd.read_csv(tmp_path / "observables.tsv", sep="\t")["observableFormula"][0]
    assert formula == (
        "30.0 * (sows_gossop_day3_integral / 24.0) / (sows_gossop_day3_integral / 24.0 + "
        "observer_half_index)"
    )
    fit = solve_petab("observer-map", n_starts=2, seed=7, profile=False)
    for start in fit.starts:
        assert start["observer_half_index"] == pytest.approx(observer_half_index(), rel=1e-3)


def test_the_observer_map_needs_its_parameter():
    from opioidsim.simulation import simulate

    spec = problem("observer-map")
    ((observable,), (measurement,)) = spec.observables, spec.measurements
    result = simulate(spec.scenario(1.0))
    with pytest.raises(ConfigError, match="needs a value of observer_half_index"):
        simulated_observable(observable, result, measurement.time_h)


def test_libroadrunner_computes_the_cortisol_slope_as_the_objective_does(tmp_path):
    # The slope helper (the glucocorticoid's rate rule copied into an assignment rule) at the
    # peak's time agrees with the engine's central difference over its 1-min grid; the check
    # can fail: the two use different arithmetic (a rate rule vs samples).
    roadrunner = pytest.importorskip("roadrunner")
    from opioidsim.simulation import simulate

    written = write_petab("circadian-crh-drive", tmp_path)
    assert lint(written)
    spec = problem("circadian-crh-drive")
    slope = next(o for o in spec.observables if o.slope)
    peak = next(m for m in spec.measurements if m.observable == slope.id)
    runner = roadrunner.RoadRunner(str(written.parent / "model.xml"))
    runner.simulate(0.0, peak.time_h, 2)
    theirs = runner[f"{slope.id}_slope"]
    ours = simulated_observable(slope, simulate(spec.scenario(1.0)), peak.time_h)
    print(f"libroadrunner {theirs:.6g}, opioidsim {ours:.6g} nmol/L/h")
    assert theirs == pytest.approx(ours, abs=0.01 * slope.sigma)


def test_an_observable_is_one_of_a_window_a_ratio_or_a_slope():
    from opioidsim.validation.petab_spec import Observable

    with pytest.raises(ConfigError, match="one of a window mean, a ratio or a slope"):
        Observable("x", "hpa_axis.glucocorticoid", "x", "x", window_h=(0.0, 1.0), slope=True)


def test_pypesto_recovers_the_circadian_drive_by_least_squares():
    # Five coefficients, five measurements (Debono 2009: three cortisol values, zero slopes
    # at the peak and nadir): the stored values solve the problem exactly, and a trust-region
    # least-squares start drawn near them returns to them.
    from opioidsim.validation.petab_layers import CIRCADIAN

    fit = solve_petab("circadian-crh-drive", n_starts=1, seed=7)
    spec = problem("circadian-crh-drive")
    stored = {name: _stored(name) for name in CIRCADIAN}
    residuals = simulated_measurements(spec, stored) - [m.value for m in spec.measurements]
    sigmas = [m.sigma or next(o.sigma for o in spec.observables if o.id == m.observable)
              for m in spec.measurements]  # fmt: skip
    assert np.all(np.abs(residuals) < 0.01 * np.array(sigmas))
    for name in CIRCADIAN:
        assert fit.best[name] == pytest.approx(stored[name], abs=5e-5)


def test_every_calibrated_value_is_estimated_by_a_petab_problem_on_its_data():
    # Every parameter labelled calibrated, in every species, is an estimated (or tied)
    # parameter of a PEtab problem whose data sets include the one it names; the check can
    # fail: a hand-set value labelled calibrated has no problem.
    from opioidsim.errors import ModelError
    from opioidsim.model.default import DRUG_MODULES
    from opioidsim.validation.petab_problems import PROBLEMS

    fitted: dict[str, set[str]] = {}
    for name in PROBLEMS:
        spec = problem(name)
        for parameter in [e.parameter for e in spec.estimated] + list(spec.tied):
            fitted.setdefault(parameter, set()).update(spec.datasets)
    for species in ("human", "rat", "mouse"):
        drugs = []
        for drug in sorted(DRUG_MODULES):
            try:
                build_model([drug], species=species)
            except ModelError:  # a drug without this species' PK
                continue
            drugs.append(drug)
        model = build_model(drugs, species=species)
        for parameter, record in zip(model.parameter_names, model.parameter_records, strict=True):
            if record.provenance == "calibrated":
                assert record.against in fitted.get(parameter, set()), (species, parameter)
