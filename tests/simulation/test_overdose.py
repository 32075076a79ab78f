"""detect_overdose: SpO2 below 70 % in any sample, or ventilation < 10 % of rest > 60 s."""

from __future__ import annotations

import numpy as np
import pytest

from opioidsim.engine.results import SimulationResult
from opioidsim.engine.status import SolveStatus
from opioidsim.simulation.overdose import OverdoseEvent, detect_overdose


def _record(time_h, ventilation_fraction, spo2):
    return SimulationResult(
        time=np.asarray(time_h, dtype=float),
        names=["ventilation.ventilation_fraction", "ventilation.arterial_o2_saturation"],
        units=["1", "1"],
        values=np.array([[ventilation_fraction, spo2]], dtype=float),
        status=[SolveStatus.SUCCESS],
        messages=[""],
        subject_ids=np.array([0]),
    )


def test_overdose_detector_finds_apnoea_longer_than_60_s_only():
    seconds = np.arange(0, 300, 10.0)
    time_h = seconds / 3600
    spo2 = np.full(seconds.size, 0.95)
    short = np.where((seconds >= 50) & (seconds < 100), 0.05, 1.0)  # 50 s below 10 %
    long = np.where((seconds >= 50) & (seconds < 200), 0.05, 1.0)  # 150 s below 10 %
    assert detect_overdose(_record(time_h, short, spo2)) is None
    event = detect_overdose(_record(time_h, long, spo2))
    assert event is not None and event.criterion == "apnoea"
    assert event.time_h * 3600 == pytest.approx(110.0)


def test_overdose_detector_finds_the_first_sample_below_70_percent_spo2():
    time_h = np.arange(5) / 60
    spo2 = np.array([0.97, 0.9, 0.72, 0.69, 0.5])
    event = detect_overdose(_record(time_h, np.ones(5), spo2))
    assert event == OverdoseEvent(3 / 60, "hypoxaemia")
    assert detect_overdose(_record(time_h, np.ones(5), np.full(5, 0.9))) is None
