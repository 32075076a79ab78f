"""One safe loader for every input file (scenario, population, trial, uploads).

``read_yaml_file`` reads a file and ``parse_yaml`` parses text, with the same bounds:

- safe loading only (no tags that build Python objects);
- at most ``MAX_INPUT_BYTES`` of input (checked before reading);
- at most ``MAX_ALIASES`` alias references and ``MAX_DEPTH`` levels of nesting (an alias bomb
  or a 1 000-deep list is refused while composing, before anything is built);
- a key given twice in one mapping is an error;
- whatever YAML cannot build (a date such as 2024-13-01) becomes one line naming the file and
  line, never a traceback.
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path
from typing import Any

import yaml

from opioidsim.errors import ConfigError

#: Largest input file read (bytes): scenarios, populations and trials are a few kB.
MAX_INPUT_BYTES = 1_000_000
#: Most alias references (``*name``) in one file: repeated dose blocks need a handful.
MAX_ALIASES = 100
#: Deepest nesting of mappings and lists: the schemas nest a few levels.
MAX_DEPTH = 32


def _one_line(text: str) -> str:
    return " ".join(text.split())


class UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML loader that refuses a key given twice in one mapping, more than
    ``MAX_ALIASES`` aliases and nesting deeper than ``MAX_DEPTH``."""

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def fetch_more_tokens(self) -> None:
        # Flow collections ("[[[...") are refused while scanning: the scanner's simple-key
        # bookkeeping is quadratic in the flow depth, so waiting for the composer costs time.
        if self.flow_level > MAX_DEPTH:
            raise yaml.scanner.ScannerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", self.get_mark()
            )
        super().fetch_more_tokens()

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise yaml.composer.ComposerError(
                    None, None, f"more than {MAX_ALIASES} aliases", event.start_mark
                )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise yaml.composer.ComposerError(
                    None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    # Keys written in this mapping must be unique; keys merged in with "<<" may be overridden
    # (YAML merge semantics), so the check runs before the merge.
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            continue
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
    loader.flatten_mapping(node)
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


def read_yaml_file(path: str | PathLike[str], what: str, hint: str) -> Any:
    """Read and parse one input file; one-line :class:`ConfigError` for any problem.

    ``what`` names the kind of file (``"a scenario file"``), ``hint`` says what to give
    instead (``"give a scenario YAML file"``). Files over ``MAX_INPUT_BYTES`` are refused
    before they are read.
    """
    where = str(path)
    if not where.isprintable():  # a name with a newline, CR or other control character
        where = repr(where)
    file = Path(path)
    too_big = (
        f"{where}: got a file over {MAX_INPUT_BYTES} bytes; {what} is at most "
        f"{MAX_INPUT_BYTES} bytes."
    )
    try:
        if file.is_dir():
            raise IsADirectoryError
        size = file.stat().st_size
        raw = b""
        if size <= MAX_INPUT_BYTES:
            with file.open("rb") as stream:
                raw = stream.read(MAX_INPUT_BYTES + 1)  # the file may grow after stat
    except FileNotFoundError:
        raise ConfigError(f"{where}: got a path that does not exist; {hint}.") from None
    except IsADirectoryError:
        raise ConfigError(f"{where}: got a directory; {hint}.") from None
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL byte
        reason = getattr(exc, "strerror", None) or type(exc).__name__
        raise ConfigError(
            _one_line(f"{where}: got a file that cannot be read ({reason}); {hint}.")
        ) from None
    if size > MAX_INPUT_BYTES:
        raise ConfigError(
            f"{where}: got a file of {size} bytes; {what} is at most {MAX_INPUT_BYTES} bytes."
        )
    if len(raw) > MAX_INPUT_BYTES:
        raise ConfigError(too_big)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(
            f"{where}: got a file that is not UTF-8 text; save it as UTF-8."
        ) from None
    return parse_yaml(text, where, what)
