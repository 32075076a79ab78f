"""Named, runnable experiments: each reproduces a published phenomenon."""

from __future__ import annotations

from pathlib import Path

from opioidsim.errors import ConfigError
from opioidsim.experiments.framework import AbstractExperiment, Check, ExperimentOutcome


def registry() -> dict[str, AbstractExperiment]:
    """Every experiment, by name."""
    from opioidsim.experiments.phenomena import (
        cocaine,
        cpp,
        defeat_reward,
        displacement,
        exec_control,
        hpa,
        ntx_alc,
        ntx_block,
        ntx_occ,
        ntx_precip,
        ntx_relapse,
        ntx_social,
        oxt_addict,
        oxt_block,
        reward_da,
        tol,
        vent_od,
        wd_negreinf,
        wd_neural,
        wd_spont,
    )

    experiments = [
        ntx_occ.EXPERIMENT,
        ntx_block.EXPERIMENT,
        displacement.EXPERIMENT,
        wd_spont.EXPERIMENT,
        ntx_precip.EXPERIMENT,
        tol.EXPERIMENT,
        vent_od.EXPERIMENT,
        reward_da.EXPERIMENT,
        wd_neural.EXPERIMENT,
        hpa.EXPERIMENT,
        ntx_social.EXPERIMENT,
        oxt_addict.EXPERIMENT,
        cocaine.EXPERIMENT,
        defeat_reward.EXPERIMENT,
        oxt_block.EXPERIMENT,
        ntx_alc.EXPERIMENT,
        wd_negreinf.EXPERIMENT,
        cpp.EXPERIMENT,
        ntx_relapse.EXPERIMENT,
        exec_control.EXPERIMENT,
    ]
    return {e.name: e for e in experiments}


def run_experiment(name: str, out_dir: str | Path = "experiments-out") -> ExperimentOutcome:
    """Run one experiment by name; write its table and figure into ``out_dir``."""
    experiments = registry()
    if name not in experiments:
        raise ConfigError(f"experiment: got {name!r}; known: {', '.join(experiments)}.")
    out = Path(out_dir)
    outcome = experiments[name].run(out)
    outcome.save_table(out)
    return outcome


__all__ = ["AbstractExperiment", "Check", "ExperimentOutcome", "registry", "run_experiment"]
