"""What an experiment is: a protocol, published observations, a criterion, a verdict.

An experiment (one file per phenomenon in ``phenomena/``) simulates the protocols of the
published studies, compares each simulated quantity with its observation under a criterion
stated before the simulation, and returns an :class:`ExperimentOutcome`: one
:class:`Check` per observation, a table (CSV) and a figure (PNG).

Each check carries the role and kind of its data set. Checks against *calibration* data show
how well the fit went; only checks against *validation* data of kind ``data`` (measurements)
decide whether the experiment passes. Checks against a validation data set of kind ``model``
(another model's prediction) are model-to-model comparisons: shown, never counted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from opioidsim.io.datasets import Dataset, load_dataset
from opioidsim.io.safe_write import make_output_folder, save_figure_safely, write_csv_safely


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
    kind: str = "data"  # the data set's kind: "data" (measurements) or "model" (a prediction)

    @classmethod
    def of(
        cls,
        data: Dataset,
        condition: str,
        quantity: str,
        observed: float | None,
        simulated: float,
        unit: str,
        criterion: str,
        passed: bool,
        label: str | None = None,
    ) -> Check:
        """A check against ``data``, taking its name and role from the data set."""
        return cls(
            dataset=data.name,
            role=data.role,
            condition=condition,
            quantity=quantity,
            observed=observed,
            simulated=float(simulated),
            unit=unit,
            criterion=criterion,
            passed=bool(passed),
            observed_label=label,
        )

    @classmethod
    def within(
        cls,
        data: Dataset,
        condition: str,
        quantity: str,
        simulated: float,
        unit: str,
        lower: float | None,
        upper: float | None,
        observed: float | None = None,
    ) -> Check:
        """A check that ``simulated`` lies within ``[lower, upper]``; a bound that is ``None``
        or NaN (an empty CSV cell) is open."""

        def bound(value: float | None) -> float | None:
            return None if value is None or value != value else float(value)

        lo, hi = bound(lower), bound(upper)
        passed = (lo is None or simulated >= lo) and (hi is None or simulated <= hi)
        if lo is None:
            label = f"<= {hi:g}"
        elif hi is None:
            label = f">= {lo:g}"
        else:
            label = f"{lo:g}-{hi:g}"
        return cls.of(
            data, condition, quantity, observed, simulated, unit, "within", passed, label
        )

    @classmethod
    def within_rows(
        cls,
        data: Dataset,
        condition: str,
        simulated: dict[str, float],
        unit: str | Callable[[str], str],
    ) -> list[Check]:
        """One :meth:`within` check per row of ``data`` (columns quantity, lower, upper),
        the simulated value looked up by the row's quantity; ``unit`` may be a function of
        the quantity where rows differ."""
        return [
            cls.within(
                data,
                condition,
                row["quantity"],
                simulated[row["quantity"]],
                unit(row["quantity"]) if callable(unit) else unit,
                row["lower"],
                row["upper"],
            )
            for row in data.rows()
        ]

    @property
    def counts(self) -> bool:
        """Whether this check is evidence: validation data that are measurements."""
        return self.role == "validation" and self.kind == "data"

    @property
    def evidence(self) -> str:
        """How the check is shown: calibration, validation, or a model-to-model comparison."""
        if self.role == "validation" and self.kind == "model":
            return "model comparison"
        return self.role

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
        """The checks that decide the verdict: validation data that are measurements."""
        return [c for c in self.checks if c.counts]

    @property
    def model_comparison_checks(self) -> list[Check]:
        """Checks against another model's prediction: shown, not counted."""
        return [c for c in self.checks if c.role == "validation" and c.kind == "model"]

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
                    "kind": c.kind,
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
        make_output_folder(out_dir)
        path = out_dir / f"{self.name.lower().replace('-', '_')}.csv"
        write_csv_safely(self.to_pandas(), path, index=False)
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
    #: Runs for minutes (virtual trials): left out of the default test suite, which runs it
    #: under the ``slow`` mark; ``opioidsim validate`` runs it like every other.
    slow: bool = False

    def datasets(self) -> list[Dataset]:
        return [load_dataset(n) for n in self.dataset_names]


def relative_error(simulated: float, observed: float) -> float:
    return abs(simulated - observed) / abs(observed)


FIGURE_DPI = 110


def save_figure(fig, out_dir: Path, stem: str) -> Path:
    """Lay out, write ``out_dir/<stem>.png`` and close a matplotlib figure."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    make_output_folder(out_dir)
    path = out_dir / f"{stem}.png"
    save_figure_safely(fig, path, dpi=FIGURE_DPI)
    plt.close(fig)
    return path


@dataclass(frozen=True)
class DatasetTally:
    """How many checks one data set contributes to a set of outcomes, and how many pass."""

    dataset: str
    role: str
    kind: str
    role_changed: str | None
    checks: int
    passed: int


def tally_by_dataset(outcomes: list[ExperimentOutcome]) -> list[DatasetTally]:
    """One :class:`DatasetTally` per data set that any outcome checks, in order of appearance."""
    counts: dict[str, list[int]] = {}
    for outcome in outcomes:
        for check in outcome.checks:
            tally = counts.setdefault(check.dataset, [0, 0])
            tally[0] += 1
            tally[1] += bool(check.passed)
    tallies = []
    for name, (checks, passed) in counts.items():
        data = load_dataset(name)
        tallies.append(DatasetTally(name, data.role, data.kind, data.role_changed, checks, passed))
    return tallies


@dataclass(frozen=True)
class Totals:
    """Passed/total checks: counted now, and as they were counted before role changes."""

    counted: tuple[int, int]  # validation data (measurements): what decides the verdicts
    with_role_changed: tuple[int, int]  # plus data sets whose role changed (role_changed)
    model_comparisons: tuple[int, int]  # validation of kind "model": shown, not counted


def totals(tallies: list[DatasetTally]) -> Totals:
    """Totals over data sets; ``with_role_changed`` counts them as the validation they were."""

    def add(selected: list[DatasetTally]) -> tuple[int, int]:
        return sum(t.passed for t in selected), sum(t.checks for t in selected)

    counted = [t for t in tallies if t.role == "validation" and t.kind == "data"]
    changed = [t for t in tallies if t.role_changed and t not in counted]
    model = [t for t in tallies if t.role == "validation" and t.kind == "model"]
    return Totals(add(counted), add(counted + changed), add(model))
