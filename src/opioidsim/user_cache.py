"""The per-user private cache directory: generated code, and pint's parsed unit definitions.

Both are loaded as code or unpickled (numba's cache index, pint's definition cache), so
another local user able to write there could run code as this user: the directory is
$OPIOIDSIM_CACHE, ~/.cache/opioidsim, or a per-user folder in the temporary directory, and
each level must be a 0700 directory owned by this user, never a shared writable one.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def _private(path: Path) -> bool:
    """Make ``path`` a directory only this user can write (0700), or say it cannot be one."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    info = path.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid():
        return False
    if info.st_mode & 0o077:
        path.chmod(0o700)
    return not path.lstat().st_mode & 0o077


def private_cache_dir(name: str) -> Path:
    """The private, writable subdirectory ``name`` of the first usable cache root; OSError if
    there is none."""
    base = os.environ.get("OPIOIDSIM_CACHE")
    candidates = [Path(base)] if base else []
    # No HOME and no passwd entry (containers with a random uid): skip that candidate.
    with contextlib.suppress(RuntimeError):
        candidates.append(Path.home() / ".cache" / "opioidsim")
    candidates.append(Path(tempfile.gettempdir()) / f"opioidsim-{os.getuid()}")
    for path in candidates:
        try:
            sub = path / name
            if not (_private(path) and _private(sub)):
                continue
            probe = sub / ".write-test"
            probe.write_text("ok", encoding="utf-8")
            return sub
        except OSError:
            continue
    raise OSError(
        f"no private writable cache directory for {name}; set OPIOIDSIM_CACHE to a "
        "directory only you can write"
    )
