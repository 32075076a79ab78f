"""Fuzz the input files: mutated scenarios through ``opioidsim run``, mutated population and
trial files through their loaders. Reports tracebacks, internal errors (exit 70), hangs and
NaN/inf or negative amounts in the written tables; all must be 0.

Usage: ./run fuzz [--files 10000] [--seed 1] [--timeout 30]

Mutations (one to three per file, on the parsed YAML or on its text): a key removed, a value
replaced from a pool of hostile values (None, negatives, 0, 1e308, NaN text, impossible
dates, huge strings and lists, wrong types, unknown units), an unknown key added, a key
duplicated, a line deleted or truncated, a character inserted, an alias bomb, deep nesting.
A scenario that is accepted runs for real (the loader caps a run at 5 years) and its table
is checked.
"""

from __future__ import annotations

import argparse
import copy
import itertools
import random
import signal
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import yaml
from typer.testing import CliRunner

from opioidsim.cli.app import EXIT_BAD_INPUT, EXIT_BUG, EXIT_SOLVER, app
from opioidsim.errors import ConfigError
from opioidsim.population.spec import load_population_spec
from opioidsim.trials.design import load_trial

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "examples").glob("*.yaml")) + sorted(
    (ROOT / "examples" / "clinical").glob("*.yaml")
)
POPULATIONS = sorted((ROOT / "examples" / "populations").glob("*.yaml"))
TRIALS = sorted((ROOT / "examples" / "trials").glob("*.yaml"))
HOSTILE = [
    None, -1, 0, 1e308, -1e308, "nan", "inf", "NaN mg", "-5 mg", "5 parsecs", "1e-300 h",
    "2024-13-01", "x" * 5000, list(range(2000)), {}, [], True, "0 h", "1e9 d", "50",
    "50 mg/kg/h", "human", "!!python/object:os.system", "  ", "\u0000", 3.5, -0.0,
]  # fmt: skip
BOMB = (
    "bomb: ["
    + ", ".join(
        ["&a0 [" + ", ".join(["x"] * 10) + "]"]
        + [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 10)]
    )
    + "]\n"
)


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def _set(node, path, value):
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _delete(node, path):
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]


def _mutate_data(data, rng: random.Random):
    data = copy.deepcopy(data)
    paths = [p for p in itertools.islice(_paths(data), 2000) if p]  # aliases: bounded walk
    if not paths:
        return data
    path = rng.choice(paths)
    kind = rng.random()
    if kind < 0.55:
        _set(data, path, copy.deepcopy(rng.choice(HOSTILE)))
    elif kind < 0.75:
        _delete(data, path)
    elif kind < 0.9 and isinstance(data, dict):
        data[rng.choice(["bogus", "dose", "Doses", "subjects", "events"])] = rng.choice(HOSTILE)
    else:
        _set(data, path, [copy.deepcopy(rng.choice(HOSTILE)) for _ in range(rng.randint(0, 4))])
    return data


def _mutate_text(text: str, rng: random.Random) -> str:
    lines = text.splitlines()
    kind = rng.random()
    if kind < 0.25 and lines:
        del lines[rng.randrange(len(lines))]
    elif kind < 0.45 and lines:
        k = rng.randrange(len(lines))
        lines[k] = lines[k][: rng.randrange(len(lines[k]) + 1)]
    elif kind < 0.6:
        k = rng.randrange(len(text) + 1)
        return text[:k] + rng.choice(":[]{}&*!|>'\"#%@`-,?\t\n") + text[k:]
    elif kind < 0.7 and lines:
        k = rng.randrange(len(lines))
        lines.insert(k, lines[k])  # a duplicated key (or list item)
    elif kind < 0.8:
        lines.append(BOMB.strip())
    elif kind < 0.9:
        lines.append("deep: " + "[" * 600 + "]" * 600)
    else:
        lines.append(rng.choice(["name: !!python/object/apply:os.system ['true']", "x: *nope"]))
    return "\n".join(lines) + "\n"


def _mutant(path: Path, rng: random.Random) -> str:
    text = path.read_text()
    for _ in range(rng.randint(1, 3)):
        if rng.random() < 0.6:
            try:
                data = yaml.safe_load(text)
            except (yaml.YAMLError, RecursionError, ValueError, TypeError):
                data = None
            if isinstance(data, dict):
                text = yaml.safe_dump(_mutate_data(data, rng), sort_keys=False)
                continue
        text = _mutate_text(text, rng)
    return text


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=int, default=30, help="seconds per file (a hang)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    runner = CliRunner()
    signal.signal(signal.SIGALRM, _alarm)
    counts = {"files": 0, "accepted": 0, "refused (exit 2)": 0, "solver (exit 3)": 0,
              "internal (exit 70)": 0, "traceback": 0, "hang": 0, "nan/inf": 0,
              "negative amount": 0, "multi-line error": 0}  # fmt: skip
    examples: dict[str, str] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        for k in range(args.files):
            counts["files"] += 1
            family = rng.random()
            source = rng.choice(SCENARIOS if family < 0.7 else POPULATIONS if family < 0.85
                                else TRIALS)  # fmt: skip
            text = _mutant(source, rng)
            path = work / f"input_{k}.yaml"
            path.write_text(text)
            signal.alarm(args.timeout)
            try:
                if source in SCENARIOS:
                    out = work / f"out_{k}"
                    result = runner.invoke(app, ["run", str(path), "-o", str(out), "--no-plot"])
                    code, err = result.exit_code, result.stderr
                    if result.exception and not isinstance(result.exception, SystemExit):
                        counts["traceback"] += 1
                        examples.setdefault("traceback", f"{path.name}: {result.exception!r}")
                    elif code == 0:
                        counts["accepted"] += 1
                        _check_table(out, counts, examples, path.name)
                    elif code == EXIT_BAD_INPUT:
                        counts["refused (exit 2)"] += 1
                        lines = [ln for ln in (err or "").splitlines() if ln.strip()]
                        if len(lines) > 1:
                            counts["multi-line error"] += 1
                            examples.setdefault("multi-line error", f"{path.name}: {lines[:2]}")
                    elif code == EXIT_SOLVER:
                        counts["solver (exit 3)"] += 1
                        examples.setdefault("solver (exit 3)", f"{path.name}: {err[-300:]}")
                        examples.setdefault("solver (exit 3) input", text[:600])
                    elif code == EXIT_BUG:
                        counts["internal (exit 70)"] += 1
                        examples.setdefault("internal (exit 70)", f"{path.name}: {err[-300:]}")
                    if out.exists():
                        for f in sorted(out.rglob("*"), reverse=True):
                            f.unlink() if f.is_file() else f.rmdir()
                        out.rmdir()
                else:
                    load = load_population_spec if source in POPULATIONS else load_trial
                    try:
                        load(path)
                        counts["accepted"] += 1
                    except ConfigError as error:
                        counts["refused (exit 2)"] += 1
                        if "\n" in str(error):
                            counts["multi-line error"] += 1
            except Hang:
                counts["hang"] += 1
                examples.setdefault("hang", f"{path.name}: {text[:200]!r}")
            except Exception as error:  # a loader raising anything but ConfigError
                counts["traceback"] += 1
                examples.setdefault("traceback", f"{path.name}: {error!r}")
            finally:
                signal.alarm(0)
            path.unlink()
            if (k + 1) % 500 == 0:
                print(f"{k + 1} files, {time.perf_counter() - started:.0f} s: {counts}",
                      flush=True)  # fmt: skip
    print(f"done in {time.perf_counter() - started:.0f} s")
    for key, value in counts.items():
        print(f"  {key}: {value}")
    for key, value in examples.items():
        print(f"  first {key}: {value}")
    bad = sum(counts[k] for k in ("internal (exit 70)", "traceback", "hang", "nan/inf",
                                  "negative amount", "multi-line error"))  # fmt: skip
    return 1 if bad else 0


def _check_table(out: Path, counts, examples, name) -> None:
    import pyarrow.parquet as pq

    from opioidsim.engine.results import nonnegative_observables

    table = pq.read_table(out / "results.parquet").to_pandas()
    values = table["value"].to_numpy(dtype=float)
    if not np.all(np.isfinite(values)):
        counts["nan/inf"] += 1
        examples.setdefault("nan/inf", name)
    units = table["unit"].astype(str).to_numpy()
    kinds = sorted(set(units))
    mask = dict(zip(kinds, nonnegative_observables(kinds), strict=True))
    physical = np.array([mask[u] for u in units])
    if physical.any() and np.nanmin(values[physical]) < 0:
        counts["negative amount"] += 1
        examples.setdefault("negative amount", name)


if __name__ == "__main__":
    sys.exit(main())
