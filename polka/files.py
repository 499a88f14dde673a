"""Files written whole or not at all: a command's output appears under its name only once it
is complete, so a refused or interrupted run never leaves an empty or partial file behind."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


@contextmanager
def atomic_path(target: Path, *, mode: int | None = None) -> Iterator[Path]:
    """A temporary path beside `target`, renamed onto it when the block ends without an
    error and removed otherwise. `mode`: the file's permissions (default: as open() would)."""
    fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        yield tmp
        tmp.chmod(_default_mode() if mode is None else mode)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)


@contextmanager
def atomic_open(target: Path | str, mode: str = "wb", **kwargs: Any) -> Iterator[IO[Any]]:
    """open(target, mode) through atomic_path: the file is complete or absent."""
    with atomic_path(Path(target)) as tmp, open(tmp, mode, **kwargs) as handle:
        yield handle
