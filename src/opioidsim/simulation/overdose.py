"""The overdose event: hypoxaemia or apnoea in a simulated ventilation record.

An overdose is either arterial O2 saturation below ``SPO2_THRESHOLD`` (70 %) in any sample,
or ventilation below ``APNOEA_FRACTION`` (10 %) of rest for longer than ``APNOEA_DURATION_H``
(60 s). Both read the outputs of the ``ventilation`` module; the apnoea test can only be as
fine as the output grid (an apnoea spans the samples below the threshold, each sample taken
to last until the next one).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from opioidsim.engine.results import SimulationResult

SPO2 = "ventilation.arterial_o2_saturation"
VENTILATION = "ventilation.ventilation_fraction"
#: SpO2 below this fraction in any sample is an overdose.
SPO2_THRESHOLD = 0.70
#: Ventilation below this fraction of rest counts as apnoea ...
APNOEA_FRACTION = 0.10
#: ... and an apnoea longer than this (h; 60 s) is an overdose.
APNOEA_DURATION_H = 60.0 / 3600.0


@dataclass(frozen=True)
class OverdoseEvent:
    """When the first overdose criterion was met (h) and which one."""

    time_h: float
    criterion: str  # "hypoxaemia" or "apnoea"


def _first_long_run(time_h: np.ndarray, below: np.ndarray, duration_h: float) -> float | None:
    """Time at which a run of ``below`` samples first lasts longer than ``duration_h``."""
    start = None
    for k in range(len(time_h)):
        if below[k] and start is None:
            start = time_h[k]
        elif not below[k]:
            start = None
        if start is not None and k + 1 < len(time_h) and time_h[k + 1] - start > duration_h:
            return float(start + duration_h)
    return None


def detect_overdose(result: SimulationResult, subject: int = 0) -> OverdoseEvent | None:
    """Return the first overdose event of one subject, or None.

    Parameters
    ----------
    result
        A simulation whose model has the ``ventilation`` module.
    subject
        Which subject of a population result.

    Returns
    -------
    OverdoseEvent or None
        The earliest of: the first sample with SpO2 < 70 % (``hypoxaemia``), or the moment
        ventilation has stayed below 10 % of rest for 60 s (``apnoea``); time in h.
    """
    spo2 = result.values[subject, result.names.index(SPO2), :]
    ventilation = result.values[subject, result.names.index(VENTILATION), :]
    time_h = np.asarray(result.time, dtype=float)
    events = []
    hypoxaemic = np.flatnonzero(spo2 < SPO2_THRESHOLD)
    if hypoxaemic.size:
        events.append(OverdoseEvent(float(time_h[hypoxaemic[0]]), "hypoxaemia"))
    apnoea = _first_long_run(time_h, ventilation < APNOEA_FRACTION, APNOEA_DURATION_H)
    if apnoea is not None:
        events.append(OverdoseEvent(apnoea, "apnoea"))
    return min(events, key=lambda e: e.time_h) if events else None
