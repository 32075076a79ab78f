"""OXT-BLOCK: oxytocin before each defeat (or a cage mate) prevents the rise in drug reward.

Protocol (``experiments/_defeat.py``): as DEFEAT-REWARD, with oxytocin 1 mg/kg i.p. 30 min
before each of the four defeats, oxytocin alone at the same times, or pair housing from the
first defeat to the test; cocaine 1 mg/kg i.p. 21 days after the last defeat; readout the
dopamine rise over the first hour, over that of non-defeated controls. Mechanism: OTR
signalling lowers the stressors' CRF drive (``oxytocin_system.hpa_buffering``), which is what
builds the sensitisation.

Data: VALIDATION ferrer_perez_2019_oxytocin_before_defeat, pair_housing_defeat_cocaine_cpp_2019
(directions; criteria in their meta).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from opioidsim.experiments import _defeat
from opioidsim.experiments.framework import AbstractExperiment, Check, ExperimentOutcome
from opioidsim.io.datasets import load_dataset

OXYTOCIN_DATA = "ferrer_perez_2019_oxytocin_before_defeat"
HOUSING_DATA = "pair_housing_defeat_cocaine_cpp_2019"


def _at_first_defeat(condition: str, name: str) -> float:
    result = _defeat.protocol(condition, 1.0)
    t = _defeat.DEFEAT_TIMES_H[0] + _defeat.DEFEAT_DURATION_H / 2
    return float(np.interp(t, result.time, result[name]))


def _run(out_dir: Path) -> ExperimentOutcome:
    checks: list[Check] = []
    oxytocin = load_dataset(OXYTOCIN_DATA)
    values = [
        _defeat.ratio_to_control("oxytocin + defeat"),
        _defeat.ratio_to_control("oxytocin alone"),
    ]
    for row, value in zip(oxytocin.rows(), values, strict=True):
        checks.append(
            Check.within(
                oxytocin,
                "mouse, oxytocin 1 mg/kg i.p. 30 min before each defeat time",
                row["quantity"],
                value,
                "x",
                row["lower"],
                row["upper"],
            )
        )
    housing = load_dataset(HOUSING_DATA)
    paired = _defeat.ratio_to_control("pair-housed + defeat")
    for row in housing.rows():
        checks.append(
            Check.within(
                housing,
                "mouse, pair-housed from the first defeat",
                row["quantity"],
                paired,
                "x",
                row["lower"],
                row["upper"],
            )
        )
    notes = [
        "defeated, untreated, over controls: {:.2f}".format(_defeat.ratio_to_control("defeated")),
    ]
    for condition in ("defeated", "oxytocin + defeat", "pair-housed + defeat"):
        notes.append(
            "{}: during the first defeat OTR signal {:.2f} x resting, HPA buffering {:.3f}, "
            "stress CRF drive {:.2f}; sensitisation at the test {:.3f}".format(
                condition,
                _at_first_defeat(condition, "oxytocin_system.otr_signal"),
                _at_first_defeat(condition, "oxytocin_system.hpa_buffering"),
                _at_first_defeat(condition, "hpa_axis.stress_crf_drive"),
                float(_defeat.protocol(condition, 1.0)["stress_sensitisation.level"][-1]),
            )
        )
    outcome = ExperimentOutcome(
        name="OXT-BLOCK",
        title=EXPERIMENT.title,
        phenomenon="OXT-BLOCK",
        checks=checks,
        notes=notes,
    )
    outcome.figure = _defeat.figure(
        out_dir,
        "oxt_block",
        ("control", "defeated", "oxytocin + defeat", "oxytocin alone", "pair-housed + defeat"),
        "oxytocin or a cage mate at the defeats",
    )
    return outcome


EXPERIMENT = AbstractExperiment(
    name="OXT-BLOCK",
    phenomenon="OXT-BLOCK",
    title="oxytocin before each defeat, or a cage mate, prevents the defeat-induced rise in "
    "drug reward",
    dataset_names=(OXYTOCIN_DATA, HOUSING_DATA),
    run=_run,
    description=__doc__ or "",
)
