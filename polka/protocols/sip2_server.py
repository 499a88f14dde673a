"""`polka sip2`'s TCP server: one thread per station connection, each with its own SIP2 session
(sip2.py) and database connection. Frames the byte stream (a half-sent message waits for the
rest), refuses connections beyond a limit by closing them at once, and drops a station that
stays silent past the idle timeout; nothing a station sends stops the server.

With several workers (serve_forked) the listening socket is shared by that many forked
processes, as Koha's SIP server pre-forks: one Python process answers one message at a time
(the interpreter's lock), so stations spread over processes are answered side by side.
The workers keep their counts of open connections in shared memory, and a worker that holds
more than another lets that one take the next station first: left to the race, 8 stations
landed 6 and 2 as often as 4 and 4, and the busier worker's queue made the p95.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import signal
import socket
import socketserver
import threading
import time
from collections.abc import Callable, MutableSequence
from contextlib import AbstractContextManager, nullcontext, suppress
from multiprocessing.sharedctypes import RawArray
from typing import Any

from django.db import connection, connections
from django.utils import timezone

from polka.interop.sip2 import Sip2Error, split_messages
from polka.protocols.sip2 import Sip2Session

log = logging.getLogger("polka.sip2")

DEFAULT_PORT = 6001
MAX_CONNECTIONS = 64
IDLE_TIMEOUT = 600.0  # seconds; stations send 99 every few minutes to stay connected
# How long a worker with more stations than another waits for that one to take a new station
# before taking it itself (a station connects once a session: nobody notices the wait).
ACCEPT_PAUSE = 0.05


class Sip2Handler(socketserver.BaseRequestHandler):
    server: Sip2Server

    def handle(self) -> None:
        sock: socket.socket = self.request
        sock.settimeout(self.server.idle_timeout)
        session = Sip2Session(clock=self.server.clock)
        buffer = b""
        while True:
            try:
                chunk = sock.recv(4096)
            except OSError:  # timeout or reset: the station is gone
                return
            if not chunk:
                return
            buffer += chunk
            try:
                messages, buffer = split_messages(buffer)
            except Sip2Error:
                # An endless "message": drop it, ask for the request again, keep listening.
                buffer = b""
                messages = []
                sock.sendall(session.resend())
            for message in messages:
                with self.server.turn:
                    answer = session.answer(message)
                sock.sendall(answer)


class Sip2Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    # Set in each forked worker: every worker's open connections (shared memory) and its own
    # place among them; None in a single process.
    loads: MutableSequence[int] | None = None
    worker = 0

    def __init__(
        self,
        address: tuple[str, int],
        *,
        clock: Callable[[], dt.datetime] = timezone.now,
        max_connections: int = MAX_CONNECTIONS,
        idle_timeout: float = IDLE_TIMEOUT,
    ) -> None:
        self.clock = clock
        self.idle_timeout = idle_timeout
        self.slots = threading.BoundedSemaphore(max_connections)
        # SQLite takes one writer at a time and makes the others sleep and retry (busy
        # timeout), which at 8 stations turned a 30 ms checkout into seconds at p95; taking
        # turns in this process is fairer and faster. PostgreSQL lets them run side by side.
        self.turn: AbstractContextManager[object] = (
            threading.Lock() if connection.vendor == "sqlite" else nullcontext()
        )
        self._load_lock = threading.Lock()
        super().__init__(address, Sip2Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def get_request(self) -> tuple[Any, Any]:
        loads = self.loads
        if loads is not None and loads[self.worker] > min(loads):
            # Another worker serves fewer stations: it takes this one if it can; a connection
            # gone meanwhile raises BlockingIOError, which the server loop ignores.
            time.sleep(ACCEPT_PAUSE)
        return super().get_request()

    def _count(self, step: int) -> None:
        if self.loads is not None:
            with self._load_lock:  # only this worker writes its own place
                self.loads[self.worker] += step

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            log.warning("SIP2: connection from %s refused, all slots busy", client_address)
            self.shutdown_request(request)
            return
        self._count(1)
        try:
            super().process_request(request, client_address)
        except BaseException:
            self._count(-1)
            self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            connections.close_all()
            self._count(-1)
            self.slots.release()


def serve_forked(server: Sip2Server, workers: int) -> None:
    """Serve with `workers` processes sharing the server's socket until SIGTERM or SIGINT;
    a worker that dies is started again. Returns when every worker has stopped."""
    # Nothing the parent opened may be shared: each worker opens its own connections.
    connections.close_all()
    server.socket.setblocking(False)  # the workers race for each connection; losers go on
    loads = server.loads = RawArray("i", workers)  # shared with the forked workers
    children: dict[int, int] = {}  # pid → place
    stopping = False

    def stop(*_: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in children:
            with suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    def start(place: int) -> None:
        loads[place] = 0  # a dead worker's stations are gone
        pid = os.fork()
        if pid:
            children[pid] = place
            return
        server.worker = place
        os._exit(_worker(server))

    previous = (signal.getsignal(signal.SIGTERM), signal.getsignal(signal.SIGINT))
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        for place in range(workers):
            start(place)
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            place = children.pop(pid, -1)
            if place >= 0 and not stopping:
                log.error("SIP2: worker %s stopped (status %s); starting another", pid, status)
                start(place)
    finally:
        signal.signal(signal.SIGTERM, previous[0])
        signal.signal(signal.SIGINT, previous[1])


def _worker(server: Sip2Server) -> int:
    """A forked worker's life: serve until the parent's SIGTERM; the exit status."""

    def leave(*_: object) -> None:
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, leave)
    # Ctrl+C reaches the whole process group: the parent stops the workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        server.serve_forever()
    except SystemExit:
        return 0
    except BaseException:
        log.exception("SIP2: worker %s failed", os.getpid())
        return 1
    finally:
        connections.close_all()
    return 0
