"""What an experiment is: a protocol, published observations, a criterion, a verdict.

An experiment (one file per phenomenon in ``phenomena/``) simulates the protocols of the
published studies, compares each simulated quantity with its observation under a criterion
stated before the simulation, and returns an :class:`ExperimentOutcome`: one
:class:`Check` per observation, a table (CSV) and a figure (PNG).

Each check carries the role of its data set. Checks against *calibration* data show how well
the fit went; only checks against *validation* data decide whether the experiment passes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from opioidsim.io.datasets import Dataset, load_dataset


@dataclass(frozen=True)
class Check:
    """One observation, its simulated counterpart and the verdict."""

    dataset: str
    role: str
    condition: str
    quantity: str
    observed: float | None
    simulated: float
    unit: str
    criterion: str
    passed: bool
    observed_label: str | None = None

    @property
    def observed_text(self) -> str:
        if self.observed_label:
            return self.observed_label
        return "" if self.observed is None else f"{self.observed:.3g} {self.unit}".strip()

    @property
    def simulated_text(self) -> str:
        return f"{self.simulated:.3g} {self.unit}".strip()


@dataclass
class ExperimentOutcome:
    """The result of running one experiment."""

    name: str
    title: str
    phenomenon: str
    checks: list[Check]
    notes: list[str] = field(default_factory=list)
    figure: Path | None = None
    table_path: Path | None = None

    @property
    def validation_checks(self) -> list[Check]:
        return [c for c in self.checks if c.role == "validation"]

    @property
    def passed(self) -> bool:
        """True when every validation check passes (and there is at least one)."""
        checks = self.validation_checks
        return bool(checks) and all(c.passed for c in checks)

    def to_pandas(self):
        import pandas as pd

        return pd.DataFrame(
            [
                {
                    "experiment": self.name,
                    "dataset": c.dataset,
                    "role": c.role,
                    "condition": c.condition,
                    "quantity": c.quantity,
                    "observed": c.observed,
                    "observed_label": c.observed_label or "",
                    "simulated": c.simulated,
                    "unit": c.unit,
                    "criterion": c.criterion,
                    "passed": c.passed,
                }
                for c in self.checks
            ]
        )

    def save_table(self, out_dir: Path) -> Path:
        out_dir.mkdir(parents=True, exist_ok=True)
        path = out_dir / f"{self.name.lower().replace('-', '_')}.csv"
        self.to_pandas().to_csv(path, index=False)
        self.table_path = path
        return path


@dataclass(frozen=True)
class AbstractExperiment:
    """Declaration of an experiment; ``run`` does the work."""

    name: str
    phenomenon: str
    title: str
    dataset_names: tuple[str, ...]
    run: Callable[[Path], ExperimentOutcome]
    description: str = ""

    def datasets(self) -> list[Dataset]:
        return [load_dataset(n) for n in self.dataset_names]


def relative_error(simulated: float, observed: float) -> float:
    return abs(simulated - observed) / abs(observed)


FIGURE_DPI = 110


def save_figure(fig, out_dir: Path, stem: str) -> Path:
    """Lay out, write ``out_dir/<stem>.png`` and close a matplotlib figure."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{stem}.png"
    fig.savefig(path, dpi=FIGURE_DPI)
    plt.close(fig)
    return path
