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


def test_a_dose_at_1e_300_h_is_a_dose_at_0_h():
    # Found by ./run fuzz: an event 1e-300 h after the start made the integrator fail.
    def scenario(time):
        return {
            "subject": {"species": "human", "sex": "male", "body_weight": "70 kg"},
            "duration": "1 d",
            "output_interval": "1 h",
            "doses": [{"drug": "naltrexone", "amount": "50 mg", "route": "oral", "time": time}],
        }

    tiny, zero = simulate(scenario("1e-300 h")), simulate(scenario("0 h"))
    np.testing.assert_array_equal(tiny.values, zero.values)
