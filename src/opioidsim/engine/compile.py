"""Assembled model -> compiled numba functions over (state, subject).

From the model's sympy expressions this writes one Python source file with

- ``derive(p, q)``: parameter-only subexpressions, computed once per subject;
- ``rhs(t, y, p, q, u, dy)``: the derivatives;
- ``jac(t, y, p, q, u, J)``: the analytic Jacobian (dense J; only the sparsity pattern is
  written, the rest must be zero);
- ``observe(y, p, q, u, out)``: every observable;
- ``fractions(p, q, out)``: the fraction of a dose that lands in each route target,

compiles it with numba (``cache=True``, so worker processes and later runs reuse the machine
code), and returns them in a :class:`CompiledModel`. The source is keyed by a hash of its
text, so a changed model never reuses stale code; an index keyed by a hash of the model and
of this generator finds the source of a model compiled before without generating it again
(a fresh process then starts in well under a second instead of 1-2 s of symbolic work).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sympy
from sympy.printing.pycode import PythonCodePrinter

from opioidsim.engine.linear_part import closed_linear_states
from opioidsim.model.assemble import AssembledModel, RouteTarget
from opioidsim.user_cache import private_cache_dir


@dataclass
class CompiledModel:
    """An assembled model with its compiled numerical functions."""

    model: AssembledModel
    derive: Any
    rhs: Any
    jac: Any
    observe: Any
    fractions: Any
    n_derived: int
    jacobian_pattern: list[tuple[int, int]]
    route_targets: list[tuple[tuple[str, str], RouteTarget]]
    source_path: Path
    #: States of the closed linear part (PK), solved in closed form by the Rosenbrock
    #: backends (see :mod:`opioidsim.engine.linear_part`).
    linear_states: tuple[int, ...] = ()

    @property
    def n_states(self) -> int:
        return self.model.n_states

    @property
    def n_inputs(self) -> int:
        return len(self.model.input_names)

    @property
    def n_observables(self) -> int:
        return len(self.model.observable_names)

    def derived_parameters(self, parameters: np.ndarray) -> np.ndarray:
        """Per-subject derived constants, shape (subjects, n_derived)."""
        parameters = np.atleast_2d(parameters)
        out = np.empty((parameters.shape[0], max(self.n_derived, 1)))
        for s in range(parameters.shape[0]):
            self.derive(parameters[s], out[s])
        return out


class _Printer(PythonCodePrinter):
    """Python code with ``math.`` functions, which numba compiles."""

    def _print_Symbol(self, expr):
        return expr.name


def _cache_dir() -> Path:
    """The per-user directory of generated code (see :mod:`opioidsim.user_cache`)."""
    try:
        return private_cache_dir("codegen")
    except OSError:
        raise OSError(
            "no private writable cache directory for generated code; set OPIOIDSIM_CACHE to "
            "a directory only you can write"
        ) from None


def write_verified(path: Path, text: str) -> None:
    """Make ``path`` hold exactly ``text`` before it is imported: a cached module that differs
    from the code just generated (edited, planted, truncated) is replaced, atomically."""
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except (OSError, UnicodeDecodeError):
        pass
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _linear_states(model: AssembledModel) -> list[int]:
    return closed_linear_states(
        list(model.state_symbols),
        list(model.derivatives),
        list(model.parameter_symbols),
        list(model.input_symbols),
    )


def _generate_source(model: AssembledModel) -> tuple[str, int, list[tuple[int, int]], list]:
    printer = _Printer({"fully_qualified_modules": True, "standard": "python3"})
    names: dict[sympy.Symbol, sympy.Symbol] = {}
    for i, s in enumerate(model.state_symbols):
        names[s] = sympy.Symbol(f"y[{i}]")
    for j, s in enumerate(model.parameter_symbols):
        names[s] = sympy.Symbol(f"p[{j}]")
    for k, s in enumerate(model.input_symbols):
        names[s] = sympy.Symbol(f"u[{k}]")
    parameter_set = set(model.parameter_symbols)

    pattern, jac_exprs = model.jacobian()
    routes = [(key, t) for key, targets in model.routes.items() for t in targets]
    blocks = {
        "rhs": list(model.derivatives),
        "jac": jac_exprs,
        "observe": list(model.observable_expressions),
        "fractions": [t.fraction for _, t in routes],
    }
    # Common subexpressions across all blocks; parameter-only ones are hoisted to derive().
    all_exprs = [e for block in blocks.values() for e in block]
    replacements, reduced = sympy.cse(all_exprs, symbols=sympy.numbered_symbols("c"))
    hoisted: dict[sympy.Symbol, sympy.Symbol] = {}
    derive_lines, local_repl = [], []
    for symbol, expr in replacements:
        expr = expr.xreplace(hoisted)
        free = expr.free_symbols
        if free <= parameter_set | set(hoisted.values()):
            q = sympy.Symbol(f"q[{len(hoisted)}]")
            derive_lines.append(f"    q[{len(hoisted)}] = {printer.doprint(expr.xreplace(names))}")
            hoisted[symbol] = q
        else:
            local_repl.append((symbol, expr))

    def body(exprs, target, offset, indices=None, finite=False):
        used = set().union(*(e.free_symbols for e in exprs)) if exprs else set()
        # Keep the local replacements this block needs (transitively), in order.
        needed = set(used)
        lines = []
        for symbol, expr in reversed(local_repl):
            if symbol in needed:
                needed |= expr.free_symbols
        for symbol, expr in local_repl:
            if symbol in needed:
                lines.append(f"    {symbol} = {printer.doprint(expr.xreplace(names))}")
        for n, e in enumerate(exprs):
            index = indices[n] if indices else n
            code = printer.doprint(e.xreplace(names))
            if finite:
                # Only the pattern's entries are written, so only they can be non-finite:
                # a branch-free select per entry (a loop over the dense n x n matrix cost
                # as much as the Jacobian itself: 2025 checks for 238 entries at 45 states).
                lines.append(f"    v = {code}")
                code = "v if abs(v) < math.inf else 0.0"
            lines.append(f"    {target}[{index}] = {code}")
        return lines

    split = np.cumsum([0] + [len(b) for b in blocks.values()])
    parts = {name: reduced[split[i] : split[i + 1]] for i, name in enumerate(blocks)}
    jac_indices = [f"{i}, {j}" for i, j in pattern]
    src = [
        "# Generated by opioidsim.engine.compile; do not edit.",
        "import math",
        "import numba",
        "",
        "@numba.njit(cache=True)",
        "def derive(p, q):",
        *(derive_lines or ["    pass"]),
        "",
        # error_model numpy: a division by zero gives inf or NaN, which the integrators
        # reject as a non-finite step, instead of raising inside the compiled kernel; it
        # also drops a zero test per division (rhs 13 % faster at 45 states, session 17).
        '@numba.njit(cache=True, error_model="numpy")',
        "def rhs(t, y, p, q, u, dy):",
        *body(parts["rhs"], "dy", 0),
        "",
        # error_model numpy: a slope that is 0/0 at a singular point (x**n/x of a Hill
        # function of a signal that starts at 0) gives NaN, not an exception, and the entry
        # is set to 0 as it is written; the Jacobian only steers the Rosenbrock steps.
        '@numba.njit(cache=True, error_model="numpy")',
        "def jac(t, y, p, q, u, J):",
        *body(parts["jac"], "J", 0, jac_indices, finite=True),
        "",
        "@numba.njit(cache=True)",
        "def observe(y, p, q, u, out):",
        *body(parts["observe"], "out", 0),
        "",
        "@numba.njit(cache=True)",
        "def fractions(p, q, out):",
        *(body(parts["fractions"], "out", 0) or ["    pass"]),
        "",
    ]
    # Hoisted symbols print as q[k]; local ones as c<n>.
    text = "\n".join(src)
    for symbol, q in hoisted.items():
        text = _replace_symbol(text, str(symbol), str(q))
    return text, len(hoisted), pattern, routes


def _replace_symbol(text: str, name: str, replacement: str) -> str:
    import re

    return re.sub(rf"\b{re.escape(name)}\b", replacement, text)


_COMPILED: dict[str, CompiledModel] = {}
# The same assembled model object (default.py caches them) skips code generation entirely.
_BY_MODEL: dict[int, CompiledModel] = {}


@functools.cache
def _generator_fingerprint() -> str:
    """A hash of this file and of the linear-part finder: the generator the cached modules
    and their index entries came from."""
    here = Path(__file__)
    text = here.read_bytes() + here.with_name("linear_part.py").read_bytes()
    return hashlib.sha256(text).hexdigest()


def _model_key(model: AssembledModel) -> str:
    """A hash of everything the generator reads from the model, and of the generator itself
    (this file and sympy's version, which shapes the common-subexpression pass): equal keys
    give equal generated source. ~0.05 s, where generating the source takes 1-2 s."""
    routes = [
        (key, t.state_index, str(t.fraction), t.infusion_channel)
        for key, targets in model.routes.items()
        for t in targets
    ]
    parts = [
        _generator_fingerprint(),
        sympy.__version__,
        [str(s) for s in model.state_symbols],
        [str(s) for s in model.parameter_symbols],
        [str(s) for s in model.input_symbols],
        [str(e) for e in model.derivatives],
        [str(e) for e in model.observable_expressions],
        routes,
    ]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:24]


def _index_path(key: str) -> Path:
    return _cache_dir() / f"opioidsim_index_{key}.json"


def _from_index(key: str) -> tuple[str, int, list[tuple[int, int]], str, list[int]] | None:
    """(digest, n_derived, Jacobian pattern, source text, linear states) of a module
    generated before for this model key, if the index and the module are intact: the text
    must hash to its digest."""
    try:
        entry = json.loads(_index_path(key).read_text(encoding="utf-8"))
        digest, n_derived = str(entry["digest"]), int(entry["n_derived"])
        pattern = [(int(i), int(j)) for i, j in entry["pattern"]]
        linear = [int(i) for i in entry["linear"]]
        text = (_cache_dir() / f"opioidsim_model_{digest}.py").read_text(encoding="utf-8")
    except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
        return None
    if hashlib.sha256(text.encode()).hexdigest()[:16] != digest:
        return None  # edited, planted or truncated: regenerate
    return digest, n_derived, pattern, text, linear


def compile_model(model: AssembledModel) -> CompiledModel:
    """Generate, write and import the numba functions of ``model`` (memoised by source).

    A model compiled before (by any process of this user) is found through an index keyed by
    a hash of the model and the generator, without generating its source again; the cached
    module is imported only if its text still hashes to the digest it was written under.
    """
    known = _BY_MODEL.get(id(model))
    if known is not None and known.model is model:
        return known
    key = _model_key(model)
    cached = _from_index(key)
    routes = [(route, t) for route, targets in model.routes.items() for t in targets]
    if cached is not None:
        digest, n_derived, pattern, text, linear = cached
    else:
        text, n_derived, pattern, routes = _generate_source(model)
        linear = _linear_states(model)
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    if digest in _COMPILED and _COMPILED[digest].model is model:
        _BY_MODEL[id(model)] = _COMPILED[digest]
        return _COMPILED[digest]
    path = _cache_dir() / f"opioidsim_model_{digest}.py"
    if cached is None:
        write_verified(path, text)
        write_verified(
            _index_path(key),
            json.dumps(
                {"digest": digest, "n_derived": n_derived, "pattern": pattern, "linear": linear}
            ),
        )
    module_name = f"opioidsim_model_{digest}"
    module = sys.modules.get(module_name)
    if module is None:
        spec = importlib.util.spec_from_file_location(module_name, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module
        # Run the text that was verified (generated here, or hashed against its digest),
        # not the file again: a change to the file after the check cannot run. numba's
        # cache still keys on the file, which holds this text.
        exec(compile(text, str(path), "exec"), module.__dict__)
    compiled = CompiledModel(
        model=model,
        derive=module.derive,
        rhs=module.rhs,
        jac=module.jac,
        observe=module.observe,
        fractions=module.fractions,
        n_derived=n_derived,
        jacobian_pattern=pattern,
        route_targets=routes,
        source_path=path,
        linear_states=tuple(linear),
    )
    _COMPILED[digest] = compiled
    _BY_MODEL[id(model)] = compiled
    return compiled
