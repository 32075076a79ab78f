"""One safe YAML parser for every input file (scenario, population, trial).

Safe loading only (no tags that build Python objects), a key given twice in one mapping is
an error, and whatever the YAML cannot build (a date such as 2024-13-01, nesting too deep
for Python) becomes one line naming the file and line, never a traceback.
"""

from __future__ import annotations

from typing import Any

import yaml

from opioidsim.errors import ConfigError


def _one_line(text: str) -> str:
    return " ".join(text.split())


class UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML loader that refuses a key given twice in one mapping."""


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        try:
            first = seen.get(key)
        except TypeError:  # unhashable: construct_mapping below reports it
            continue
        if first is not None:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} given twice, first on line {first + 1}",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line
    return loader.construct_mapping(node)


UniqueKeyLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,  # type: ignore[arg-type]
)


def parse_yaml(text: str, where: str, what: str = "an input file") -> Any:
    """Parse ``text`` (read from ``where``) safely; a :class:`ConfigError` for bad YAML.

    ``what`` names the kind of file in the message (e.g. ``"a scenario file"``).
    """
    try:
        return yaml.load(text, Loader=UniqueKeyLoader)  # a SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        problem = _one_line(str(exc.problem or exc.context or "syntax error"))
        mark = exc.problem_mark or exc.context_mark
        # The end of the stream lies one line past the last; name the last line instead.
        line_number = min(mark.line + 1, max(len(text.splitlines()), 1)) if mark else None
        if exc.problem and exc.context and exc.context_mark is not None:
            start = exc.context_mark.line + 1
            if start != line_number:
                problem += f" {_one_line(exc.context)} from line {start}"
        line = f", line {line_number}" if line_number is not None else ""
        raise ConfigError(
            _one_line(
                f"{where}{line}: got invalid YAML ({problem}); check the indentation, quoting "
                "and keys on that line."
            )
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(
            _one_line(f"{where}: got invalid YAML ({exc}); {what} must be valid YAML.")
        ) from None
    except RecursionError:
        raise ConfigError(
            f"{where}: got YAML nested too deep to read; {what} nests a few levels at most."
        ) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # e.g. a date such as 2024-13-01, which the YAML resolver matches but cannot build
        problem = _one_line(str(exc)) or type(exc).__name__
        raise ConfigError(
            _one_line(
                f"{where}: got a value YAML cannot read ({problem}); quote it if it is text."
            )
        ) from None
