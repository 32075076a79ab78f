"""A COMBINE archive (OMEX) of one scenario: the SBML, a SED-ML simulation and its manifest.

SED-ML Level 1 Version 4 (Smith et al. 2021, J Integr Bioinform) carries what the SBML
cannot: the time course (0 to the scenario's end, its output grid), the integrator and its
settings as KiSAO terms (CVODE, KISAO:0000019; relative tolerance KISAO:0000209, absolute
tolerance KISAO:0000211, maximum internal steps KISAO:0000415) and a report of time and every
model observable. COPASI imports the SED-ML and runs it as written (tests). libroadrunner
(through tellurium) applies the absolute tolerance as one number, which it rescales by each
state's value at every restart; with doses that is fatal for this model (see
``io/sbml.py``), and SED-ML has no per-state tolerance to give instead.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path

from opioidsim.errors import ConfigError
from opioidsim.model.assemble import symbol_name

#: Integrator settings written into the SED-ML (KiSAO id -> value).
RELATIVE_TOLERANCE = 1e-8
ABSOLUTE_TOLERANCE = 1e-12
MAXIMUM_STEPS = 1_000_000
_CVODE = "KISAO:0000019"
_SETTINGS = {
    "KISAO:0000209": repr(RELATIVE_TOLERANCE),
    "KISAO:0000211": repr(ABSOLUTE_TOLERANCE),
    "KISAO:0000415": str(MAXIMUM_STEPS),
}
_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<omexManifest xmlns="http://identifiers.org/combine.specifications/omex-manifest">
  <content location="." format="http://identifiers.org/combine.specifications/omex"/>
  <content location="./manifest.xml"
           format="http://identifiers.org/combine.specifications/omex-manifest"/>
  <content location="./model.xml"
           format="http://identifiers.org/combine.specifications/sbml.level-3.version-2"/>
  <content location="./simulation.sedml" master="true"
           format="http://identifiers.org/combine.specifications/sed-ml.level-1.version-4"/>
</omexManifest>
"""


def sedml(
    duration_h: float, n_intervals: int, outputs: Sequence[str], name: str = "opioidsim"
) -> str:
    """The SED-ML document: a uniform time course of ``n_intervals`` steps to
    ``duration_h`` (the model's time unit is h) reporting time and ``outputs`` (model
    names, e.g. ``reward.accumbens_dopamine``)."""
    import libsedml

    if not duration_h > 0 or n_intervals < 1:
        raise ConfigError(
            f"omex: got duration {duration_h!r} h and {n_intervals} intervals; give a positive "
            "duration and at least one interval."
        )
    document = libsedml.SedDocument(1, 4)
    model = document.createModel()
    model.setId("model")
    model.setName(name)
    model.setSource("model.xml")
    model.setLanguage("urn:sedml:language:sbml.level-3.version-2")
    course = document.createUniformTimeCourse()
    course.setId("time_course")
    course.setInitialTime(0.0)
    course.setOutputStartTime(0.0)
    course.setOutputEndTime(float(duration_h))
    course.setNumberOfSteps(int(n_intervals))
    algorithm = course.createAlgorithm()
    algorithm.setKisaoID(_CVODE)
    for kisao, value in _SETTINGS.items():
        parameter = algorithm.createAlgorithmParameter()
        parameter.setKisaoID(kisao)
        parameter.setValue(value)
    task = document.createTask()
    task.setId("task")
    task.setModelReference("model")
    task.setSimulationReference("time_course")
    report = document.createReport()
    report.setId("report")
    report.setName(f"{name}: time (h) and every observable")
    for label, ident in (("time", None), *((o, symbol_name(o)) for o in outputs)):
        variable_id = "time" if ident is None else f"v_{ident}"
        generator = document.createDataGenerator()
        generator.setId(f"dg_{variable_id}")
        generator.setName(label)
        variable = generator.createVariable()
        variable.setId(variable_id)
        variable.setTaskReference("task")
        if ident is None:
            variable.setSymbol("urn:sedml:symbol:time")
        else:
            variable.setTarget(
                f"/sbml:sbml/sbml:model/sbml:listOfParameters/sbml:parameter[@id='{ident}']"
            )
        generator.setMath(libsedml.parseL3Formula(variable_id))
        data_set = report.createDataSet()
        data_set.setId(f"ds_{variable_id}")
        data_set.setLabel(label)
        data_set.setDataReference(f"dg_{variable_id}")
    text = libsedml.writeSedMLToString(document)
    errors = libsedml.readSedMLFromString(text).getErrorLog()
    if errors.getNumFailsWithSeverity(libsedml.LIBSEDML_SEV_ERROR):
        raise ConfigError(f"omex: the SED-ML does not validate: {errors.toString().strip()}")
    return text


def write_omex(
    path: str | Path,
    sbml: str,
    duration_h: float,
    n_intervals: int,
    outputs: Sequence[str],
    name: str = "opioidsim",
) -> Path:
    """Write the COMBINE archive (model.xml, simulation.sedml, manifest.xml) to ``path``."""
    from opioidsim.io.safe_write import replace_safely

    text = sedml(duration_h, n_intervals, outputs, name)

    def write(tmp: Path) -> None:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("manifest.xml", _MANIFEST)
            archive.writestr("model.xml", sbml)
            archive.writestr("simulation.sedml", text)

    return replace_safely(Path(path), write)
