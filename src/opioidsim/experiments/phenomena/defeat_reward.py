"""DEFEAT-REWARD: repeated social defeat makes a sub-threshold cocaine dose rewarding, for weeks.

Protocol (``experiments/_defeat.py``): mouse, four 25-min defeats 72 h apart, cocaine 1 or
25 mg/kg i.p. 21 days after the last; readout the accumbens dopamine rise over the first hour
(reward sensitivity, until place preference exists). Mechanism: the defeats' CRF drive builds
``stress_sensitisation``, which multiplies the drug-evoked dopamine rise (``reward``).

Data: VALIDATION montagud_romero_2015_defeat_cocaine_cpp (directions; criteria in its meta).
Not checked: defeat does not escalate heroin self-administration (Cruz 2011), which needs the
behaviour layer; the model's dopamine gain applies to heroin as well.
"""

from __future__ import annotations

from pathlib import Path

from opioidsim.experiments import _defeat
from opioidsim.experiments.framework import AbstractExperiment, Check, ExperimentOutcome
from opioidsim.io.datasets import load_dataset

DATA = "montagud_romero_2015_defeat_cocaine_cpp"


def _run(out_dir: Path) -> ExperimentOutcome:
    data = load_dataset(DATA)
    rise = {
        (c, mg): _defeat.dopamine_rise(_defeat.protocol(c, mg))
        for c in ("control", "defeated")
        for mg in (1.0, 25.0)
    }
    simulated = [
        rise[("defeated", 1.0)] / rise[("control", 1.0)],
        rise[("control", 25.0)] / rise[("defeated", 1.0)],
    ]
    checks: list[Check] = []
    for row, value in zip(data.rows(), simulated, strict=True):
        checks.append(
            Check.within(
                data,
                "mouse, 4 defeats, cocaine i.p. 21 d later",
                row["quantity"],
                value,
                "x",
                row["lower"],
                row["upper"],
            )
        )
    defeated = _defeat.protocol("defeated", 1.0)
    notes = [
        "dopamine rise over the first hour (% x h): control 1 mg/kg {:.0f}, defeated 1 mg/kg "
        "{:.0f}, control 25 mg/kg {:.0f}, defeated 25 mg/kg {:.0f}".format(
            rise[("control", 1.0)],
            rise[("defeated", 1.0)],
            rise[("control", 25.0)],
            rise[("defeated", 25.0)],
        ),
        "sensitisation at the test: {:.3f} (of 1)".format(
            float(defeated["stress_sensitisation.level"][-1])
        ),
        "not checked: defeat does not escalate heroin self-administration (Cruz 2011); needs "
        "the behaviour layer, and the dopamine gain here applies to opioids too",
    ]
    outcome = ExperimentOutcome(
        name="DEFEAT-REWARD",
        title=EXPERIMENT.title,
        phenomenon="DEFEAT-REWARD",
        checks=checks,
        notes=notes,
    )
    outcome.figure = _defeat.figure(
        out_dir,
        "defeat_reward",
        ("control", "defeated"),
        "reward sensitivity 3 weeks after defeat",
    )
    return outcome


EXPERIMENT = AbstractExperiment(
    name="DEFEAT-REWARD",
    phenomenon="DEFEAT-REWARD",
    title="repeated social defeat raises the dopamine response to a sub-threshold cocaine "
    "dose for weeks",
    dataset_names=(DATA,),
    run=_run,
    description=__doc__ or "",
)
