"""Lofexidine and clonidine: the one-compartment fits reproduce the numbers they come from."""

from __future__ import annotations

import numpy as np
import pytest

from model.pharmacokinetics.pk_testing import (
    Dose,
    dose_nmol,
    half_life,
    ng_per_ml_to_nm,
    peak,
    simulate,
)
from opioidsim.model.default import build_model

#: Al-Ghananeem 2009: 1.2 mg single oral dose, Cmax 1.755 ng/mL at ~3 h, k 0.063 /h. The
#: model's V, CL and ka were derived from these; the test guards the derivation (rtol 5%).
LOFEXIDINE_CMAX_NG_ML, LOFEXIDINE_TMAX_H, LOFEXIDINE_K = 1.755, 3.0, 0.063
#: Wing 1977: clonidine 300 ug oral, Cmax 1.34 ng/mL (not used to build the model): within
#: 2-fold (between-study variability of clonidine Cmax is of that order).
CLONIDINE_CMAX_NG_ML = 1.34
#: Davies 1977: elimination t1/2 8.5 h.
CLONIDINE_HALF_LIFE_H = 8.5


def _oral(drug: str, mg: float, hours: float):
    model = build_model([drug])
    times = np.linspace(0, hours, int(hours * 20) + 1)
    model, result = simulate(drug, [Dose("oral", dose_nmol(model, drug, "oral", mg))], times)
    return times, result[f"{drug}.plasma_concentration"]


def test_lofexidine_single_dose_reproduces_al_ghananeem_2009():
    times, plasma = _oral("lofexidine", 1.2, 72.0)
    t_max, c_max = peak(times, plasma)
    # Doses are the HCl salt (as Al-Ghananeem's are taken); concentrations are of the base.
    assert c_max == pytest.approx(ng_per_ml_to_nm(LOFEXIDINE_CMAX_NG_ML, "lofexidine"), rel=0.05)
    assert t_max == pytest.approx(LOFEXIDINE_TMAX_H, abs=0.3)
    assert np.log(2) / half_life(times, plasma, 24, 72) == pytest.approx(LOFEXIDINE_K, rel=0.02)


def test_clonidine_single_dose_is_within_twofold_of_wing_1977():
    times, plasma = _oral("clonidine", 0.3, 72.0)
    _, c_max = peak(times, plasma)
    observed = ng_per_ml_to_nm(CLONIDINE_CMAX_NG_ML, "clonidine")
    assert observed / 2 < c_max < observed * 2
    assert half_life(times, plasma, 24, 72) == pytest.approx(CLONIDINE_HALF_LIFE_H, rel=0.02)


def test_alpha2_agonists_do_not_bind_opioid_receptors():
    model = build_model(["lofexidine", "clonidine"])
    assert "lofexidine" not in model.ligands and "clonidine" not in model.ligands
