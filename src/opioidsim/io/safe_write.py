"""Output files written safely: whole or not at all, never through a planted symlink.

Every output is written to a new temporary file in its target directory (created with
O_EXCL by :func:`tempfile.mkstemp`, so a link planted under any name is never followed) and
renamed over the target. A rename replaces a symlink at the target name itself, not the file
it points to, and an interrupted write leaves the old file or nothing, never half a file.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Outputs get the usual permissions (0666 less the umask), not mkstemp's private 0600.
_FILE_MODE = 0o666 & ~_umask()


def replace_safely(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(temporary path)``, then rename the result onto ``path``."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    temporary = Path(name)
    try:
        write(temporary)
        os.chmod(temporary, _FILE_MODE)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return target


def write_text_safely(path: str | os.PathLike[str], text: str) -> Path:
    return replace_safely(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_csv_safely(frame: Any, path: str | os.PathLike[str], **options: Any) -> Path:
    """A pandas DataFrame as CSV (``options`` go to ``DataFrame.to_csv``)."""
    return replace_safely(path, lambda tmp: frame.to_csv(tmp, **options))


def write_parquet_safely(frame: Any, path: str | os.PathLike[str], **options: Any) -> Path:
    return replace_safely(path, lambda tmp: frame.to_parquet(tmp, **options))


def save_figure_safely(fig: Any, path: str | os.PathLike[str], **options: Any) -> Path:
    """A matplotlib figure, in the format its suffix names (``.png`` by default)."""
    fmt = Path(path).suffix.lstrip(".") or "png"
    return replace_safely(path, lambda tmp: fig.savefig(tmp, format=fmt, **options))
