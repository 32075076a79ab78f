"""Solver outcomes, each with a message and a fix."""

from __future__ import annotations

from enum import Enum


class SolveStatus(Enum):
    """What happened to one subject's integration."""

    SUCCESS = ("finished", "")
    STEP_FAILURE = (
        "the integrator could not take a step (error or convergence test failures)",
        "tighten atol/rtol, or check the parameters for extreme values",
    )
    MAX_STEPS = (
        "the integrator needed more steps than allowed between two outputs",
        "use a finer output grid or raise max_steps",
    )
    NON_FINITE = (
        "a state became NaN or infinite",
        "check the subject's parameters (zero volume? negative rate?)",
    )
    OUT_OF_BOUNDS = (
        "a state left its physical bounds (e.g. occupancy > 1, amount < 0)",
        "tighten the tolerances (rtol, atol)",
    )
    NOT_RUN = ("not run", "")

    @property
    def message(self) -> str:
        return self.value[0]

    @property
    def fix(self) -> str:
        return self.value[1]
