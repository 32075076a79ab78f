"""Figures of a result: chosen observables against time, one panel per unit."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from opioidsim.engine.results import SimulationResult
from opioidsim.errors import ConfigError
from opioidsim.io.safe_write import make_output_folder, save_figure_safely

#: Stress hormones, drawn and summarised when they leave basal (a stress episode, withdrawal).
#: Readouts shown when they leave their resting value (name -> resting value): the stress
#: hormones, and felt connection and positive mood.
MOVING_READOUTS: dict[str, float] = {
    "hpa_axis.acth_fold_basal": 1.0,
    "hpa_axis.glucocorticoid_fold_basal": 1.0,
    "social_connection.connection": 0.0,
    "social_connection.mood": 1.0,
}


def moved_readouts(result: SimulationResult, subject: int = 0) -> list[str]:
    """The stress and social readouts that leave their resting value by more than 0.01."""
    return [
        name
        for name, rest in MOVING_READOUTS.items()
        if name in result.names
        and float(np.max(np.abs(result.values[subject, result.names.index(name)] - rest))) > 0.01
    ]


def default_observables(result: SimulationResult) -> list[str]:
    """Plasma concentrations of every drug, mu blockade and mu signalling, and the stress
    hormones, felt connection and mood when they move."""
    chosen = [n for n in result.names if n.endswith("plasma_concentration")]
    chosen += [
        n
        for n in (
            "mu_receptor.drug_occupancy",
            "mu_receptor.stimulus",
            "kappa_receptor.drug_occupancy",
        )
        if n in result.names
    ]
    return chosen + moved_readouts(result)


def plot_observables(
    result: SimulationResult,
    observables: list[str] | None,
    path: str | Path,
    subject: int = 0,
    time_unit: str = "auto",
    title: str | None = None,
) -> Path:
    """Draw observables against time to a PNG; one panel per unit (log scale for nM)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(observables) if observables else default_observables(result)
    missing = [n for n in names if n not in result.names]
    if missing:
        raise ConfigError(f"observables: got {missing[0]!r}; not an observable of this run.")
    t = result.time
    span = t[-1] - t[0]
    if time_unit == "auto":
        time_unit = "d" if span > 72 else "h"
    scale = 24.0 if time_unit == "d" else 1.0

    def shown_unit(n: str) -> str:  # fractions that figures show in percent get a panel
        return "%" if n in PERCENT_OF_FRACTION else result.unit(n)

    def shown(n: str) -> np.ndarray:
        y = result.values[subject, result.names.index(n), :]
        return 100.0 * y if n in PERCENT_OF_FRACTION else y

    units = list(dict.fromkeys(shown_unit(n) for n in names))
    fig, axes = plt.subplots(
        len(units), 1, figsize=(9, 2.8 * len(units)), sharex=True, squeeze=False
    )
    for ax, unit in zip(axes[:, 0], units, strict=True):
        for n in names:
            if shown_unit(n) != unit:
                continue
            ax.plot(t / scale, shown(n), label=readable(n), lw=1.2)
        ax.set_ylabel(_AXIS_LABELS.get(unit, unit))
        if unit == "nM":
            positive = np.concatenate([shown(n) for n in names if shown_unit(n) == unit])
            top = np.nanmax(positive)
            if top > 0:  # log scale over five decades below the peak; zeros are not drawn
                ax.set_yscale("log")
                ax.set_ylim(top * 1e-5, top * 2)
        ax.legend(fontsize=7, loc="upper right")
        ax.grid(alpha=0.3)
    axes[-1, 0].set_xlabel(f"time ({time_unit})")
    if title:
        fig.suptitle(title)
    return _save(fig, path)


def _save(fig, path: str | Path) -> Path:
    """Lay out, write and close a figure; return its path."""
    import matplotlib.pyplot as plt

    fig.tight_layout()
    path = Path(path)
    make_output_folder(path.parent)
    save_figure_safely(fig, path, dpi=120)
    plt.close(fig)
    return path


def plot_table(
    table_path: str | Path,
    observables: list[str] | None,
    path: str | Path,
    subject: int = 0,
) -> Path:
    """Draw observables from a written results table (Parquet or CSV) to PNG."""
    from opioidsim.io.results import read_result_table

    table_path = Path(table_path)
    if not table_path.exists():
        raise ConfigError(
            f"results: got {str(table_path)!r}; no such file. Give the "
            "results.parquet written by `opioidsim run`."
        )
    frame = read_result_table(table_path)
    expected = {"subject", "time_h", "observable", "value", "unit"}
    if not expected <= set(frame.columns):
        raise ConfigError(
            f"results: {table_path.name} lacks the columns "
            f"{', '.join(sorted(expected - set(frame.columns)))}."
        )
    frame = frame[frame["subject"] == subject]
    if frame.empty:
        raise ConfigError(f"subject: got {subject}; not in {table_path.name}.")
    available = list(dict.fromkeys(frame["observable"].astype(str)))
    names = (
        list(observables)
        if observables
        else [
            n
            for n in available
            if n.endswith("plasma_concentration")
            or n in ("mu_receptor.drug_occupancy", "mu_receptor.stimulus")
        ]
        or available[:4]
    )
    for n in names:
        if n not in available:
            raise ConfigError(
                f"observable: got {n!r}; not in {table_path.name}. Available: "
                f"{', '.join(available[:12])}{'...' if len(available) > 12 else ''}."
            )
    times = np.sort(frame["time_h"].unique())
    values = np.stack(
        [
            frame[frame["observable"].astype(str) == n].sort_values("time_h")["value"].to_numpy()
            for n in names
        ]
    )[None]
    units = [str(frame[frame["observable"].astype(str) == n]["unit"].iloc[0]) for n in names]
    result = SimulationResult(times, names, units, values, [], [], np.array([subject]))
    return plot_observables(result, names, path)


#: Human-readable labels (with units) for the observables figures show most.
LABELS: dict[str, str] = {
    "heroin.plasma_concentration": "heroin, plasma (nM)",
    "heroin.monoacetylmorphine_plasma_concentration": "6-MAM, plasma (nM)",
    "morphine.plasma_concentration": "morphine, plasma (nM)",
    "naltrexone.plasma_concentration": "naltrexone, plasma (nM)",
    "mu_receptor.drug_occupancy": "mu receptors held by drugs (%)",
    "reward.dopamine_percent_baseline": "accumbens dopamine (% of baseline)",
    "mu_effects.analgesia": "opioid effect, analgesic pathway (% of maximum)",
    "mu_effects.respiratory_depression": "respiratory drive removed (%)",
    "subjective_effects.drug_liking": "drug liking (% of maximal rating)",
    "ventilation.ventilation_fraction": "minute ventilation, breathing air (% of resting)",
    "ventilation.arterial_o2_saturation": "arterial O2 saturation, SpO2 (%)",
    "hpa_axis.acth_fold_basal": "plasma ACTH (x basal)",
    "hpa_axis.glucocorticoid_fold_basal": "cortisol / corticosterone (x basal)",
    "social_connection.connection": "felt connection (x a drug-free close contact)",
    "social_connection.connection_rating": "felt connection (rating 1-7)",
    "social_connection.mood": "positive mood (x drug-free rest)",
    "mu_receptor.stimulus": "mu signalling, efficacy-weighted occupancy (morphine = 1)",
    "kappa_receptor.drug_occupancy": "kappa receptors held by drugs (%)",
    "naltrexone.naltrexol_plasma_concentration": "6beta-naltrexol, plasma (nM)",
}
#: Observables stored as fractions that figures show in percent.
PERCENT_OF_FRACTION = {
    "mu_receptor.drug_occupancy",
    "kappa_receptor.drug_occupancy",
    "mu_effects.analgesia",
    "mu_effects.respiratory_depression",
    "subjective_effects.drug_liking",
    "ventilation.ventilation_fraction",
    "ventilation.arterial_o2_saturation",
}


def label(name: str) -> str:
    """A figure label for an observable: the table's, or the name itself."""
    return LABELS.get(name, name)


def readable(name: str) -> str:
    """A legend label without units: the table's (its unit dropped), or the name in words."""
    if name in LABELS:
        return LABELS[name].rsplit(" (", 1)[0] if LABELS[name].endswith(")") else LABELS[name]
    module, _, quantity = name.partition(".")
    return f"{module.replace('_', ' ')}: {quantity.replace('_', ' ')}"


_AXIS_LABELS = {
    "nM": "concentration (nM)",
    "%": "percent",
    "1": "fold or index (dimensionless)",
}


def plot_arms(
    arms: dict[str, SimulationResult],
    panels: list[list[str]],
    path: str | Path,
    reference_h: float,
    window_h: tuple[float, float] = (-2.0, 8.0),
    title: str | None = None,
    reference: str = "the challenge dose",
) -> Path:
    """Arms of one protocol side by side: one panel per list of observables, time in hours
    from ``reference_h`` (``reference`` names it); solid and dashed lines per arm."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    styles = ["-", "--", ":", "-."]
    fig, axes = plt.subplots(len(panels), 1, figsize=(8, 2.4 * len(panels)), sharex=True)
    axes = np.atleast_1d(axes)
    for ax, names in zip(axes, panels, strict=True):
        for colour, name in enumerate(names):
            for style, (arm, result) in zip(styles, arms.items(), strict=False):
                if name not in result.names:
                    continue
                t = result.time - reference_h
                keep = (t >= window_h[0]) & (t <= window_h[1])
                y = result[name][keep] * (100.0 if name in PERCENT_OF_FRACTION else 1.0)
                ax.plot(
                    t[keep], y, style, color=f"C{colour}", lw=1.4, label=f"{label(name)}: {arm}"
                )
        units = {label(n).rsplit("(", 1)[-1].rstrip(")") for n in names}
        if units == {"nM"}:
            ax.set_yscale("log")
            ax.set_ylabel("nM")
            ax.set_ylim(bottom=1e-1)
        elif len(names) == 1:
            ax.set_ylabel(label(names[0]), fontsize=8)
        ax.legend(fontsize=7, loc="upper right")
        ax.grid(alpha=0.3)
    axes[-1].set_xlabel(f"time from {reference} (h)")
    if title:
        fig.suptitle(title, fontsize=10)
    return _save(fig, path)
