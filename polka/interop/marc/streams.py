"""A stream with bytes already read from it put back in front (for sniffing a file's start)."""

from __future__ import annotations

import io
from typing import BinaryIO


class Prefixed(io.RawIOBase):
    """`head`, then the rest of `stream`."""

    def __init__(self, head: bytes, stream: BinaryIO) -> None:
        self._head = head
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        if self._head:
            size = min(len(self._head), len(buffer))
            buffer[:size] = self._head[:size]
            self._head = self._head[size:]
            return size
        chunk = self._stream.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)
