"""Assembly: wire modules through named inputs and outputs, check units and provenance.

``assemble(modules, connections, species)`` returns an :class:`AssembledModel`: a flat state
vector, a flat parameter vector in canonical units, and sympy expressions for every
derivative and every observable. The engine compiles those expressions; the SBML exporter
writes them. Assembly refuses, with a message naming module, field and units:

- a parameter with a bad unit or missing provenance (measured without DOI/PMID, derived
  without ``how``, calibrated without ``against``, assumed without ``reason``);
- an equation whose units do not balance (d state/dt must have unit state/h);
- an input wired to an output of another dimension, or an unknown name in the wiring;
- a module with no parameter table for the requested species.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

import numpy as np
import pint
import sympy

from opioidsim.errors import ModelError
from opioidsim.model.declare import (
    CONFIDENCE_LEVELS,
    ModelModule,
    Parameter,
    PerLigand,
    Scalar,
)
from opioidsim.units import (
    Q_,
    canonical_unit,
    display_unit,
    parse_unit,
    same_dimension,
    to_canonical,
    ureg,
)

#: Wiring value meaning "the unbound brain concentration of every ligand in the model".
LIGAND_CONCENTRATIONS = "@ligand_concentrations"
#: Wiring value meaning "1 for exogenous ligands, 0 for endogenous ones".
LIGAND_DRUG_MASK = "@ligand_drug_mask"

_TIME = ureg.hour


@dataclass(frozen=True)
class RouteTarget:
    """Where a dose goes: a state and the symbolic fraction of the dose that lands there."""

    state_index: int
    fraction: sympy.Expr
    infusion_channel: int | None


@dataclass
class AssembledModel:
    """A wired, unit-checked model as flat vectors and sympy expressions."""

    species: str
    modules: list[ModelModule]
    ligands: list[str]
    endogenous_ligands: list[str]
    state_names: list[str]
    state_units: list[str]
    state_initial: np.ndarray
    state_initial_parameter: list[int | None]
    state_bounds: list[tuple[float, float] | None]
    state_symbols: list[sympy.Symbol]
    parameter_names: list[str]
    parameter_values: np.ndarray
    parameter_units: list[str]
    parameter_records: list[Parameter]
    parameter_symbols: list[sympy.Symbol]
    input_names: list[str]
    input_symbols: list[sympy.Symbol]
    derivatives: list[sympy.Expr]
    observable_names: list[str]
    observable_units: list[str]
    observable_expressions: list[sympy.Expr]
    routes: dict[tuple[str, str], list[RouteTarget]]
    drug_modules: dict[str, ModelModule]
    connections: dict[str, str] = field(default_factory=dict)
    #: Non-drug event kind -> the input channel it switches (see declare.EventKind).
    event_channels: dict[str, int] = field(default_factory=dict)

    # -- lookups -------------------------------------------------------------------------
    @property
    def n_states(self) -> int:
        return len(self.state_names)

    @property
    def n_parameters(self) -> int:
        return len(self.parameter_names)

    def state_index(self, name: str) -> int:
        try:
            return self.state_names.index(name)
        except ValueError:
            raise ModelError(
                f"state {name!r}: not in this model; states: {', '.join(self.state_names)}."
            ) from None

    def parameter_index(self, name: str, ligand: str | None = None) -> int:
        key = f"{name}[{ligand}]" if ligand else name
        try:
            return self.parameter_names.index(key)
        except ValueError:
            raise ModelError(f"parameter {key!r}: not in this model.") from None

    def parameter(self, name: str, ligand: str | None = None) -> float:
        """A parameter's value in canonical units (h, nM, nmol, L, kg)."""
        return float(self.parameter_values[self.parameter_index(name, ligand)])

    def observable_index(self, name: str) -> int:
        try:
            return self.observable_names.index(name)
        except ValueError:
            raise ModelError(f"observable {name!r}: not in this model.") from None

    def initial_states(self, parameters: np.ndarray) -> np.ndarray:
        """Initial states for each row of ``parameters`` (subjects x parameters)."""
        parameters = np.atleast_2d(parameters)
        y0 = np.tile(self.state_initial, (parameters.shape[0], 1))
        for i, j in enumerate(self.state_initial_parameter):
            if j is not None:
                y0[:, i] = parameters[:, j]
        return y0

    def jacobian(self) -> tuple[list[tuple[int, int]], list[sympy.Expr]]:
        """Analytic Jacobian d(derivative_i)/d(state_j): (sparsity pattern, expressions)."""
        pattern, expressions = [], []
        for i, derivative in enumerate(self.derivatives):
            free = derivative.free_symbols
            for j, symbol in enumerate(self.state_symbols):
                if symbol in free:
                    entry = sympy.diff(derivative, symbol)
                    if entry != 0:
                        pattern.append((i, j))
                        expressions.append(entry)
        return pattern, expressions

    def molar_mass(self, drug: str) -> pint.Quantity:
        module = self.drug_modules[drug]
        name = module.declaration.molar_mass
        assert name is not None
        record = self.parameter_records[self.parameter_index(f"{drug}.{name}")]
        return Q_(record.value, record.unit)


def symbol_name(text: str) -> str:
    """A valid SBML/Python identifier for a dotted model name."""
    return re.sub(r"[^0-9A-Za-z_]", "_", text.replace(".", "__").replace("[", "__")).strip("_")


# -- provenance ------------------------------------------------------------------------------
def check_provenance(where: str, parameter: Parameter) -> None:
    """Refuse a parameter whose unit or provenance is incomplete."""
    if not isinstance(parameter, Parameter):
        raise ModelError(
            f"{where}: got {parameter!r}; expected a Parameter from measured(), "
            "derived(), calibrated() or assumed()."
        )
    try:
        parse_unit(parameter.unit)
    except (pint.UndefinedUnitError, pint.errors.DefinitionSyntaxError, ValueError) as error:
        raise ModelError(
            f"{where}: unit {parameter.unit!r} is not a known unit ({error})."
        ) from None
    if not np.isfinite(parameter.value):
        raise ModelError(f"{where}: value {parameter.value} is not finite.")
    if parameter.confidence not in CONFIDENCE_LEVELS:
        raise ModelError(
            f"{where}: confidence {parameter.confidence!r}; expected one of "
            f"{', '.join(CONFIDENCE_LEVELS)}."
        )
    kind = parameter.provenance
    if kind == "measured":
        if not parameter.sources or not (parameter.sources[0].doi or parameter.sources[0].pmid):
            raise ModelError(
                f"{where}: measured value without a DOI or PMID; cite a source "
                "from model/sources.py that has one, or use derived()/assumed()."
            )
        if not parameter.species:
            raise ModelError(f"{where}: measured value without species.")
    elif kind == "derived":
        if not parameter.how or not parameter.sources:
            raise ModelError(f"{where}: derived value needs how= and its sources.")
    elif kind == "calibrated":
        if not parameter.against:
            raise ModelError(f"{where}: calibrated value needs against= (a data set name).")
    elif kind == "assumed":
        if not parameter.reason:
            raise ModelError(f"{where}: assumed value needs reason=.")
    else:
        raise ModelError(f"{where}: unknown provenance {kind!r}.")


# -- assembly -------------------------------------------------------------------------------
def _parameter_table(module: ModelModule, species: str) -> Mapping[str, Any]:
    if species in module.parameters:
        table = dict(module.parameters.get("any", {}))
        table.update(module.parameters[species])
        return table
    if "any" in module.parameters:
        return module.parameters["any"]
    available = ", ".join(sorted(module.parameters))
    raise ModelError(
        f"{module.name}: no parameters for species {species!r}; available: {available}."
    )


def _module_ligands(module: ModelModule, table: Mapping[str, Any], present: list[str]):
    per_ligand_params = [k for k, v in table.items() if isinstance(v, Mapping)]
    declared = module.declaration
    has_per_ligand = any(
        isinstance(d, PerLigand)
        for d in (*declared.inputs.values(), *declared.states.values(), *declared.outputs.values())
    )
    if not has_per_ligand:
        return []
    if not per_ligand_params:
        return list(present)
    known = set(table[per_ligand_params[0]])
    ligands = [ligand for ligand in present if ligand in known]
    for name in per_ligand_params:
        missing = [ligand for ligand in ligands if ligand not in table[name]]
        if missing:
            raise ModelError(
                f"{module.name}.{name}: no value for ligand(s) "
                f"{', '.join(missing)}; every per-ligand parameter of a module "
                "needs the same ligands."
            )
    return ligands


def assemble(
    modules: Sequence[ModelModule],
    connections: Mapping[str, str],
    species: str = "human",
    endogenous_ligands: Iterable[str] = (),
    check_units: bool = True,
    feedback: Mapping[str, str] | None = None,
) -> AssembledModel:
    """Wire ``modules`` and return the assembled model.

    Parameters
    ----------
    modules
        The modules to include, each built with :func:`opioidsim.model.declare.module_from`.
    connections
        ``{"module.input": "module.output"}``; the special value
        :data:`LIGAND_CONCENTRATIONS` gathers every ligand's brain concentration, and
        :data:`LIGAND_DRUG_MASK` marks exogenous ligands. Inputs whose source module is absent
        take their declared default.
    species
        Which parameter table each module uses (``human``, ``rat``, ``mouse``).
    feedback
        Connections like ``connections`` that close a loop between modules, so the target
        module can run before the source. Placeholders stand for them until the source has
        run. The input may reach the target's outputs as long as the source output does not
        depend on the input itself (through outputs only): such an algebraic loop is refused;
        a loop must close through a state.
    """
    feedback = dict(feedback or {})
    overlap = set(feedback) & set(connections)
    if overlap:
        raise ModelError(f"feedback: {sorted(overlap)} also in connections; wire each once.")
    names = [m.name for m in modules]
    if len(set(names)) != len(names):
        raise ModelError(f"modules: duplicate names in {names}.")
    by_name = {m.name: m for m in modules}
    endogenous = set(endogenous_ligands)

    # Ligands in the order the modules declare them.
    ligand_sources: dict[str, str] = {}
    for module in modules:
        for ligand, output in module.declaration.ligands.items():
            if ligand in ligand_sources:
                raise ModelError(
                    f"{module.name}: ligand {ligand!r} also produced by {ligand_sources[ligand]}."
                )
            if output not in module.declaration.outputs:
                raise ModelError(
                    f"{module.name}.ligands[{ligand}]: output {output!r} is not declared."
                )
            ligand_sources[ligand] = f"{module.name}.{output}"
    present = list(ligand_sources)

    tables = {m.name: _parameter_table(m, species) for m in modules}
    module_ligands = {m.name: _module_ligands(m, tables[m.name], present) for m in modules}

    # Parameters: flatten, check provenance, convert to canonical units.
    p_names: list[str] = []
    p_records: list[Parameter] = []
    p_values: list[float] = []
    p_units: list[str] = []
    param_index: dict[str, Any] = {}
    for module in modules:
        table = tables[module.name]
        index: dict[str, Any] = {}
        for pname, entry in table.items():
            if isinstance(entry, Mapping):
                idx = []
                for ligand in module_ligands[module.name]:
                    idx.append(
                        _add_parameter(
                            module.name,
                            pname,
                            entry[ligand],
                            ligand,
                            p_names,
                            p_records,
                            p_values,
                            p_units,
                        )
                    )
                index[pname] = idx
            else:
                index[pname] = _add_parameter(
                    module.name, pname, entry, None, p_names, p_records, p_values, p_units
                )
        param_index[module.name] = index

    # States.
    s_names: list[str] = []
    s_units: list[str] = []
    s_initial: list[float] = []
    s_initial_param: list[int | None] = []
    s_bounds: list[tuple[float, float] | None] = []
    state_index: dict[str, dict[str, Any]] = {}
    for module in modules:
        index = {}
        for sname, decl in module.declaration.states.items():
            _check_unit(f"{module.name}.{sname}", decl.unit)
            if isinstance(decl, PerLigand):
                if isinstance(decl.initial, Mapping):
                    # ligands the module has tables for (an assembly may leave some out)
                    known = {
                        ligand
                        for table in module.parameters.values()
                        for value in table.values()
                        if isinstance(value, Mapping)
                        for ligand in value
                    }
                    unknown = sorted(set(decl.initial) - known)
                    if unknown:
                        raise ModelError(
                            f"{module.name}.{sname}: initial values for {', '.join(unknown)}, "
                            "which are not ligands of this module; ligands: "
                            f"{', '.join(sorted(known))}."
                        )
                entries = [
                    (
                        f"{module.name}.{sname}[{ligand}]",
                        decl.initial.get(ligand, 0.0)
                        if isinstance(decl.initial, Mapping)
                        else decl.initial,
                    )
                    for ligand in module_ligands[module.name]
                ]
            else:
                entries = [(f"{module.name}.{sname}", decl.initial)]
            idx = []
            for state_name, initial in entries:
                idx.append(len(s_names))
                s_names.append(state_name)
                s_units.append(decl.unit)
                value, pidx = _initial_value(
                    state_name, initial, decl.unit, param_index[module.name], p_values, p_units
                )
                s_initial.append(value)
                s_initial_param.append(pidx)
                s_bounds.append(decl.bounds)
            index[sname] = idx if isinstance(decl, PerLigand) else idx[0]
        state_index[module.name] = index

    s_symbols = [sympy.Symbol(symbol_name(n), real=True) for n in s_names]
    p_symbols = [sympy.Symbol(symbol_name("p." + n), real=True) for n in p_names]

    # Routes and infusion channels.
    routes: dict[tuple[str, str], list[RouteTarget]] = {}
    drug_modules: dict[str, ModelModule] = {}
    channel_of_state: dict[int, int] = {}
    for module in modules:
        if not module.declaration.routes:
            continue
        drug_modules[module.name] = module
        for rname, route in module.declaration.routes.items():
            targets = []
            for target_state, factors in route.targets.items():
                if target_state not in state_index[module.name]:
                    raise ModelError(
                        f"{module.name}.routes[{rname}]: target {target_state!r} "
                        "is not a state of the module."
                    )
                sidx = state_index[module.name][target_state]
                fraction = sympy.Integer(1)
                for factor in factors:
                    complement = factor.startswith("1-")
                    pname = factor[2:] if complement else factor
                    if pname not in param_index[module.name]:
                        raise ModelError(
                            f"{module.name}.routes[{rname}]: factor {pname!r} is "
                            "not a parameter of the module."
                        )
                    symbol = p_symbols[param_index[module.name][pname]]
                    fraction = fraction * ((1 - symbol) if complement else symbol)
                channel = None
                if route.infusion:
                    channel = channel_of_state.setdefault(sidx, len(channel_of_state))
                targets.append(RouteTarget(sidx, fraction, channel))
            routes[(module.name, rname)] = targets
    input_names = [f"infusion_rate[{s_names[s]}]" for s in channel_of_state]
    input_symbols = [sympy.Symbol(f"infusion_{i}", real=True) for i in range(len(input_names))]
    # Non-drug events: each driven module input is one more input channel (after the
    # infusion channels), switched by RATE events as an infusion is.
    event_inputs: dict[str, sympy.Symbol] = {}
    event_channels: dict[str, int] = {}
    for module in modules:
        for kname, kind in module.declaration.events.items():
            key = f"{module.name}.{kind.input}"
            decl = module.declaration.inputs.get(kind.input)
            if not isinstance(decl, Scalar) or decl.default != 0.0:
                raise ModelError(
                    f"{module.name}.events[{kname}]: input {kind.input!r} must be a scalar "
                    "input of the module with default 0."
                )
            if key in connections:
                raise ModelError(
                    f"{module.name}.events[{kname}]: input {key} is also connected to "
                    f"{connections[key]}; an event-driven input takes no connection."
                )
            if kname in event_channels:
                raise ModelError(f"{module.name}.events[{kname}]: another module declares it.")
            if key not in event_inputs:
                event_inputs[key] = sympy.Symbol(f"event_input_{len(event_inputs)}", real=True)
                input_names.append(f"event[{key}]")
                input_symbols.append(event_inputs[key])
            event_channels[kname] = input_symbols.index(event_inputs[key])

    # Evaluation order: a module runs after the modules feeding its inputs.
    order = _evaluation_order(modules, connections, ligand_sources, feedback)

    present_modules = set(by_name)
    feedback = {t: s for t, s in feedback.items() if s.partition(".")[0] in present_modules}
    context = _Context(
        modules=by_name,
        tables=tables,
        module_ligands=module_ligands,
        param_index=param_index,
        state_index=state_index,
        connections={**connections, **feedback},
        ligand_sources=ligand_sources,
        present=present,
        endogenous=endogenous,
        feedback=feedback,
        event_inputs=event_inputs,
    )
    if check_units:
        _check_units(order, context, p_values, p_names)

    derivatives: list[sympy.Expr] = [sympy.Integer(0)] * len(s_names)
    obs_names = list(s_names)
    obs_units = list(s_units)
    obs_exprs: list[sympy.Expr] = list(s_symbols)
    outputs_sym: dict[str, Any] = {}
    for module in order:
        d, out = _evaluate(module, context, "symbolic", s_symbols, p_symbols, outputs_sym)
        for sname, value in d.items():
            idx = state_index[module.name][sname]
            if isinstance(idx, list):
                for k, i in enumerate(idx):
                    derivatives[i] = sympy.sympify(value[k])
            else:
                derivatives[idx] = sympy.sympify(value)
        for oname, value in out.items():
            decl = module.declaration.outputs[oname]
            key = f"{module.name}.{oname}"
            outputs_sym[key] = value
            if isinstance(decl, PerLigand):
                for k, ligand in enumerate(module_ligands[module.name]):
                    obs_names.append(f"{key}[{ligand}]")
                    obs_units.append(decl.unit)
                    obs_exprs.append(sympy.sympify(value[k]))
            else:
                obs_names.append(key)
                obs_units.append(decl.unit)
                obs_exprs.append(sympy.sympify(value))
    _close_feedback(context, derivatives, obs_names, obs_exprs, outputs_sym)
    for sidx, channel in channel_of_state.items():
        derivatives[sidx] = derivatives[sidx] + input_symbols[channel]

    return AssembledModel(
        species=species,
        modules=list(modules),
        ligands=present,
        endogenous_ligands=[lig for lig in present if lig in endogenous],
        state_names=s_names,
        state_units=s_units,
        state_initial=np.array(s_initial, dtype=float),
        state_initial_parameter=s_initial_param,
        state_bounds=s_bounds,
        state_symbols=s_symbols,
        parameter_names=p_names,
        parameter_values=np.array(p_values, dtype=float),
        parameter_units=p_units,
        parameter_records=p_records,
        parameter_symbols=p_symbols,
        input_names=input_names,
        input_symbols=input_symbols,
        derivatives=derivatives,
        observable_names=obs_names,
        observable_units=obs_units,
        observable_expressions=obs_exprs,
        routes=routes,
        drug_modules=drug_modules,
        connections=dict(connections),
        event_channels=event_channels,
    )


def _check_unit(where: str, unit: str) -> None:
    try:
        parse_unit(unit)
    except Exception as error:  # pint raises several types
        raise ModelError(f"{where}: unit {unit!r} is not a known unit ({error}).") from None


def _add_parameter(module, pname, record, ligand, names, records, values, units) -> int:
    where = f"{module}.{pname}" + (f"[{ligand}]" if ligand else "")
    check_provenance(where, record)
    quantity = Q_(record.value, parse_unit(record.unit))
    unit = canonical_unit(quantity)
    names.append(where)
    records.append(record)
    values.append(to_canonical(quantity))
    units.append(display_unit(unit))
    return len(names) - 1


@dataclass
class _Context:
    modules: dict[str, ModelModule]
    tables: dict[str, Mapping[str, Any]]
    module_ligands: dict[str, list[str]]
    param_index: dict[str, dict[str, Any]]
    state_index: dict[str, dict[str, Any]]
    connections: dict[str, str]
    ligand_sources: dict[str, str]
    present: list[str]
    endogenous: set[str]
    feedback: dict[str, str] = field(default_factory=dict)
    event_inputs: dict[str, Any] = field(default_factory=dict)


def _evaluation_order(modules, connections, ligand_sources, feedback=()) -> list[ModelModule]:
    names = {m.name for m in modules}
    for target in [*connections, *feedback]:
        tmod, _, tin = target.partition(".")
        if tmod not in names:
            continue
        declared = {m.name: m for m in modules}[tmod].declaration.inputs
        if tin not in declared:
            raise ModelError(
                f"connections[{target}]: {tmod} has no input {tin!r}; inputs: "
                f"{', '.join(declared)}."
            )
    deps: dict[str, set[str]] = {m.name: set() for m in modules}
    for target, source in connections.items():
        tmod = target.partition(".")[0]
        if tmod not in names:
            continue
        if source == LIGAND_CONCENTRATIONS:
            deps[tmod] |= {s.partition(".")[0] for s in ligand_sources.values()}
        elif not source.startswith("@"):
            smod = source.partition(".")[0]
            if smod in names:
                deps[tmod].add(smod)
    order: list[ModelModule] = []
    done: set[str] = set()
    pending = list(modules)
    while pending:
        ready = [m for m in pending if deps[m.name] - {m.name} <= done]
        if not ready:
            cycle = ", ".join(m.name for m in pending)
            raise ModelError(
                f"connections: the modules {cycle} feed each other's inputs in a "
                "loop; break it by feeding a state, not an output."
            )
        for m in ready:
            order.append(m)
            done.add(m.name)
            pending.remove(m)
    return order


def _evaluate(module, ctx: _Context, mode: str, s_vals, p_vals, outputs: dict[str, Any]):
    """Run one module's rates() on symbols or quantities."""
    name = module.name
    ligands = ctx.module_ligands[name]

    def gather(values, index):
        if isinstance(index, list):
            if mode == "symbolic":
                return np.array([values[i] for i in index], dtype=object)
            return _stack([values[i] for i in index])
        return values[index]

    state = SimpleNamespace(**{k: gather(s_vals, i) for k, i in ctx.state_index[name].items()})
    params = SimpleNamespace(**{k: gather(p_vals, i) for k, i in ctx.param_index[name].items()})
    inputs = {}
    for iname, decl in module.declaration.inputs.items():
        key = f"{name}.{iname}"
        source = ctx.connections.get(key)
        value = None
        if source == LIGAND_CONCENTRATIONS:
            values = [outputs[ctx.ligand_sources[lig]] for lig in ligands]
            value = np.array(values, dtype=object) if mode == "symbolic" else _stack(values)
        elif source == LIGAND_DRUG_MASK:
            mask = [0.0 if lig in ctx.endogenous else 1.0 for lig in ligands]
            value = np.array(mask, dtype=object) if mode == "symbolic" else Q_(np.array(mask))
        elif source is not None and source in outputs:
            value = outputs[source]
        elif key in ctx.event_inputs:
            # Driven by events (an input channel): a symbol, or a probe of its unit.
            value = ctx.event_inputs[key] if mode == "symbolic" else Q_(1.0, parse_unit(decl.unit))
        elif key in ctx.feedback:
            # The source runs later: a placeholder (symbolic) or a probe of the input's unit.
            value = (
                _feedback_symbol(key)
                if mode == "symbolic"
                else Q_(1.0 if decl.default is None else decl.default, parse_unit(decl.unit))
            )
        if value is None:
            if decl.default is None:
                raise ModelError(
                    f"{key}: not connected and has no default; connect it in "
                    "default.py or declare a default."
                )
            if isinstance(decl, PerLigand):
                arr = np.full(len(ligands), decl.default)
                value = np.array(arr, dtype=object) if mode == "symbolic" else Q_(arr, decl.unit)
            else:
                value = (
                    sympy.Float(decl.default)
                    if mode == "symbolic"
                    else Q_(decl.default, parse_unit(decl.unit))
                )
        elif mode == "units":
            _check_connection(key, decl.unit, value, source)
        inputs[iname] = value
    try:
        derivatives, outs = module.rates(state, params, SimpleNamespace(**inputs))
    except pint.DimensionalityError as error:
        raise ModelError(
            f"{name}: an equation combines incompatible units ({error}). Check "
            "the units of its parameters and inputs."
        ) from None
    missing = set(module.declaration.states) - set(derivatives)
    if missing:
        raise ModelError(f"{name}.rates: no derivative for state(s) {', '.join(sorted(missing))}.")
    extra = set(outs) - set(module.declaration.outputs)
    if extra:
        raise ModelError(f"{name}.rates: returns undeclared output(s) {', '.join(sorted(extra))}.")
    return derivatives, outs


def _stack(quantities: list):
    if not quantities:
        return Q_(np.zeros(0))
    unit = quantities[0].units
    return Q_(np.array([q.to(unit).magnitude for q in quantities]), unit)


def _check_connection(key, unit, value, source):
    expected = parse_unit(unit)
    got = value.units if isinstance(value, pint.Quantity) else ureg.dimensionless
    if got.dimensionality != expected.dimensionality:
        raise ModelError(
            f"{key}: wired to {source} with unit '{display_unit(got)}'; expected "
            f"'{unit}'. Wire an output of the same dimension."
        )


def _feedback_symbol(key: str) -> sympy.Symbol:
    return sympy.Symbol(f"feedback__{key.replace('.', '__')}", real=True)


def _close_feedback(ctx: _Context, derivatives, obs_names, obs_exprs, outputs_sym) -> None:
    """Replace each feedback placeholder by its source output; refuse algebraic loops.

    A feedback input may reach outputs of its module (the HPA axis's drive reads oxytocin's
    buffering) as long as its source output does not depend, through any chain of
    placeholders, on itself: that would be an algebraic loop, refused with its name.
    """
    if not ctx.feedback:
        return
    placeholders = {_feedback_symbol(key): key for key in ctx.feedback}
    values = {
        symbol: sympy.sympify(outputs_sym[ctx.feedback[key]])
        for symbol, key in placeholders.items()
    }
    for _ in range(len(values) + 1):
        pending = [s for s, v in values.items() if v.free_symbols & values.keys()]
        if not pending:
            break
        for symbol in pending:
            values[symbol] = values[symbol].xreplace(values)
    for symbol, value in values.items():
        if value.free_symbols & values.keys():
            key = placeholders[symbol]
            raise ModelError(
                f"feedback[{key}]: its source {ctx.feedback[key]} depends on this input "
                "through outputs only (an algebraic loop); close the loop through a state."
            )
    for i, expr in enumerate(derivatives):
        if sympy.sympify(expr).free_symbols & values.keys():
            derivatives[i] = sympy.sympify(expr).xreplace(values)
    for i, expr in enumerate(obs_exprs):
        if sympy.sympify(expr).free_symbols & values.keys():
            obs_exprs[i] = sympy.sympify(expr).xreplace(values)


def _check_units(order, ctx: _Context, p_values, p_names) -> None:
    """Evaluate every module on pint quantities; refuse unbalanced equations."""
    flat: dict[int, pint.Quantity] = {}
    for mname, index in ctx.state_index.items():
        decl_states = ctx.modules[mname].declaration.states
        for sname, idx in index.items():
            unit = parse_unit(decl_states[sname].unit)
            for i in idx if isinstance(idx, list) else [idx]:
                # A small positive probe value: avoids 0/0 in equations that divide.
                flat[i] = Q_(0.1, unit)
    s_vals = [flat[i] for i in range(len(flat))]
    p_vals = _parameter_quantities(ctx, p_values)
    outputs: dict[str, Any] = {}
    for module in order:
        derivatives, outs = _evaluate(module, ctx, "units", s_vals, p_vals, outputs)
        for sname, value in derivatives.items():
            decl = module.declaration.states[sname]
            expected = parse_unit(decl.unit) / _TIME
            _expect(f"{module.name}.{sname}", "d/dt", value, expected)
        for oname, value in outs.items():
            decl = module.declaration.outputs[oname]
            _expect(f"{module.name}.{oname}", "output", value, parse_unit(decl.unit))
            outputs[f"{module.name}.{oname}"] = (
                value if isinstance(value, pint.Quantity) else Q_(value)
            )
    for key, source in ctx.feedback.items():
        tmod, _, tin = key.partition(".")
        unit = ctx.modules[tmod].declaration.inputs[tin].unit
        _check_connection(key, unit, outputs[source], source)


def _parameter_quantities(ctx: _Context, p_values) -> list[pint.Quantity]:
    result: list[Any] = [None] * len(p_values)
    for mname, index in ctx.param_index.items():
        table = ctx.tables[mname]
        for pname, idx in index.items():
            entry = table[pname]
            for k, i in enumerate(idx if isinstance(idx, list) else [idx]):
                record = entry[ctx.module_ligands[mname][k]] if isinstance(idx, list) else entry
                unit = canonical_unit(Q_(1.0, parse_unit(record.unit)))
                result[i] = Q_(p_values[i], unit)
    return result


def _expect(where: str, what: str, value: Any, expected: pint.Unit) -> None:
    got = value.units if isinstance(value, pint.Quantity) else ureg.dimensionless
    shown, got_shown = display_unit(expected), display_unit(got)
    if got.dimensionality != expected.dimensionality:
        raise ModelError(
            f"{where}: {what} has unit '{got_shown}'; expected '{shown}'. Check "
            "the units of the parameters and inputs in its equation."
        )
    factor = Q_(1.0, got).to(expected).magnitude
    if not np.isclose(factor, 1.0, rtol=1e-12):
        raise ModelError(
            f"{where}: {what} has unit '{got_shown}', which is {factor:g} x "
            f"'{shown}' in canonical units; the engine would be off by that factor."
        )


def _initial_value(
    name: str,
    initial: float | str,
    unit: str,
    module_params: dict[str, Any],
    p_values: list[float],
    p_units: list[str],
) -> tuple[float, int | None]:
    """A state's initial value: a number, or a scalar parameter of its module (and its index)."""
    if not isinstance(initial, str):
        return float(initial), None
    pidx = module_params.get(initial)
    if not isinstance(pidx, int):
        raise ModelError(
            f"{name}: initial value names {initial!r}, which is not a scalar parameter."
        )
    if not same_dimension(p_units[pidx], unit):
        raise ModelError(
            f"{name}: initial value {initial!r} has unit '{p_units[pidx]}'; expected '{unit}'."
        )
    return p_values[pidx], pidx
