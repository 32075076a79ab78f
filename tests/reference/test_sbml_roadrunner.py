"""Reference: our SBML export, run in libroadrunner, against opioidsim's own engine.

libroadrunner is an independent simulator (its own SBML reader, code generator and CVODE
set-up), so agreement checks the SBML export (equations, units of events, initial values)
and the engine's event handling at once.
"""

import re
from pathlib import Path

import numpy as np
import pytest
import sympy

from opioidsim.engine.compile import compile_model
from opioidsim.engine.events import BOLUS, RATE, EventTable
from opioidsim.engine.solve import SolverOptions, solve
from opioidsim.io.config import load_scenario
from opioidsim.io.sbml import ROUND_OFF_FLUSH, export_sbml, formula, validate_sbml
from opioidsim.model.assemble import AssembledModel, symbol_name
from opioidsim.model.default import DRUG_MODULES, build_model
from opioidsim.simulation import build_events, model_for, simulate, subject_parameters
from opioidsim.units import Q_

roadrunner = pytest.importorskip("roadrunner")
libsbml = pytest.importorskip("libsbml")

pytestmark = pytest.mark.roadrunner

#: Both simulators integrate at these tolerances (CVODE BDF in each).
SOLVER_RTOL = 1e-10
SOLVER_ATOL = 1e-12
#: Agreement between the two: two independent CVODE runs at rtol 1e-10 agree to about 1e-8
#: relative here (measured: 14 days, ~40 dose restarts); 1e-4 leaves room for
#: solver differences and still fails on any wrong rate constant, unit factor or lost dose.
AGREEMENT_RTOL = 1e-4
#: Values near 0 (a drug absent, an occupancy before the first dose) compare absolutely,
#: at this fraction of the series' maximum: there a relative error means nothing.
AGREEMENT_FLOOR = 1e-6

DAYS = 14
T_END_H = 24.0 * DAYS
N_TIMES = 3361  # every 0.1 h

#: The 14-day reference scenario needs naltrexone, which another module provides.
NALTREXONE = pytest.param(
    ("morphine", "naltrexone"),
    id="morphine+naltrexone",
    marks=pytest.mark.skipif(
        "naltrexone" not in DRUG_MODULES,
        reason="naltrexone is not yet in opioidsim.model.default.DRUG_MODULES",
    ),
)
DRUG_SETS = [pytest.param(("morphine",), id="morphine"), NALTREXONE]


# -- scenario helpers ------------------------------------------------------------------------
def _nmol(model: AssembledModel, drug: str, route: str, mg: float) -> float:
    """A dose in mg of the route's dose form as nmol (e.g. naltrexone HCl tablets)."""
    molar_mass = model.molar_mass(drug)
    form = model.drug_modules[drug].declaration.routes[route].molar_mass
    if form is not None:
        record = model.parameter_records[model.parameter_index(f"{drug}.{form}")]
        molar_mass = Q_(record.value, record.unit)
    return float(Q_(mg, "mg").to("nmol", "chemistry", mw=molar_mass).magnitude)


def _bolus(model, parameters, drug, route, time_h, mg):
    values = dict(zip(model.parameter_symbols, parameters, strict=True))
    amount = _nmol(model, drug, route, mg)
    return [
        (
            0,
            time_h,
            BOLUS,
            t.state_index,
            amount * float(sympy.sympify(t.fraction).xreplace(values)),
        )
        for t in model.routes[(drug, route)]
    ]


def _infusion(model, drug, time_h, duration_h, mg):
    rate = _nmol(model, drug, "iv", mg) / duration_h
    (target,) = model.routes[(drug, "iv")]
    return [
        (0, time_h, RATE, target.infusion_channel, rate),
        (0, time_h + duration_h, RATE, target.infusion_channel, -rate),
    ]


def _fourteen_days(model: AssembledModel, parameters: np.ndarray, drugs) -> EventTable:
    """Morphine 10 mg IV every 6 h for 7 days, 30 mg oral on day 9 (with that day's
    naltrexone), a 1 h 5 mg IV infusion on day 10; naltrexone 50 mg oral daily from day 8."""
    rows = []
    for k in range(7 * 4):
        rows += _bolus(model, parameters, "morphine", "iv", 6.0 * k, 10.0)
    rows += _bolus(model, parameters, "morphine", "oral", 192.0, 30.0)
    rows += _infusion(model, "morphine", 228.5, 1.0, 5.0)
    if "naltrexone" in drugs:
        for day in range(8, DAYS + 1):
            rows += _bolus(model, parameters, "naltrexone", "oral", 24.0 * (day - 1), 50.0)
    return EventTable.from_rows(rows)


# -- running both --------------------------------------------------------------------------------
def _run_roadrunner(xml: str, ids: list[str], times: np.ndarray) -> np.ndarray:
    runner = roadrunner.RoadRunner(xml)
    integrator = runner.integrator
    integrator.relative_tolerance = SOLVER_RTOL
    # A scalar atol is scaled by each state's initial value (1e-14 for the basal peptides);
    # a vector keeps it uniform, as in opioidsim's engine.
    integrator.absolute_tolerance = [SOLVER_ATOL] * runner.model.getNumRateRules()
    integrator.variable_step_size = False
    integrator.maximum_num_steps = 100_000
    runner.timeCourseSelections = ["time", *ids]
    out = np.asarray(runner.simulate(float(times[0]), float(times[-1]), len(times)))
    np.testing.assert_allclose(out[:, 0], times, rtol=0, atol=1e-9)
    return out[:, 1:].T


def _run_ours(model, parameters, events, times, names) -> np.ndarray:
    """opioidsim's engine at the reference tolerances: (observables, times)."""
    result = solve(
        compile_model(model),
        parameters[None, :],
        events,
        times,
        SolverOptions(rtol=SOLVER_RTOL, atol=SOLVER_ATOL),
    )
    return np.stack([result[name] for name in names])


def _run_both(model, parameters, events, times, names):
    xml = export_sbml(model, parameters, events)
    ours = _run_ours(model, parameters, events, times, names)
    theirs = _run_roadrunner(xml, [symbol_name(name) for name in names], times)
    return ours, theirs


def _relative_differences(ours, theirs, names, keep) -> dict[str, float]:
    """Max |difference| / |ours| per observable, where ours is above the absolute floor."""
    out = {}
    for name, a, b in zip(names, ours, theirs, strict=True):
        a, b = a[keep], b[keep]
        above = np.abs(a) > AGREEMENT_FLOOR * np.abs(a).max()
        out[name] = float((np.abs(a - b)[above] / np.abs(a[above])).max())
    return out


def _assert_agree(ours, theirs, names, keep):
    for name, a, b in zip(names, ours, theirs, strict=True):
        scale = np.abs(a[keep]).max()
        assert scale > 0, f"{name} is 0 throughout; the comparison would prove nothing"
        np.testing.assert_allclose(
            b[keep],
            a[keep],
            rtol=AGREEMENT_RTOL,
            atol=AGREEMENT_FLOOR * scale,
            err_msg=f"{name}: libroadrunner and opioidsim disagree",
        )


def _compared_observables(model: AssembledModel) -> list[str]:
    plasma = [n for n in model.observable_names if re.search(r"\.(\w+_)?plasma_concentration$", n)]
    occupancy = [n for n in model.observable_names if n.startswith("mu_receptor.occupancy[")]
    # Reward and neuroadaptation (issue 4): their states, and the withdrawal and dopamine
    # outputs that hold the where() branches.
    adaptation = [
        n
        for n in model.observable_names
        if n.startswith(("neuroadaptation.", "reward."))
        and n.partition(".")[2]
        in (
            "fast_desensitisation",
            "slow_desensitisation",
            "camp_superactivation",
            "allostatic_load",
            "crf_activation",
            "somatic_withdrawal_index",
            "accumbens_dopamine",
            "drug_value",
        )
    ]
    return plasma + occupancy + adaptation


def _not_at_events(times: np.ndarray, events: EventTable) -> np.ndarray:
    return ~np.isclose(times[:, None], events.time[None, :], rtol=0, atol=1e-9).any(axis=1)


# -- tests -----------------------------------------------------------------------------------
@pytest.fixture(scope="module", params=DRUG_SETS)
def scenario(request):
    drugs = request.param
    model = build_model(list(drugs), species="human")
    parameters = model.parameter_values.copy()
    events = _fourteen_days(model, parameters, drugs)
    return drugs, model, parameters, events


def test_libroadrunner_reproduces_plasma_concentrations_and_mu_occupancies_over_14_days(
    scenario,
):
    drugs, model, parameters, events = scenario
    times = np.linspace(0.0, T_END_H, N_TIMES)
    names = _compared_observables(model)
    assert {f"{drug}.plasma_concentration" for drug in drugs} <= set(names)
    assert {"neuroadaptation.camp_superactivation", "reward.accumbens_dopamine"} <= set(names)
    ours, theirs = _run_both(model, parameters, events, times, names)
    keep = _not_at_events(times, events)
    _assert_agree(ours, theirs, names, keep)
    differences = _relative_differences(ours, theirs, names, keep)
    print("max relative difference, libroadrunner vs opioidsim:")
    for name, value in differences.items():
        print(f"  {name}: {value:.2e}")


@pytest.mark.parametrize(
    "doses",
    [
        pytest.param([(0.0, "iv", 10.0)], id="dose-at-t0"),
        pytest.param([(0.0, "iv", 4.0), (0.0, "iv", 6.0)], id="two-at-t0-same-state"),
        pytest.param([(3.0, "iv", 4.0), (3.0, "iv", 6.0)], id="two-at-3h-same-state"),
        pytest.param([(3.0, "iv", 4.0), (3.0, "oral", 20.0)], id="two-at-3h-two-states"),
    ],
)
def test_a_dose_at_t0_and_coincident_doses_give_the_same_result_in_both(doses):
    model = build_model(["morphine"], species="human")
    parameters = model.parameter_values.copy()
    rows = [
        row
        for t, route, mg in doses
        for row in _bolus(model, parameters, "morphine", route, t, mg)
    ]
    events = EventTable.from_rows(rows)
    times = np.linspace(0.0, 12.0, 121)
    names = ["morphine.central_amount", "morphine.gut_amount", "morphine.plasma_concentration"]
    ours, theirs = _run_both(model, parameters, events, times, names)
    # Every dose counted: what was given is in the body at the dose time (output after it).
    last = np.searchsorted(times, max(t for t, _, _ in doses))
    oral = model.parameter("morphine.oral_bioavailability")
    in_body = sum(
        _nmol(model, "morphine", route, mg) * (oral if route == "oral" else 1.0)
        for _, route, mg in doses
    )
    for values in (ours, theirs):
        np.testing.assert_allclose(values[:2, last].sum(), in_body, rtol=1e-6)
    # Both show the state after the doses at a dose time, including t = 0: compare there too.
    nonzero = np.abs(ours).max(axis=1) > 0
    _assert_agree(
        ours[nonzero],
        theirs[nonzero],
        [n for n, k in zip(names, nonzero, strict=True) if k],
        np.ones(len(times), bool),
    )


def test_the_exported_sbml_passes_libsbml_consistency_checks(scenario):
    _, model, parameters, events = scenario
    xml = export_sbml(model, parameters, events)
    warnings = validate_sbml(xml)  # raises on any error
    print(f"{len(warnings)} libsbml warning(s)")
    for warning in warnings:
        print(" ", warning)
    # Units left unstated (99505, 99508, 20702: IU) are tolerable; a mismatch (105xx) is not.
    mismatches = [w for w in warnings if re.match(r"Warning 105\d\d ", w)]
    assert not mismatches, "\n".join(mismatches)
    document = libsbml.readSBMLFromString(xml)
    assert document.getLevel() == 3 and document.getVersion() == 2


def test_the_sbml_check_finds_a_wrong_unit():
    # The consistency test above must be able to fail: break one parameter's unit.
    model = build_model(["morphine"], species="human")
    xml = export_sbml(model, model.parameter_values, EventTable.empty())
    broken = re.sub(r'(id="p__morphine__clearance"[^>]*units=")L_per_h"', r'\1L"', xml)
    assert broken != xml
    warnings = validate_sbml(broken)
    assert any("morphine__central_amount" in w and "unit consistency" in w for w in warnings)


def test_parameter_provenance_is_in_notes_annotation_and_identifiers_org_terms():
    model = build_model(["morphine"], species="human")
    xml = export_sbml(model, model.parameter_values, EventTable.empty())
    record = model.parameter_records[model.parameter_index("morphine.clearance")]
    assert record.provenance == "measured" and record.sources[0].doi
    uri = f"https://identifiers.org/doi:{record.sources[0].doi}"
    assert uri in xml

    sbml = libsbml.readSBMLFromString(xml).getModel()
    element = sbml.getParameter(symbol_name("p.morphine.clearance"))
    assert element.getName() == "morphine.clearance"
    assert element.getConstant()
    assert element.getValue() == pytest.approx(model.parameter("morphine.clearance"), rel=1e-15)
    terms = [element.getCVTerm(k) for k in range(element.getNumCVTerms())]
    described_by = [
        term.getResourceURI(k)
        for term in terms
        if term.getBiologicalQualifierType() == libsbml.BQB_IS_DESCRIBED_BY
        for k in range(term.getNumResources())
    ]
    assert uri in described_by
    notes = element.getNotesString()
    assert "Provenance: measured; confidence: high." in notes
    assert record.sources[0].citation in notes
    annotation = element.getAnnotationString()
    assert 'provenance="measured"' in annotation and 'species="human"' in annotation

    # An assumed value has no identifier but says why, in the notes and the annotation.
    j = model.parameter_index("morphine.plasma_unbound_fraction")
    assumed = model.parameter_records[j]
    element = sbml.getParameter(model.parameter_symbols[j].name)
    assert assumed.provenance == "assumed" and element.getNumCVTerms() == 0
    assert assumed.reason in element.getNotesString()
    assert "generated by opioidsim" in sbml.getNotesString().lower()


def test_the_per_dose_export_has_one_event_per_dose_row(scenario):
    _, model, parameters, events = scenario
    xml = export_sbml(model, parameters, events, compact_events=False)
    sbml = libsbml.readSBMLFromString(xml).getModel()
    assert sbml.getNumEvents() == len(events) > 0
    for k in range(len(events)):
        event = sbml.getEvent(k)
        (assignment,) = [
            event.getEventAssignment(i) for i in range(event.getNumEventAssignments())
        ]
        symbols = model.state_symbols if events.kind[k] == BOLUS else model.input_symbols
        assert assignment.getVariable() == symbols[events.target[k]].name
        trigger = libsbml.formulaToL3String(event.getTrigger().getMath())
        assert float(trigger.split(">=")[1].split()[0]) == events.time[k]
        assert not event.getTrigger().getInitialValue()  # a t = 0 dose fires at t = 0


def test_the_sbml_printer_writes_math_that_libroadrunner_evaluates_like_sympy():
    # Constructs the current model does not use, evaluated by an independent reader.
    x, y = sympy.symbols("x y", real=True)
    expressions = {
        "quotient": (x + 2) / (y * (x - 1)) - sympy.Rational(1, 3) * x,
        "powers": x ** sympy.Rational(1, 2) + (x * y) ** -2 + sympy.exp(-x / y) * sympy.log(y),
        "negated": -(x**y) - 2 * (x - y),
        "piecewise": sympy.Piecewise((x, x > y), (2 * y, sympy.And(x <= y, y < 3)), (0, True)),
        "extrema": sympy.Max(x, y, 2.5) - sympy.Min(x, y) + sympy.Abs(y - x),
        # maximum / positive_part as the model writes them, and as sympy rearranges them
        "maximum": sympy.Piecewise((x, x > y), (y, True)),
        "minimum": sympy.Piecewise((x, x < y), (y, True)),
        "rearranged": sympy.Piecewise((x - y - 1, y - x < -1), (0, True)),
        "divided": y / sympy.Max(x, 2.5) + 1 / sympy.Min(x, y),
    }
    names = {x: "x", y: "y"}
    document = libsbml.SBMLDocument(3, 2)
    model = document.createModel()
    for symbol, value in ((x, 2.0), (y, 0.75)):
        p = model.createParameter()
        p.setId(symbol.name)
        p.setValue(value)
        p.setConstant(True)
    for key, expr in expressions.items():
        p = model.createParameter()
        p.setId(key)
        p.setConstant(False)
        rule = model.createAssignmentRule()
        rule.setVariable(key)
        rule.setMath(libsbml.parseL3Formula(formula(expr, names, key)))
    runner = roadrunner.RoadRunner(libsbml.writeSBMLToString(document))
    for key, expr in expressions.items():
        expected = float(expr.subs({x: 2.0, y: 0.75}))
        assert runner[key] == pytest.approx(expected, rel=1e-14), (key, formula(expr, names))
    for key in ("maximum", "minimum", "rearranged"):  # abs, not a root-finding piecewise
        text = formula(expressions[key], names, key)
        assert "piecewise" not in text and "abs(" in text, text


def test_libroadrunner_runs_a_subject_at_rest_with_its_default_integrator():
    # Until session 11 the receptors started empty and the basal peptides filled them in
    # the first minutes; each max()/min() was a piecewise root; at a root libroadrunner
    # restarts CVODE and scales its scalar absolute tolerance by every state's current
    # value (1e-12 x 1e-38 ...): CV_TOO_MUCH_WORK at t ~ 6e-13 h. Doses trigger the same
    # rule at every event; the test below runs a dosed scenario on the defaults.
    model = build_model([])
    runner = roadrunner.RoadRunner(export_sbml(model, model.parameter_values, EventTable.empty()))
    result = runner.simulate(0.0, 24.0, 25)
    column = list(result.colnames).index(symbol_name("reward.accumbens_dopamine"))
    dopamine = result[:, column]
    np.testing.assert_allclose(dopamine, 100.0, rtol=1e-4)


#: A run on libroadrunner's defaults (rtol 1e-6) against opioidsim's (rtol 1e-6): they agree
#: to this fraction of each series' maximum (measured: 1.2e-5, the naltrexol occupancy).
DEFAULT_AGREEMENT = 1e-3
#: Naltrexone 50 mg daily for 5 days, heroin 0.2 mg/kg IV at day 5: the heroin and morphine
#: occupancies hold round-off (1e-153) after 5 drug-free days when the dose lifts them.
DRUG_FREE_THEN_DOSED = Path(__file__).resolve().parents[2] / "examples/naltrexone_then_heroin.yaml"


def _example_export(flush_below: float | None = ROUND_OFF_FLUSH):
    """The example as `opioidsim export-sbml` writes it: (XML, model, event table)."""
    loaded = load_scenario(DRUG_FREE_THEN_DOSED)
    model = model_for(loaded)
    parameters = subject_parameters(model, loaded)
    doses = loaded.dose_records()
    events = EventTable.from_rows(
        build_events(compile_model(model), doses, parameters, episodes=loaded.event_records())
    )
    return export_sbml(model, parameters, events, flush_below=flush_below), model, events


def _compared_names(model) -> list[str]:
    """Plasma concentrations and mu occupancies: the series a reference run must reproduce."""
    plasma = re.compile(r"\.(\w+_)?plasma_concentration$")
    names = [
        n
        for n in model.observable_names
        if plasma.search(n) or n.startswith("mu_receptor.occupancy[")
    ]
    assert {"heroin.plasma_concentration", "mu_receptor.occupancy[heroin]"} <= set(names)
    return names


def _assert_like_opioidsim(ours, time: np.ndarray, series: dict[str, np.ndarray]) -> None:
    """Each series within DEFAULT_AGREEMENT of its maximum in ``ours``, past the heroin dose."""
    np.testing.assert_allclose(time, ours.time, rtol=0, atol=1e-9)
    assert time[-1] > 120.0  # past the heroin dose
    for name, column in series.items():
        reference = ours[name]
        scale = np.abs(reference).max()
        assert scale > 0, f"{name} is 0 throughout; the comparison would prove nothing"
        worst = np.abs(column - reference).max() / scale
        print(f"  {name}: max |reference - opioidsim| / max = {worst:.1e}")
        assert worst <= DEFAULT_AGREEMENT, name


def _assert_runs_like_opioidsim(runner, model) -> None:
    """``runner`` (the example's export, loaded) gives opioidsim's plasma concentrations and
    mu occupancies to DEFAULT_AGREEMENT of each series' maximum, past the heroin dose."""
    ours = simulate(DRUG_FREE_THEN_DOSED)  # opioidsim's default tolerances
    names = _compared_names(model)
    runner.timeCourseSelections = ["time", *(symbol_name(n) for n in names)]
    theirs = np.asarray(runner.simulate(0.0, float(ours.time[-1]), len(ours.time)))
    _assert_like_opioidsim(ours, theirs[:, 0], dict(zip(names, theirs[:, 1:].T, strict=True)))


def test_libroadrunner_runs_a_dosed_scenario_as_exported_with_its_default_integrator():
    # Issue 19: a modeller runs the file as it comes, no integrator setting touched. Each
    # event flushes round-off to 0 (io/sbml.py _add_flush); without it this run stops with a
    # CVODE failure (convergence or error test, with step ~1e-26 h) at the heroin dose
    # (t = 120 h; the next test).
    xml, model, events = _example_export()
    assert np.isin(120.0, events.time)
    _assert_runs_like_opioidsim(roadrunner.RoadRunner(xml), model)


def test_without_the_flush_libroadrunner_fails_at_the_first_heroin_dose():
    # The test above can fail: the same export with no flush stops at the heroin dose. If a
    # libroadrunner release passes this, its tolerance rule changed; the flush may be moot.
    xml, _, _ = _example_export(flush_below=None)
    runner = roadrunner.RoadRunner(xml)
    # Which CVODE failure it reports moves with the parameter values (CV_CONV_FAILURE before
    # naltrexone's refit in session 18, CV_ERR_FAILURE after); both stop at t = 120 h.
    with pytest.raises(RuntimeError, match=r"CV_(CONV|ERR)_FAILURE"):
        runner.simulate(0.0, 168.0, 1009)


def _export_archive(tmp_path: Path) -> Path:
    """The example as `opioidsim export-sbml --omex` writes it."""
    from typer.testing import CliRunner

    from opioidsim.cli.app import app

    archive = tmp_path / "run.omex"
    result = CliRunner().invoke(
        app, ["export-sbml", str(DRUG_FREE_THEN_DOSED), "--omex", "-o", str(archive)]
    )
    assert result.exit_code == 0, result.output
    return archive


def test_libroadrunner_runs_the_omex_archive_with_the_settings_its_sed_ml_gives(tmp_path):
    # What one does by hand with `export-sbml --omex`: the archive's model, time course and
    # KiSAO settings, the absolute tolerance set as the one number SED-ML gives. Without
    # the flush this fails (CV_TOO_MUCH_ACC at t = 96 h). The next test lets tellurium's
    # SED-ML executor do the same.
    import zipfile
    from xml.etree import ElementTree

    archive = _export_archive(tmp_path)
    with zipfile.ZipFile(archive) as opened:
        xml = opened.read("model.xml").decode()
        sedml = ElementTree.fromstring(opened.read("simulation.sedml"))
    settings = {
        element.get("kisaoID"): float(element.get("value"))
        for element in sedml.iter("{http://sed-ml.org/sed-ml/level1/version4}algorithmParameter")
    }
    runner = roadrunner.RoadRunner(xml)
    integrator = runner.integrator
    integrator.relative_tolerance = settings["KISAO:0000209"]
    integrator.absolute_tolerance = settings["KISAO:0000211"]  # a scalar, rescaled per state
    integrator.maximum_num_steps = int(settings["KISAO:0000415"])
    _assert_runs_like_opioidsim(runner, model_for(load_scenario(DRUG_FREE_THEN_DOSED)))


_EXECUTE_ARCHIVE = """
import sys
from tellurium.sedml import tesedml
tesedml.executeCombineArchive(sys.argv[1], workingDir=sys.argv[2], createOutputs=True,
                              saveOutputs=True, outputDir=sys.argv[2], plottingEngine="null")
"""


def test_tellurium_executes_the_omex_archive_and_reproduces_opioidsim(tmp_path):
    # Issue 19: the archive run by an SED-ML executor as it comes. tellurium reads the
    # SED-ML (model, uniform time course, KiSAO integrator settings, the report of every
    # observable) and runs it in libroadrunner; its report CSV is compared with opioidsim.
    # In its own process, as a user runs it: importing tellurium loads libsedml, whose SWIG
    # ASTNode then answers libsbml.parseL3Formula in the same process (the exporter's id
    # check would fail).
    import subprocess
    import sys

    import pandas as pd

    archive = _export_archive(tmp_path)
    out = tmp_path / "executed"
    out.mkdir()
    run = subprocess.run(
        [sys.executable, "-c", _EXECUTE_ARCHIVE, str(archive), str(out)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    reports = list(out.glob("*.csv"))
    assert len(reports) == 1, reports
    report = pd.read_csv(reports[0])
    ours = simulate(DRUG_FREE_THEN_DOSED)
    names = _compared_names(model_for(load_scenario(DRUG_FREE_THEN_DOSED)))
    _assert_like_opioidsim(
        ours, report["time"].to_numpy(), {n: report[n].to_numpy() for n in names}
    )


_SI_OF_KIND = {
    "second": Q_(1, "s"),
    "mole": Q_(1, "mol"),
    "kilogram": Q_(1, "kg"),
    "gram": Q_(1, "g"),
    "litre": Q_(1, "L"),
    "metre": Q_(1, "m"),
    "dimensionless": Q_(1, ""),
}


def test_every_unit_definition_equals_the_pint_unit_it_is_named_after():
    # Consistency checks cannot see a unit that is wrong everywhere alike (an hour of 60 s).
    model = build_model(["morphine"], species="human")
    xml = export_sbml(model, model.parameter_values, EventTable.empty())
    sbml = libsbml.readSBMLFromString(xml).getModel()
    assert sbml.getTimeUnits() == "h"
    seen = set()
    for k in range(sbml.getNumUnitDefinitions()):
        definition = sbml.getUnitDefinition(k)
        value = Q_(1, "")
        for i in range(definition.getNumUnits()):
            unit = definition.getUnit(i)
            kind = libsbml.UnitKind_toString(unit.getKind())
            factor = unit.getMultiplier() * 10.0 ** unit.getScale() * _SI_OF_KIND[kind]
            value = value * factor ** unit.getExponent()
        expected = Q_(1, definition.getName())
        assert value.dimensionality == expected.dimensionality, definition.getName()
        assert value.to(expected.units).magnitude == pytest.approx(1.0, rel=1e-12), (
            definition.getName()
        )
        seen.add(definition.getName())
    assert {"h", "nM", "nmol", "L", "1/h", "L/h", "kg"} <= seen


def test_every_drug_module_exports_sbml_whose_initial_state_is_the_subjects():
    # All drugs at once: every equation of every module must print, parse and load; and the
    # file carries the parameters given (not the defaults), initial assignments included.
    model = build_model(sorted(DRUG_MODULES), species="human")
    parameters = model.parameter_values * 1.25
    xml = export_sbml(model, parameters, EventTable.empty())
    validate_sbml(xml)
    runner = roadrunner.RoadRunner(xml)
    expected = model.initial_states(parameters)[0]
    assert any(j is not None for j in model.state_initial_parameter)
    for symbol, value in zip(model.state_symbols, expected, strict=True):
        assert runner[symbol.name] == pytest.approx(value, rel=1e-15, abs=0), symbol.name
    for symbol, value in zip(model.parameter_symbols, parameters, strict=True):
        assert runner[symbol.name] == pytest.approx(value, rel=1e-15, abs=0), symbol.name
    sbml = libsbml.readSBMLFromString(xml).getModel()
    # libsbml writes doubles with 15 significant digits: equal to the last bit but one.
    for symbol, value in zip(model.state_symbols, expected, strict=True):
        assert sbml.getParameter(symbol.name).getValue() == pytest.approx(
            value, rel=1e-15, abs=0
        ), symbol.name
    # A parameter-valued initial state follows its parameter (an initialAssignment).
    for i, j in enumerate(model.state_initial_parameter):
        if j is not None:
            runner[f"init({model.parameter_symbols[j].name})"] = 2.0 * parameters[j]
            runner.reset()
            assert runner[model.state_symbols[i].name] == pytest.approx(2.0 * parameters[j])


def test_libroadrunner_reproduces_the_closed_loop_ventilation_of_an_overdose_and_rescue():
    # physiology: [ventilation]: blood gases, delayed chemoreflexes and the arrest timer, with
    # fentanyl 14 mg IV (arrest without naloxone) and naloxone 2 mg IM a minute later.
    model = build_model(["fentanyl", "naloxone"], species="human", physiology=("ventilation",))
    parameters = model.parameter_values.copy()
    rows = _bolus(model, parameters, "fentanyl", "iv", 0.0, 14.0)
    rows += _bolus(model, parameters, "naloxone", "im", 1.0 / 60.0, 2.0)
    events = EventTable.from_rows(rows)
    times = np.linspace(0.0, 1.0, 721)  # every 5 s
    names = [
        "fentanyl.plasma_concentration",
        "naloxone.plasma_concentration",
        "mu_effects.respiratory_depression",
        "ventilation.ventilation_fraction",
        "ventilation.arterial_co2",
        "ventilation.arterial_o2_saturation",
        "ventilation.arterial_o2",
    ]
    ours, theirs = _run_both(model, parameters, events, times, names)
    assert ours[names.index("ventilation.ventilation_fraction")].min() < 0.5
    _assert_agree(ours, theirs, names, _not_at_events(times, events))


@pytest.mark.parametrize(
    ("species", "doses"),
    [
        pytest.param(
            "human",
            [("iv", 0.0, 25.0), ("intranasal", 1.0, 60.0), ("smoked", 2.5, 40.0)],
            id="human-iv-intranasal-smoked",
        ),
        pytest.param("mouse", [("ip", 0.0, 0.25), ("ip", 1.0, 0.25)], id="mouse-ip"),
    ],
)
def test_libroadrunner_reproduces_cocaine_transporter_occupancy_and_dopamine(species, doses):
    # cocaine -> dopamine-transporter occupancy -> accumbens dopamine and the learned value,
    # and the dopamine-driven peptides (D1 beta-endorphin, induced prodynorphin).
    drugs = ["cocaine"] if species == "mouse" else ["morphine", "cocaine"]
    model = build_model(drugs, species=species)
    parameters = model.parameter_values.copy()
    rows = []
    for route, time_h, mg in doses:
        rows += _bolus(model, parameters, "cocaine", route, time_h, mg)
    events = EventTable.from_rows(rows)
    times = np.linspace(0.0, 5.0, 601)
    names = [
        "cocaine.plasma_concentration",
        "dopamine_transporter.occupancy",
        "reward.accumbens_dopamine",
        "reward.drug_value",
        "endogenous_opioids.beta_endorphin_concentration",
        "striatal_peptides.prodynorphin_mrna",
        "striatal_peptides.dynorphin_content",
    ]
    ours, theirs = _run_both(model, parameters, events, times, names)
    assert ours[names.index("dopamine_transporter.occupancy")].max() > 0.5
    assert ours[names.index("striatal_peptides.prodynorphin_mrna")].max() > 1.01
    _assert_agree(ours, theirs, names, _not_at_events(times, events))


def test_a_repeated_dose_is_one_event_and_gives_the_per_dose_trajectories(scenario):
    # The 14-day schedule: 28 morphine IV doses 6 h apart and naltrexone oral daily (two
    # target states) become one periodic event each; the single doses stay single.
    _, model, parameters, events = scenario
    # The per-dose encoding has no round-off flush; compare the encodings alone.
    compact = export_sbml(model, parameters, events, flush_below=None)
    per_dose = export_sbml(model, parameters, events, compact_events=False)
    sbml = libsbml.readSBMLFromString(compact).getModel()
    periodic = [
        sbml.getEvent(k)
        for k in range(sbml.getNumEvents())
        if "every" in sbml.getEvent(k).getName()
    ]
    assert sbml.getNumEvents() < len(events) / 4
    assert any(", 28 times" in event.getName() for event in periodic)
    assert validate_sbml(compact) == []
    times = np.linspace(0.0, T_END_H, N_TIMES)
    ids = [symbol_name(n) for n in _compared_observables(model)]
    np.testing.assert_array_equal(
        _run_roadrunner(compact, ids, times), _run_roadrunner(per_dose, ids, times)
    )


@pytest.mark.parametrize(
    "times, runs",
    [
        (np.array([0.0, 6.0, 12.0, 18.0]), [(0.0, 6.0, 4)]),
        (np.array([1.0, 2.0]), [(1.0, 0.0, 1), (2.0, 0.0, 1)]),
        (
            np.array([0.0, 0.0, 6.0, 12.0, 18.0, 30.0]),
            [(0.0, 0.0, 1), (0.0, 6.0, 4), (30.0, 0.0, 1)],
        ),
        (0.1 + 0.7 * np.arange(1000.0), [(0.1, 0.7, 1000)]),
    ],
)
def test_periodic_runs_split_a_schedule_into_repeats_and_singles(times, runs):
    from opioidsim.io.sbml import _periodic_runs

    found = _periodic_runs(times)
    assert [(f, c) for f, _, c in found] == [(f, c) for f, _, c in runs]
    for (_, period, _), (_, expected, _) in zip(found, runs, strict=True):
        assert period == pytest.approx(expected, rel=1e-12)


def test_a_petab_condition_scales_the_doses_of_the_exported_sbml(tmp_path):
    # The PEtab problem's 16 mg condition (dose_scale 8 on the 2 mg schedule), run in
    # libroadrunner, gives the buprenorphine occupancy opioidsim computes for 16 mg.
    from opioidsim.simulation import simulate
    from opioidsim.validation.petab_problems import problem, write_petab

    spec = problem("buprenorphine-mu-affinity")
    write_petab(spec.name, tmp_path)
    occupancy = symbol_name("mu_receptor.occupancy[buprenorphine]")
    at_scan = {}
    for condition in spec.conditions:
        (measurement,) = [m for m in spec.measurements if m.condition == condition.id]
        runner = roadrunner.RoadRunner(str(tmp_path / "model.xml"))
        runner["dose_scale"] = condition.dose_scale
        integrator = runner.integrator
        integrator.relative_tolerance = SOLVER_RTOL
        integrator.absolute_tolerance = [SOLVER_ATOL] * runner.model.getNumRateRules()
        integrator.maximum_num_steps = 100_000
        runner.timeCourseSelections = ["time", occupancy]
        theirs = float(np.asarray(runner.simulate(0.0, measurement.time_h, 3))[-1, 1])
        ours = simulate(spec.scenario(condition.dose_scale))
        output = spec.observables[0].output
        expected = float(np.interp(measurement.time_h, ours.time, ours[output]))
        assert theirs == pytest.approx(expected, rel=1e-4), condition.id
        at_scan[condition.dose_scale] = theirs
    assert at_scan[1.0] < at_scan[8.0] < at_scan[16.0]


@pytest.mark.parametrize(
    ("species", "drugs", "doses"),
    [
        pytest.param(
            "human",
            ["naltrexone", "ethanol"],
            [
                ("naltrexone", "oral", 0.0, 50.0),
                ("ethanol", "oral", 1.0, 14000.0),
                ("ethanol", "oral", 1.5, 14000.0),
                ("ethanol", "iv", 3.0, 5000.0),
            ],
            id="human-naltrexone-then-drinks",
        ),
        pytest.param("rat", ["ethanol"], [("ethanol", "ip", 0.0, 250.0)], id="rat-ip-1g/kg"),
    ],
)
def test_libroadrunner_reproduces_ethanol_kinetics_and_its_beta_endorphin(species, drugs, doses):
    # Michaelis-Menten elimination -> brain ethanol -> evoked beta-endorphin -> mu occupancy.
    model = build_model(drugs, species=species)
    parameters = model.parameter_values.copy()
    rows = []
    for drug, route, time_h, mg in doses:
        rows += _bolus(model, parameters, drug, route, time_h, mg)
    events = EventTable.from_rows(rows)
    times = np.linspace(0.0, 8.0, 481)
    names = [
        "ethanol.blood_concentration",
        "ethanol.beta_endorphin_release",
        "endogenous_opioids.beta_endorphin_concentration",
        "mu_receptor.occupancy[beta_endorphin]",
    ]
    ours, theirs = _run_both(model, parameters, events, times, names)
    assert ours[names.index("ethanol.beta_endorphin_release")].max() > 0.1
    _assert_agree(ours, theirs, names, _not_at_events(times, events))
