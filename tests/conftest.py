"""Shared fixtures. Generated numba code is cached in a per-session temp folder."""

import os
import tempfile

os.environ.setdefault("OPIOIDSIM_CACHE", os.path.join(tempfile.gettempdir(), "opioidsim-test"))
