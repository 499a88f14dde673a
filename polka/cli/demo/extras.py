"""Demo content of the apps beyond the core (news, programmes, reference, …).

Each app adds one DemoExtra to EXTRAS: `load` creates its demo content through the app's own
services (inside demo_load's transaction, after the network, staff, records, readers and events
exist) and returns how many things it made; `wipe` deletes them again before the network goes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.functional import Promise

from polka.org.models import Branch

if TYPE_CHECKING:
    from polka.cli.demo.schedule import Schedule


@dataclass(frozen=True, slots=True)
class DemoContext:
    seed: int
    at: dt.datetime
    # The demo branches by code (see vocabulary.BRANCHES); staff users by username.
    branches: dict[str, Branch]
    # Dates already placed on the branches' calendars (events, course sessions).
    schedule: Schedule


@dataclass(frozen=True, slots=True)
class DemoExtra:
    name: str
    label: Promise  # what was made, as the summary counts it: «вопросов библиотекарю»
    load: Callable[[DemoContext], int]
    wipe: Callable[[], None]


def _extras() -> list[DemoExtra]:
    # Imported here: each module imports its app's services, which import this one's types.
    from polka.cli.demo import circulation, litcal, public_life, reference, statistics

    # The statistics come last: their year of activity uses what the others made.
    return [reference.EXTRA, public_life.EXTRA, litcal.EXTRA, circulation.EXTRA, statistics.EXTRA]


EXTRAS: list[DemoExtra] = []


def extras() -> list[DemoExtra]:
    if not EXTRAS:
        EXTRAS.extend(_extras())
    return EXTRAS
