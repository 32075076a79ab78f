"""Output files written safely: whole or not at all, never through a planted symlink.

Every output is written to a new temporary file in its target directory (created with
O_EXCL by :func:`tempfile.mkstemp`, so a link planted under any name is never followed) and
renamed over the target. A rename replaces a symlink at the target name itself, not the file
it points to, and an interrupted write leaves the old file or nothing, never half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from opioidsim.errors import OutputError


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: Outputs get the usual permissions (0666 less the umask), not mkstemp's private 0600.
_FILE_MODE = 0o666 & ~_umask()


def replace_safely(path: str | os.PathLike[str], write: Callable[[Path], None]) -> Path:
    """Call ``write(temporary path)``, then rename the result onto ``path``.

    An operating-system failure (read-only folder, full disk, no permission) becomes one
    :class:`~opioidsim.errors.OutputError` line naming the file; the temporary file is
    removed and whatever ``path`` held before is left as it was.
    """
    target = Path(path)
    temporary: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        temporary = Path(name)
        write(temporary)
        os.chmod(temporary, _FILE_MODE)
        os.replace(temporary, target)
    except OSError as error:
        _discard(temporary)
        reason = error.strerror or str(error) or type(error).__name__
        raise OutputError(
            f"output: cannot write {target} ({reason}); free disk space or choose a writable "
            "folder. Files already finished there are kept."
        ) from None
    except BaseException:
        _discard(temporary)
        raise
    return target


def make_output_folder(path: str | os.PathLike[str]) -> Path:
    """Create an output folder (and its parents); an :class:`OutputError` line if it cannot
    be created."""
    folder = Path(path)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        raise OutputError(
            f"output: cannot create the folder {folder} ({reason}); choose a writable folder."
        ) from None
    return folder


def _discard(temporary: Path | None) -> None:
    if temporary is not None:
        with contextlib.suppress(OSError):  # the folder itself may have become unwritable
            temporary.unlink(missing_ok=True)


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
