"""Demo content of the apps beyond the core (news, programmes, reference, …).

Each app adds one DemoExtra to EXTRAS: `load` creates its demo content through the app's own
services (inside demo_load's transaction, after the network, staff, records, readers and events
exist) and returns how many things it made; `wipe` deletes them again before the network goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from polka.org.models import Branch


@dataclass(frozen=True, slots=True)
class DemoContext:
    seed: int
    at: dt.datetime
    # The demo branches by code (see vocabulary.BRANCHES); staff users by username.
    branches: dict[str, Branch]


@dataclass(frozen=True, slots=True)
class DemoExtra:
    name: str
    load: Callable[[DemoContext], int]
    wipe: Callable[[], None]


EXTRAS: list[DemoExtra] = []
