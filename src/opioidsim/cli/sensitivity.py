"""``opioidsim sensitivity``: Morris screening or Sobol indices of scenario endpoints (SALib).

Registered in :mod:`opioidsim.cli.app`; imports ``app``'s guard, progress bar and console
when it runs (``app`` imports this module).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def _endpoint_title(endpoint) -> str:
    from opioidsim.io.plots import label

    name = label(endpoint.observable)
    if endpoint.statistic == "at":
        return f"{name}\nat {endpoint.time_h:g} h"
    after = f" from {endpoint.time_h:g} h" if endpoint.time_h else ""
    return f"{name}\n{endpoint.statistic}{after}"


def _write(result, out: Path) -> dict[str, Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pandas as pd

    from opioidsim.io.safe_write import (
        make_output_folder,
        save_figure_safely,
        write_csv_safely,
    )

    make_output_folder(out)
    table = write_csv_safely(result.indices, out / "sensitivity.csv", index=False)
    runs = pd.DataFrame(result.samples, columns=[r.name for r in result.parameters])
    for k, endpoint in enumerate(result.endpoints):
        runs[endpoint.text] = result.values[:, k]
    samples = write_csv_safely(runs, out / "runs.csv", index=False)
    endpoints = [e.text for e in result.endpoints]
    fig, axes = plt.subplots(
        1, len(endpoints), figsize=(3.8 * len(endpoints) + 3.5,
                                    0.45 * len(result.parameters) + 2.6),
        squeeze=False, sharey=True,
    )  # fmt: skip
    for ax, endpoint in zip(axes[0], result.endpoints, strict=True):
        rows = result.indices[result.indices["endpoint"] == endpoint.text]
        y = list(range(len(rows)))
        if result.method == "sobol":
            ax.barh([v - 0.2 for v in y], rows["S1"], 0.4, xerr=rows["S1_conf"],
                    label="first order (S1)", color="tab:blue")  # fmt: skip
            ax.barh([v + 0.2 for v in y], rows["ST"], 0.4, xerr=rows["ST_conf"],
                    label="total (ST)", color="tab:orange")  # fmt: skip
            ax.set_xlabel("Sobol index (share of variance), 95 % CI")
        else:
            ax.barh(y, rows["mu_star"], 0.6, xerr=rows["mu_star_conf"], color="tab:blue",
                    label="mu* (mean |elementary effect|)")  # fmt: skip
            ax.set_xlabel("Morris mu* (endpoint units), 95 % CI")
        ax.set_yticks(y, rows["parameter"])
        ax.set_title(_endpoint_title(endpoint), fontsize=9)
    axes[0][0].invert_yaxis()
    axes[0][-1].legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2)
    fig.suptitle(
        f"{result.method.capitalize()} sensitivity, {result.runs} runs "
        f"({result.wall_time_s:.0f} s); ranges: given or x/÷ 1.25 / 1.5 / 2 by confidence",
        fontsize=10,
    )
    fig.tight_layout()
    figure = save_figure_safely(fig, out / "sensitivity.png", dpi=120)
    plt.close(fig)
    return {"table": table, "runs": samples, "figure": figure}


def _run(scenario, parameter, endpoint, method, samples, seed, workers, output) -> None:
    from rich.table import Table

    from opioidsim.cli.app import _LazyProgress, out_console
    from opioidsim.io.config import load_scenario
    from opioidsim.simulation.sensitivity import run_sensitivity

    loaded = load_scenario(scenario)
    with _LazyProgress(f"{method} sensitivity: simulating") as bar:
        result = run_sensitivity(
            loaded, parameter or [], endpoint or [], method, samples, seed, workers, bar.update
        )
    paths = _write(result, output)
    table = Table(title=f"{method} indices ({result.runs} runs, {result.wall_time_s:.1f} s)")
    columns = ["endpoint", "parameter"] + (
        ["S1", "S1_conf", "ST", "ST_conf"] if method == "sobol" else ["mu_star", "sigma"]
    )
    for column in columns:
        table.add_column(column)
    for _, row in result.indices.iterrows():
        table.add_row(*(f"{row[c]:.3g}" if isinstance(row[c], float) else str(row[c])
                        for c in columns))  # fmt: skip
    out_console.print(table)
    out_console.print(
        f"wrote {paths['table']}, {paths['runs']} and {paths['figure']}", highlight=False
    )


def sensitivity_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file (protocol, subject).")],
    parameter: Annotated[
        list[str] | None,
        typer.Option(
            "--parameter",
            "-p",
            help="NAME (range x/÷ 1.25, 1.5 or 2 by its confidence) or NAME=LOW:HIGH in "
            "canonical units; repeatable.",
        ),
    ] = None,
    endpoint: Annotated[
        list[str] | None,
        typer.Option(
            "--endpoint",
            "-e",
            help="OBSERVABLE@TIME (e.g. 'mu_receptor.drug_occupancy@48 h') or "
            "OBSERVABLE:max|min|mean[>TIME]; repeatable.",
        ),
    ] = None,
    method: Annotated[str, typer.Option(help="sobol or morris.")] = "sobol",
    samples: Annotated[
        int,
        typer.Option(help="SALib's N: Sobol runs N (D + 2), N a power of 2; Morris N (D + 1)."),
    ] = 64,
    seed: Annotated[int, typer.Option(help="Seed of the design and the bootstrap.")] = 1,
    workers: Annotated[int, typer.Option(help="Engine threads.")] = 1,
    output: Annotated[Path, typer.Option("-o", "--output", help="Output folder.")] = Path(
        "sensitivity"
    ),
) -> None:
    """Global sensitivity (SALib) of endpoints of a scenario to named parameters: a table
    (sensitivity.csv), every run (runs.csv) and a plot (sensitivity.png)."""
    from opioidsim.cli.app import _guard

    _guard(lambda: _run(scenario, parameter, endpoint, method, samples, seed, workers, output))
