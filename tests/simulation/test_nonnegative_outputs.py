"""Amounts and concentrations are never reported below zero (round-off is clamped, and the
most negative clamped value is kept in the statistics)."""

import numpy as np

from opioidsim.engine.results import nonnegative_observables
from opioidsim.simulation import simulate


def test_no_amount_or_concentration_is_reported_negative():
    result = simulate("examples/naltrexone_then_heroin.yaml")
    mask = nonnegative_observables(result.units)
    assert mask.sum() > 10
    physical = result.values[:, mask, :]
    assert np.nanmin(physical) >= 0.0
    clamped = result.statistics["most_negative_amount_clamped"]
    # Round-off only: far below anything the solver's tolerance can resolve.
    assert -1e-6 < clamped <= 0.0


def test_dimensionless_and_rate_outputs_are_not_clamped():
    mask = nonnegative_observables(["1", "1/h", "L/min", "nM", "mmHg_gas", "nmol/h"])
    assert mask.tolist() == [False, False, False, True, True, False]
