"""Starting a real server in a subprocess for a test, and stopping it whatever happens."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def env_without_test_settings(var_dir: Path, **extra: str) -> dict[str, str]:
    """The environment a person's shell would have: no test settings, no test database."""
    env = {
        k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")
    }
    env["POLKA_VAR_DIR"] = str(var_dir)
    env.update(extra)
    return env


@contextlib.contextmanager
def serving(
    argv: list[str], *, port: int, env: dict[str, str], log: Path, timeout: float, cwd: Path
) -> Iterator[str]:
    """Run `argv` until its /healthz answers; yield the base URL; stop its process group."""
    with log.open("w") as out:
        server = subprocess.Popen(
            argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout
            while True:
                output = log.read_text(errors="replace")[-3000:]
                assert server.poll() is None, f"{argv[0]} stopped:\n{output}"
                with contextlib.suppress(OSError):
                    urllib.request.urlopen(f"{base}/healthz", timeout=5).close()  # noqa: S310
                    break
                assert time.monotonic() < deadline, f"nothing served:\n{output}"
                time.sleep(0.3)
            yield base
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
