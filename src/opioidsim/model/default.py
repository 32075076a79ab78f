"""The default model: which modules, and how their outputs feed each other's inputs.

``build_model(drugs, species)`` assembles the subject, the pharmacokinetics of the drugs a
scenario uses (and the drugs they turn into), the endogenous opioid peptides, the
receptors, neuroadaptation and reward. Modules meet only here, through the named connections
below.

Feedback (``feedback()``): the allostatic dynorphin release of ``neuroadaptation`` drives
the dynorphin concentration of ``endogenous_opioids``, which the receptors read; social
contact (``social_connection``) drives its beta-endorphin release likewise, and accumbens
dopamine (``striatal_peptides``: D1-driven beta-endorphin, induced prodynorphin) adds extra
release of both. Each closes a loop through a state (the peptide concentration), so it is
wired as a feedback connection. Oxytocin's buffering of the stressors' CRH drive
(``oxytocin_system.hpa_buffering``, read from states only) feeds ``hpa_axis``, and its
blunting of drug-evoked dopamine (``evoked_dopamine_factor``) feeds ``reward``; both run
before it because oxytocin reads the HPA's stressor intensity and social contact; the
assembler refuses only a feedback whose source depends on it through outputs (an algebraic
loop).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from functools import cache, lru_cache

from opioidsim.errors import ConfigError
from opioidsim.model.assemble import (
    LIGAND_CONCENTRATIONS,
    LIGAND_DRUG_MASK,
    AssembledModel,
    assemble,
)
from opioidsim.model.declare import ModelModule, module_from

#: Drug modules: name -> (python module, drugs it forms and needs in the model).
DRUG_MODULES: dict[str, tuple[str, tuple[str, ...]]] = {
    "morphine": ("opioidsim.model.pharmacokinetics.morphine", ()),
    "heroin": ("opioidsim.model.pharmacokinetics.heroin", ("morphine",)),
    "fentanyl": ("opioidsim.model.pharmacokinetics.fentanyl", ()),
    "oxycodone": ("opioidsim.model.pharmacokinetics.oxycodone", ()),
    "methadone": ("opioidsim.model.pharmacokinetics.methadone", ()),
    "buprenorphine": ("opioidsim.model.pharmacokinetics.buprenorphine", ()),
    "naltrexone": ("opioidsim.model.pharmacokinetics.naltrexone", ()),
    "naloxone": ("opioidsim.model.pharmacokinetics.naloxone", ()),
    "oxytocin": ("opioidsim.model.pharmacokinetics.oxytocin", ()),
    "lofexidine": ("opioidsim.model.pharmacokinetics.lofexidine", ()),
    "clonidine": ("opioidsim.model.pharmacokinetics.clonidine", ()),
    "cocaine": ("opioidsim.model.pharmacokinetics.cocaine", ()),
    "ethanol": ("opioidsim.model.pharmacokinetics.ethanol", ()),
}
#: Drugs acting at alpha2-adrenoceptors, not at opioid receptors: wired to alpha2_receptor.
ALPHA2_AGONISTS: tuple[str, ...] = ("lofexidine", "clonidine")
#: Drugs blocking the dopamine transporter: wired to dopamine_transporter.
TRANSPORTER_BLOCKERS: tuple[str, ...] = ("cocaine",)

#: Modules present in every model, in evaluation-friendly order.
CORE_MODULES: tuple[str, ...] = (
    "opioidsim.model.subject",
    "opioidsim.model.receptors.endogenous",
)
RECEPTOR_MODULES: tuple[str, ...] = (
    "opioidsim.model.receptors.mu",
    "opioidsim.model.receptors.kappa",
    "opioidsim.model.receptors.alpha2",
    "opioidsim.model.receptors.dopamine_transporter",
)
#: Modules that read receptor signalling: slow adaptation, then reward (which reads both).
ADAPTATION_MODULES: tuple[str, ...] = (
    "opioidsim.model.neuroadaptation",
    "opioidsim.model.reward",
    "opioidsim.model.effects",
    "opioidsim.model.executive_control",
    "opioidsim.model.hpa",
    "opioidsim.model.social_connection",
    "opioidsim.model.oxytocin_system",
    "opioidsim.model.stress_sensitisation",
    "opioidsim.model.striatal_peptides",
)

#: Effect pathways that exist in some species only (each module's ``species`` says which):
#: subjective drug liking is a human readout.
SPECIES_EFFECT_MODULES: tuple[str, ...] = ("opioidsim.model.subjective_effects",)
#: Optional physiology a scenario asks for by name (``physiology: [ventilation]``): name ->
#: (python module, species with parameters, what it adds). Optional because the closed-loop
#: ventilation adds 31 fast states (seconds) and its symbolic Jacobian costs ~20 s of
#: compilation per drug set: most runs need the respiratory pathway, not the blood gases.
OPTIONAL_MODULES: dict[str, tuple[str, tuple[str, ...], str]] = {
    "ventilation": (
        "opioidsim.model.ventilation",
        ("human",),
        "closed-loop ventilation, blood gases and SpO2 (overdose, rescue)",
    ),
}
ENDOGENOUS_LIGANDS: tuple[str, ...] = ("beta_endorphin", "dynorphin")


def connections(drugs: Iterable[str], physiology: Iterable[str] = ()) -> dict[str, str]:
    """The wiring: ``{"module.input": "module.output"}``."""
    wiring = {
        "mu_receptor.concentration": LIGAND_CONCENTRATIONS,
        "mu_receptor.drug_mask": LIGAND_DRUG_MASK,
        "kappa_receptor.concentration": LIGAND_CONCENTRATIONS,
        "kappa_receptor.drug_mask": LIGAND_DRUG_MASK,
        "morphine.formation_rate": "heroin.morphine_formation_rate",
        "neuroadaptation.mu_stimulus": "mu_receptor.stimulus",
        "reward.mu_stimulus": "mu_receptor.stimulus",
        "reward.kappa_signal": "kappa_receptor.signal",
        "reward.withdrawal_drive": "neuroadaptation.withdrawal_drive",
        "reward.dopamine_tone": "neuroadaptation.dopamine_tone",
        "reward.dopamine_uptake_blockade": "dopamine_transporter.occupancy",
        "reward.drug_mu_occupancy": "mu_receptor.drug_occupancy",
        "reward.beta_endorphin_release_ratio": "endogenous_opioids.beta_endorphin_release_ratio",
        "mu_effects.mu_stimulus": "mu_receptor.stimulus",
        "mu_effects.mu_receptor_availability": "neuroadaptation.mu_receptor_availability",
        "mu_effects.respiratory_receptor_availability": (
            "neuroadaptation.respiratory_receptor_availability"
        ),
        "executive_control.analgesia": "mu_effects.analgesia",
        "executive_control.withdrawal_drive": "neuroadaptation.withdrawal_drive",
        "subjective_effects.mu_stimulus": "mu_receptor.stimulus",
        "subjective_effects.mu_receptor_availability": "neuroadaptation.mu_receptor_availability",
        "neuroadaptation.alpha2_inhibition": "alpha2_receptor.locus_coeruleus_inhibition",
        "hpa_axis.mu_stimulus": "mu_receptor.stimulus",
        "hpa_axis.mu_receptor_availability": "neuroadaptation.mu_receptor_availability",
        "hpa_axis.locus_coeruleus_output": "neuroadaptation.somatic_withdrawal_index",
        "hpa_axis.crf_release_drive": "neuroadaptation.crf_release_drive",
        "social_connection.mu_stimulus": "mu_receptor.stimulus",
        "social_connection.mu_receptor_availability": "neuroadaptation.mu_receptor_availability",
        "social_connection.dopamine_percent_baseline": "reward.dopamine_percent_baseline",
        "social_connection.glucocorticoid_fold_basal": "hpa_axis.glucocorticoid_fold_basal",
        "striatal_peptides.dopamine_percent_baseline": "reward.dopamine_percent_baseline",
        "oxytocin_system.mu_stimulus": "mu_receptor.stimulus",
        "oxytocin_system.mu_receptor_availability": "neuroadaptation.mu_receptor_availability",
        "oxytocin_system.locus_coeruleus_drive": "neuroadaptation.somatic_withdrawal_index",
        "oxytocin_system.stress_drive": "hpa_axis.stressor_intensity",
        "oxytocin_system.social_contact": "social_connection.social_contact_level",
        "stress_sensitisation.stress_crf_drive": "hpa_axis.stress_crf_drive",
        "reward.dopamine_response_gain": "stress_sensitisation.dopamine_response_gain",
    }
    for drug in drugs:
        if drug in ALPHA2_AGONISTS:
            wiring[f"alpha2_receptor.{drug}_concentration"] = f"{drug}.brain_concentration"
        if drug in TRANSPORTER_BLOCKERS:
            wiring[f"dopamine_transporter.{drug}_concentration"] = f"{drug}.brain_concentration"
        if drug == "oxytocin":
            wiring["oxytocin_system.exogenous_concentration"] = "oxytocin.brain_concentration"
        if drug == "ethanol":
            # Ethanol is no ligand: it evokes beta-endorphin, which competes at mu.
            wiring["endogenous_opioids.ethanol_beta_endorphin_release"] = (
                "ethanol.beta_endorphin_release"
            )
            wiring["ethanol.female"] = "subject.female"
        wiring[f"{drug}.clearance_scale"] = "subject.clearance_scale"
        wiring[f"{drug}.volume_scale"] = "subject.volume_scale"
    if "ventilation" in physiology:
        wiring["ventilation.opioid_drive_reduction"] = "mu_effects.respiratory_depression"
    return wiring


def feedback() -> dict[str, str]:
    """Connections closing a loop through a state: ``{"module.input": "module.output"}``."""
    return {
        "endogenous_opioids.dynorphin_release_drive": "neuroadaptation.dynorphin_release_drive",
        "endogenous_opioids.beta_endorphin_release_drive": (
            "social_connection.beta_endorphin_release_drive"
        ),
        "neuroadaptation.adaptation_rate_factor": "oxytocin_system.adaptation_rate_factor",
        "hpa_axis.oxytocin_buffering": "oxytocin_system.hpa_buffering",
        "reward.oxytocin_evoked_factor": "oxytocin_system.evoked_dopamine_factor",
        "endogenous_opioids.dopamine_beta_endorphin_release": (
            "striatal_peptides.beta_endorphin_release"
        ),
        "endogenous_opioids.striatal_dynorphin_induction": "striatal_peptides.dynorphin_induction",
    }


@cache
def load_module(path: str) -> ModelModule:
    return module_from(importlib.import_module(path))


def _with_dependencies(drugs: Iterable[str]) -> list[str]:
    ordered: list[str] = []

    def add(drug: str) -> None:
        if drug not in DRUG_MODULES:
            known = ", ".join(sorted(DRUG_MODULES))
            raise ConfigError(f"drug: got {drug!r}; known drugs: {known}.")
        for needed in DRUG_MODULES[drug][1]:
            add(needed)
        if drug not in ordered:
            ordered.append(drug)

    for drug in drugs:
        add(drug)
    return ordered


def check_physiology(physiology: Iterable[str], species: str) -> tuple[str, ...]:
    """The optional modules asked for, in a fixed order; a one-line error for a bad one."""
    asked = tuple(physiology)
    for name in asked:
        if name not in OPTIONAL_MODULES:
            known = ", ".join(sorted(OPTIONAL_MODULES))
            raise ConfigError(f"physiology: got {name!r}; known: {known}.")
        species_with_parameters = OPTIONAL_MODULES[name][1]
        if species not in species_with_parameters:
            raise ConfigError(
                f"physiology: {name} has parameters for {', '.join(species_with_parameters)} "
                f"only; got species {species!r}."
            )
    return tuple(name for name in OPTIONAL_MODULES if name in asked)


def build_model(
    drugs: Iterable[str] = ("morphine",),
    species: str = "human",
    physiology: Iterable[str] = (),
) -> AssembledModel:
    """Assemble the default model for a set of dosed drugs, a species and optional physiology
    (names of :data:`OPTIONAL_MODULES`, e.g. ``("ventilation",)``)."""
    key = (tuple(_with_dependencies(drugs)), species, check_physiology(physiology, species))
    return _build(*key)


@lru_cache(maxsize=32)
def _build(drugs: tuple[str, ...], species: str, physiology: tuple[str, ...]) -> AssembledModel:
    modules = [load_module(p) for p in CORE_MODULES]
    modules += [load_module(DRUG_MODULES[d][0]) for d in drugs]
    modules += [load_module(p) for p in RECEPTOR_MODULES]
    modules += [load_module(p) for p in ADAPTATION_MODULES]
    modules += [
        m for m in map(load_module, SPECIES_EFFECT_MODULES) if species in m.declaration.species
    ]
    modules += [load_module(OPTIONAL_MODULES[name][0]) for name in physiology]
    return assemble(
        modules,
        connections(drugs, physiology),
        species=species,
        endogenous_ligands=ENDOGENOUS_LIGANDS,
        feedback=feedback(),
    )


def catalog_from_modules():
    """Drug catalogue from the drug modules' declarations (see model/catalog.py)."""
    from opioidsim.model.catalog import DrugInfo, RouteInfo
    from opioidsim.units import Q_

    catalog = {}
    for drug, (path, _) in DRUG_MODULES.items():
        module = load_module(path)
        decl = module.declaration
        species = tuple(s for s in module.parameters if s != "any") or ("human",)
        any_table = next(iter(module.parameters.values()))
        mm = any_table[decl.molar_mass]
        iu = None
        if decl.mass_per_international_unit:
            rec = any_table[decl.mass_per_international_unit]
            iu = Q_(rec.value, rec.unit)
        routes = {}
        for r, route in decl.routes.items():
            route_mm = None
            if route.molar_mass:
                rec = any_table[route.molar_mass]
                route_mm = Q_(rec.value, rec.unit)
            routes[r] = RouteInfo(r, route.description, route.infusion, route_mm)
        ceiling = Q_(decl.dose_ceiling) if decl.dose_ceiling else None
        catalog[drug] = DrugInfo(
            drug, decl.description, routes, species, Q_(mm.value, mm.unit), iu, ceiling
        )
    return catalog


def event_catalog_from_modules():
    """Non-drug event kinds from the declarations of the modules every model has (see
    model/catalog.py)."""
    from opioidsim.model.catalog import EventInfo

    catalog = {}
    for path in (*CORE_MODULES, *RECEPTOR_MODULES, *ADAPTATION_MODULES):
        for name, kind in load_module(path).declaration.events.items():
            catalog[name] = EventInfo(name, kind.description, kind.intensity, kind.species)
    return catalog
