"""Input and output: scenario files, results, SBML export."""

from opioidsim.io.config import load_scenario

__all__ = ["load_scenario"]
