"""Queue and deliver notices. Every app sends email through notice_send, never send_mail.

- notice_send renders a subject and body template in the recipient's language and queues it in
  the caller's transaction; after commit it is sent at once when due (confirmations arrive while
  the person is still on the page), otherwise `polka notices` sends it later.
- Producers: apps whose notices are due at a time (event reminders, deadlines) register a
  function with register_producer in their AppConfig.ready(); `polka notices` runs them first.
- Couriers: apps that deliver through other channels (promotion posts to Telegram and VK) register
  a function with register_courier; `polka notices` runs them after the email queue, outside any
  transaction, so each courier commits its own steps (and a killed run can be resumed safely).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from polka.notices.models import Notice

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5

# name → function(now) returning how many notices it queued.
Producer = Callable[[dt.datetime], int]
_PRODUCERS: dict[str, Producer] = {}


def register_producer(name: str, producer: Producer) -> None:
    _PRODUCERS[name] = producer


def producers() -> dict[str, Producer]:
    return dict(_PRODUCERS)


# name → function(now, limit) returning how many it delivered and how many attempts failed.
Courier = Callable[[dt.datetime, int], tuple[int, int]]
_COURIERS: dict[str, Courier] = {}


def register_courier(name: str, courier: Courier) -> None:
    _COURIERS[name] = courier


def notice_render(
    *, template: str, context: Mapping[str, Any], language: str = "ru"
) -> tuple[str, str]:
    """Render `<template>_subject.txt` and `<template>_body.txt` in `language`."""
    with translation.override(language):
        subject = render_to_string(f"{template}_subject.txt", dict(context), using="text")
        body = render_to_string(f"{template}_body.txt", dict(context), using="text")
    return " ".join(subject.split())[:300], body.strip() + "\n"


def notice_queue(
    *,
    kind: str,
    to: str,
    subject: str,
    body: str,
    at: dt.datetime,
    send_after: dt.datetime | None = None,
    dedupe_key: str | None = None,
    language: str = "ru",
) -> Notice | None:
    """Queue one email. Returns None when `dedupe_key` was already used (nothing queued)."""
    if dedupe_key and Notice.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    try:
        with transaction.atomic():
            notice = Notice.objects.create(
                kind=kind,
                to_email=to,
                language=language,
                subject=subject,
                body=body,
                dedupe_key=dedupe_key or None,
                created_at=at,
                send_after=send_after or at,
            )
    except IntegrityError:  # a concurrent writer used the same key first
        return None
    if notice.send_after <= at:
        transaction.on_commit(lambda: _deliver_quietly(notice.pk))
    return notice


def notice_send(
    *,
    kind: str,
    to: str,
    template: str,
    context: Mapping[str, Any],
    at: dt.datetime,
    send_after: dt.datetime | None = None,
    dedupe_key: str | None = None,
    language: str = "ru",
) -> Notice | None:
    """Render a notice from templates and queue it (see notice_render, notice_queue)."""
    if not to:
        return None
    subject, body = notice_render(template=template, context=context, language=language)
    return notice_queue(
        kind=kind,
        to=to,
        subject=subject,
        body=body,
        at=at,
        send_after=send_after,
        dedupe_key=dedupe_key,
        language=language,
    )


# Top-level domains reserved by RFC 2606/6761 never receive mail: the demo library's readers
# live there. Their notices are kept as sent-nowhere rather than handed to a mail server.
RESERVED_TLDS = (".example", ".invalid", ".test", ".localhost")


def notice_deliverable(address: str) -> bool:
    """Whether mail to `address` reaches the mail backend: reserved domains only where the
    POLKA_MAIL_TO_RESERVED_DOMAINS setting allows (development writes mail to files)."""
    reserved = address.lower().rstrip(".").endswith(RESERVED_TLDS)
    return not reserved or bool(getattr(settings, "POLKA_MAIL_TO_RESERVED_DOMAINS", False))


def _deliver_one(notice: Notice, now: dt.datetime) -> bool:
    if not notice_deliverable(notice.to_email):
        notice.sent_at = now
        notice.last_error = "not sent: reserved domain"
        notice.save(update_fields=["sent_at", "last_error"])
        return True
    message = EmailMessage(
        subject=notice.subject,
        body=notice.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notice.to_email],
    )
    notice.attempts += 1
    try:
        message.send()
    except Exception as exc:  # any transport error: keep the notice, try again later
        notice.last_error = f"{type(exc).__name__}: {exc}"[:2000]
        notice.save(update_fields=["attempts", "last_error"])
        log.warning("notice %s to %s failed: %s", notice.pk, notice.to_email, exc)
        return False
    notice.sent_at = now
    notice.last_error = ""
    notice.save(update_fields=["attempts", "last_error", "sent_at"])
    return True


def _deliver_quietly(notice_id: int) -> None:
    notice = Notice.objects.filter(pk=notice_id, sent_at__isnull=True).first()
    if notice is not None:
        _deliver_one(notice, timezone.now())


@dataclass(frozen=True)
class DeliveryReport:
    queued: int
    sent: int
    failed: int


def notices_run(*, now: dt.datetime, limit: int = 1000) -> DeliveryReport:
    """Run every producer, send the due notices (oldest first, `limit` at most), then run
    every courier."""
    queued = 0
    for name, producer in sorted(_PRODUCERS.items()):
        with transaction.atomic():
            queued += producer(now)
        log.info("notice producer %s done", name)
    due = Notice.objects.filter(
        sent_at__isnull=True, send_after__lte=now, attempts__lt=MAX_ATTEMPTS
    )[:limit]
    sent = failed = 0
    for notice in due:
        if _deliver_one(notice, now):
            sent += 1
        else:
            failed += 1
    for name, courier in sorted(_COURIERS.items()):
        delivered, refused = courier(now, limit)
        sent, failed = sent + delivered, failed + refused
        log.info("notice courier %s done", name)
    return DeliveryReport(queued=queued, sent=sent, failed=failed)
