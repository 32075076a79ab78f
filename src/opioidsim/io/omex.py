"""A COMBINE archive (OMEX) of one scenario: the SBML, a SED-ML simulation and its manifest.

SED-ML Level 1 Version 4 (Smith et al. 2021, J Integr Bioinform) carries what the SBML
cannot: the time course (0 to the scenario's end, its output grid), the integrator and its
settings as KiSAO terms (CVODE, KISAO:0000019; relative tolerance KISAO:0000209, absolute
tolerance KISAO:0000211, maximum internal steps KISAO:0000415) and a report of time and every
model observable. COPASI imports the SED-ML and runs it as written (tests). libroadrunner
(through a SED-ML executor such as tellurium) applies the absolute tolerance as one number,
which it rescales by each state's value at every restart, and SED-ML has no per-state
tolerance to give instead; the export's round-off flush at every event (``io/sbml.py``,
``_add_flush``) makes that run too (tested: tellurium's SED-ML executor runs the archive).
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


_SEDML = "http://sed-ml.org/sed-ml/level1/version4"
_MATHML = "http://www.w3.org/1998/Math/MathML"


def sedml(
    duration_h: float, n_intervals: int, outputs: Sequence[str], name: str = "opioidsim"
) -> str:
    """The SED-ML document: a uniform time course of ``n_intervals`` steps to
    ``duration_h`` (the model's time unit is h) reporting time and ``outputs`` (model
    names, e.g. ``reward.accumbens_dopamine``).

    Written with the standard library: python-libsedml's SWIG module, imported beside
    python-libsbml, breaks libsbml's AST types in the same process (``getType()`` returns an
    opaque pointer), which the SBML exporter relies on.
    """
    import xml.etree.ElementTree as ET

    if not duration_h > 0 or n_intervals < 1:
        raise ConfigError(
            f"omex: got duration {duration_h!r} h and {n_intervals} intervals; give a positive "
            "duration and at least one interval."
        )
    ET.register_namespace("", _SEDML)
    ET.register_namespace("math", _MATHML)

    def sub(parent: ET.Element, tag: str, **attributes: str) -> ET.Element:
        return ET.SubElement(parent, f"{{{_SEDML}}}{tag}", attributes)

    root = ET.Element(f"{{{_SEDML}}}sedML", {"level": "1", "version": "4"})
    models = sub(root, "listOfModels")
    sub(
        models, "model", id="model", name=name, source="model.xml",
        language="urn:sedml:language:sbml.level-3.version-2",
    )  # fmt: skip
    simulations = sub(root, "listOfSimulations")
    course = sub(
        simulations, "uniformTimeCourse", id="time_course", initialTime="0",
        outputStartTime="0", outputEndTime=repr(float(duration_h)),
        numberOfSteps=str(int(n_intervals)),
    )  # fmt: skip
    algorithm = sub(course, "algorithm", kisaoID=_CVODE)
    settings = sub(algorithm, "listOfAlgorithmParameters")
    for kisao, value in _SETTINGS.items():
        sub(settings, "algorithmParameter", kisaoID=kisao, value=value)
    tasks = sub(root, "listOfTasks")
    sub(tasks, "task", id="task", modelReference="model", simulationReference="time_course")
    generators = sub(root, "listOfDataGenerators")
    outputs_element = sub(root, "listOfOutputs")
    report = sub(outputs_element, "report", id="report", name=f"{name}: time (h) and every "
                 "observable")  # fmt: skip
    data_sets = sub(report, "listOfDataSets")
    for label, ident in (("time", None), *((o, symbol_name(o)) for o in outputs)):
        variable_id = "time" if ident is None else f"v_{ident}"
        generator = sub(generators, "dataGenerator", id=f"dg_{variable_id}", name=label)
        variables = sub(generator, "listOfVariables")
        if ident is None:
            sub(variables, "variable", id=variable_id, taskReference="task",
                symbol="urn:sedml:symbol:time")  # fmt: skip
        else:
            sub(variables, "variable", id=variable_id, taskReference="task",
                target="/sbml:sbml/sbml:model/sbml:listOfParameters/sbml:parameter"
                f"[@id='{ident}']")  # fmt: skip
        math = ET.SubElement(generator, f"{{{_MATHML}}}math")
        ET.SubElement(math, f"{{{_MATHML}}}ci").text = variable_id
        sub(data_sets, "dataSet", id=f"ds_{variable_id}", label=label,
            dataReference=f"dg_{variable_id}")  # fmt: skip
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    # the XPath targets use the sbml prefix: declare it on the root
    text = text.replace(
        "<sedML ", '<sedML xmlns:sbml="http://www.sbml.org/sbml/level3/version2/core" ', 1
    )
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


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
