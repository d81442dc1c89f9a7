"""Atomic file writes: a crash never leaves a half-written file, only the old one or the new one."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomic(path: str | Path, data: str | bytes) -> bool:
    """Write data to path through a temporary file in the same folder and a rename.

    Returns False (and writes nothing) when the file already holds exactly these bytes, so that
    re-running a summary does not touch unchanged files.
    """
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    if path.exists() and path.read_bytes() == payload:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


class PathEscapeError(ValueError):
    """A path that would land outside the folder it must stay in."""


def confined(folder: str | Path, *parts: str | Path) -> Path:
    """folder/parts (as given, not resolved), refused when it resolves outside folder (`..`, absolute parts, symlinks).

    Every writer of content/ and data files goes through this, so no name taken from a registry
    or an observation can make the collector write anywhere else. Symlinks are resolved on both
    sides: a link inside the folder that points out of it is refused too.
    """
    path = Path(folder).joinpath(*parts)
    base = Path(folder).resolve()
    target = path.resolve()
    if target != base and base not in target.parents:
        shown = "/".join(str(p) for p in parts)
        raise PathEscapeError(f"{shown!r} resolves outside {folder}")
    return path
