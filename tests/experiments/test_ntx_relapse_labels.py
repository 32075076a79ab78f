"""NTX-RELAPSE's figure names every trial it checks (the experiment itself runs under the
slow mark and in ``opioidsim validate``)."""

from opioidsim.experiments.phenomena.ntx_relapse import EXPERIMENT, TRIAL_LABELS


def test_every_data_set_has_a_trial_label():
    assert set(TRIAL_LABELS) == set(EXPERIMENT.dataset_names)
    assert EXPERIMENT.slow
