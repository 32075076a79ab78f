"""Rat tables of heroin, naloxone and naltrexone reproduce the times they were built from."""

from __future__ import annotations

import numpy as np
import pytest

from model.pharmacokinetics.pk_testing import Dose, dose_nmol, half_life, peak, simulate
from opioidsim.model.default import build_model

#: Gottas 2013 (PMC3791993): 6-MAM peaks 2.0 min after IV heroin in rat blood; heroin is
#: undetectable after 18 min. Tolerance: half the 1-min sampling of the study.
MONOACETYLMORPHINE_TMAX_MIN, TMAX_TOL_MIN = 2.0, 0.5
#: JPET 1975 (PMID 1195133): naloxone serum t1/2 40 min after s.c.; Akala 2008: naltrexone
#: t1/2 ~1 h. Both were used to derive the clearances: 2% guards the derivation.
NALOXONE_HALF_LIFE_MIN, NALTREXONE_HALF_LIFE_H = 40.0, 1.0


def test_rat_heroin_gives_a_6mam_peak_at_2_min_and_is_gone_by_18_min():
    model = build_model(["heroin"], species="rat")
    times = np.linspace(0, 0.5, 601)
    model, result = simulate(
        "heroin", [Dose("iv", dose_nmol(model, "heroin", "iv", 0.75))], times, species="rat"
    )
    t_max, _ = peak(times, result["heroin.monoacetylmorphine_plasma_concentration"])
    assert t_max * 60 == pytest.approx(MONOACETYLMORPHINE_TMAX_MIN, abs=TMAX_TOL_MIN)
    heroin = result["heroin.plasma_concentration"]
    assert heroin[np.searchsorted(times, 18 / 60)] < 1e-3 * heroin.max()


def test_rat_naloxone_serum_half_life_after_sc_is_40_min():
    model = build_model(["naloxone"], species="rat")
    times = np.linspace(0, 6, 721)
    model, result = simulate(
        "naloxone", [Dose("sc", dose_nmol(model, "naloxone", "sc", 1.25))], times, species="rat"
    )
    plasma = result["naloxone.plasma_concentration"]
    assert half_life(times, plasma, 2, 6) * 60 == pytest.approx(NALOXONE_HALF_LIFE_MIN, rel=0.02)


def test_rat_naltrexone_half_life_after_sc_is_1_h():
    model = build_model(["naltrexone"], species="rat")
    times = np.linspace(0, 8, 801)
    model, result = simulate(
        "naltrexone",
        [Dose("sc", dose_nmol(model, "naltrexone", "sc", 0.25))],
        times,
        species="rat",
    )
    plasma = result["naltrexone.plasma_concentration"]
    assert half_life(times, plasma, 3, 8) == pytest.approx(NALTREXONE_HALF_LIFE_H, rel=0.02)
