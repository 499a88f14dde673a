"""polka notices: queue the notices that are due (reminders, deadlines) and send the queue.

Run it from cron every few minutes; it is safe to run twice (each notice is sent once).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from polka.notices.services import notices_run

jobs = logging.getLogger("polka.jobs")


class Command(BaseCommand):
    help = "Queue due notices (event reminders and the like) and send the email queue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--limit", type=int, default=1000, help="send at most this many")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        report = notices_run(now=timezone.now(), limit=options["limit"])
        jobs.info(
            "notices run: queued %d, sent %d, failed %d",
            report.queued,
            report.sent,
            report.failed,
            extra={
                "job": "notices",
                "queued": report.queued,
                "sent": report.sent,
                "failed": report.failed,
                "seconds": round(time.monotonic() - started, 3),
            },
        )
        self.stdout.write(
            f"notices: queued {report.queued}, sent {report.sent}, failed {report.failed}"
        )
