"""Calibrated values in the model are the optimum of their stated fit, on calibration data."""

import pytest

from opioidsim.errors import DataError
from opioidsim.io.datasets import dataset_names, load_dataset
from opioidsim.model.default import DRUG_MODULES, build_model
from opioidsim.validation.calibrate import CALIBRATIONS, _require_calibration_role

# The bounded scalar search stops at xatol 1e-3 in log10(KD): 0.25 % in KD.
FIT_RTOL = 0.01


def test_every_calibrated_parameter_names_a_calibration_data_set():
    model = build_model(sorted(DRUG_MODULES))
    calibrated = [
        (n, r)
        for n, r in zip(model.parameter_names, model.parameter_records, strict=True)
        if r.provenance == "calibrated"
    ]
    assert calibrated, "the model should carry at least one calibrated value"
    for name, record in calibrated:
        assert record.against in dataset_names(), name
        assert load_dataset(record.against).role == "calibration", name


def test_validation_data_cannot_be_fitted():
    validation = [n for n in dataset_names() if load_dataset(n).role == "validation"]
    with pytest.raises(DataError, match="only calibration data may be fitted"):
        _require_calibration_role(validation[0])


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(CALIBRATIONS))
def test_stored_calibrated_values_are_the_fit_optimum(name):
    fitted = CALIBRATIONS[name].fit()
    model = build_model(sorted(DRUG_MODULES))
    for parameter, (value, _) in fitted.items():
        assert model.parameter(parameter) == pytest.approx(value, rel=FIT_RTOL), parameter
