"""One-line messages for invalid input files (scenario, population, trial).

Pydantic validates each file; its ``ValidationError`` lists every problem with its own layout.
Users get one line instead (STYLE.md section 7): ``<field path>: got <value>; <what is
valid>.`` for the first problem. :class:`FieldErrors` is that conversion, shared by every
input schema: validators raise :meth:`FieldErrors.invalid` with a ready-made detail, and
:meth:`FieldErrors.config_error` turns pydantic's error into a :class:`ConfigError`.
"""

from __future__ import annotations

import re
import reprlib
from collections.abc import Callable
from typing import Any, NoReturn

from pydantic import ValidationError
from pydantic_core import PydanticCustomError

from opioidsim.errors import ConfigError

#: Longest shown value; longer inputs are cut with "...".
SHOW_LENGTH = 60
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def one_line(text: str) -> str:
    """``text`` on one line (file paths and the like may hold line breaks)."""
    return " ".join(text.splitlines())


#: Most container items :func:`show` visits before it shows a value abridged: a YAML alias
#: bomb (a 789-byte file of nested aliases) expands to 10^12 items when printed in full.
SHOW_ITEMS = 1000
_ABRIDGED = reprlib.Repr()
_ABRIDGED.maxlevel = 3
_ABRIDGED.maxstring = _ABRIDGED.maxother = SHOW_LENGTH


def _is_small(value: Any) -> bool:
    """Whether ``value`` holds at most SHOW_ITEMS container items (walked with a budget)."""
    budget = SHOW_ITEMS
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            budget -= len(item)
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list | tuple | set | frozenset):
            budget -= len(item)
            stack.extend(item)
        if budget < 0:
            return False
    return True


def show(value: Any) -> str:
    """A given value as a short repr (``null`` for None); hostile reprs do not escape, and
    huge or self-similar containers are shown abridged without being printed in full."""
    if value is None:
        return "null"
    try:
        text = repr(value) if _is_small(value) else _ABRIDGED.repr(value)
    except Exception:  # a hostile __repr__ must not hide the real error
        text = f"a {type(value).__name__}"
    return text if len(text) <= SHOW_LENGTH else text[: SHOW_LENGTH - 3] + "..."


class FieldErrors:
    """The error type, field-path style and value display of one input schema.

    Parameters
    ----------
    error_type : str
        Pydantic custom error type raised by :meth:`invalid`.
    root : str
        Name of the file's top level (``"population"``, ``"trial"``, ``"scenario"``).
    root_in_path : bool
        Start every path with ``root`` (``population.size``); otherwise the root is shown
        only for an empty path and keys that are not identifiers are quoted
        (``doses[0]['bad key']``).
    show_value : callable
        How a given value is shown (default :func:`show`).
    """

    def __init__(
        self,
        error_type: str,
        root: str,
        *,
        root_in_path: bool = True,
        show_value: Callable[[Any], str] = show,
    ) -> None:
        self.error_type = error_type
        self.root = root
        self.root_in_path = root_in_path
        self.show = show_value

    def invalid(self, detail: str, at: str = "") -> NoReturn:
        """Raise a validation error whose text is ``detail``, at ``at`` below the field."""
        raise PydanticCustomError(self.error_type, "{detail}", {"detail": detail, "at": at})

    def path(self, loc: tuple[int | str, ...], at: str = "") -> str:
        """``loc`` (pydantic's location) as a field path, with ``at`` appended."""
        path = self.root if self.root_in_path else ""
        for part in loc:
            if isinstance(part, int):
                path += f"[{part}]"
            elif self.root_in_path or _IDENTIFIER.fullmatch(part):
                path += f".{part}" if path else part
            else:
                path += f"[{part!r}]"
        if at:
            path += at if at.startswith("[") or not path else f".{at}"
        return path or self.root

    def config_error(self, exc: ValidationError) -> ConfigError:
        """The first problem of ``exc`` as one line: ``<path>: got <value>; <valid>.``"""
        error = exc.errors(include_url=False)[0]
        context = error.get("ctx") or {}
        if error["type"] == self.error_type:
            text = f"{self.path(tuple(error['loc']), str(context.get('at', '')))}: "
            text += str(context["detail"])
        else:
            message = error["msg"].rstrip(".").removeprefix("Value error, ")
            text = (
                f"{self.path(tuple(error['loc']))}: got {self.show(error.get('input'))}; "
                f"{message[:1].lower()}{message[1:]}."
            )
        return ConfigError(one_line(text))
