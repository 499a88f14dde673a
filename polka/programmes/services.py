"""Changes to projects, exhibitions and reading programmes; staff need events.manage."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from polka.catalog.models import Record
from polka.consents.services import consent_to_sign_up
from polka.consents.texts import PROGRAMME_PARTICIPATION
from polka.core.sanitize import clean_html, clean_text
from polka.events.models import Event
from polka.notices.services import notice_send
from polka.notices.site import site_url
from polka.org.models import Branch
from polka.org.policies import AnyUser, staff_require
from polka.programmes.errors import BookInvalid, ProgrammeClosed
from polka.programmes.models import (
    BookRead,
    Exhibition,
    ExhibitionItem,
    MeetingAttendance,
    Participant,
    Programme,
    Project,
    ProjectMaterial,
)

RICH = {"description", "annotation"}
LONG_TEXT = {"summary", "partners"}


def _require(by: AnyUser, branch: Branch | None = None) -> None:
    staff_require(user=by, action="events.manage", branch=branch)


def _clean(fields: dict[str, Any]) -> dict[str, Any]:
    cleaned = {}
    for name, value in fields.items():
        if isinstance(value, str) and name in RICH:
            value = clean_html(value)
        elif isinstance(value, str) and name in LONG_TEXT:
            value = clean_text(value)
        elif isinstance(value, str) and name != "slug":
            value = clean_text(value, multiline=False)
        cleaned[name] = value
    return cleaned


@transaction.atomic
def project_save(*, project: Project | None, by: AnyUser, **fields: Any) -> Project:
    _require(by)
    project = project or Project()
    for name, value in _clean(fields).items():
        setattr(project, name, value)
    project.save()
    return project


@transaction.atomic
def material_add(
    *, project: Project, title: str, by: AnyUser, at: dt.datetime, file: Any = None, link: str = ""
) -> ProjectMaterial:
    _require(by)
    if not file and not link:
        raise ValueError("a material needs a file or a link")
    return ProjectMaterial.objects.create(
        project=project,
        title=clean_text(title, max_length=300, multiline=False),
        file=file or "",
        link=link,
        added_at=at,
    )


@transaction.atomic
def exhibition_save(*, exhibition: Exhibition | None, by: AnyUser, **fields: Any) -> Exhibition:
    if exhibition is not None:
        _require(by, exhibition.branch)  # moving another branch's exhibition is changing it
    _require(by, fields.get("branch") or (exhibition.branch if exhibition else None))
    exhibition = exhibition or Exhibition()
    for name, value in _clean(fields).items():
        setattr(exhibition, name, value)
    if exhibition.ends_on < exhibition.starts_on:
        raise ValueError("an exhibition cannot close before it opens")
    exhibition.save()
    return exhibition


@transaction.atomic
def exhibition_item_add(
    *, exhibition: Exhibition, record: Record, annotation: str, by: AnyUser
) -> ExhibitionItem:
    _require(by, exhibition.branch)
    last = exhibition.items.order_by("-position").first()
    item, _created = ExhibitionItem.objects.update_or_create(
        exhibition=exhibition,
        record=record,
        defaults={
            "annotation": clean_html(annotation),
            "position": (last.position + 1) if last else 1,
        },
    )
    return item


@transaction.atomic
def exhibition_item_remove(*, item: ExhibitionItem, by: AnyUser) -> None:
    _require(by, item.exhibition.branch)
    item.delete()


@transaction.atomic
def programme_save(*, programme: Programme | None, by: AnyUser, **fields: Any) -> Programme:
    _require(by)
    programme = programme or Programme()
    for name, value in _clean(fields).items():
        setattr(programme, name, value)
    programme.save()
    return programme


def participant_link(participant: Participant) -> str:
    return site_url() + reverse("programmes:progress", args=[participant.token])


@transaction.atomic
def participant_join(
    *,
    programme: Programme,
    child_name: str,
    guardian_name: str,
    guardian_email: str,
    at: dt.datetime,
    child_age: int | None = None,
    ip_address: str | None = None,
    language: str = "ru",
) -> Participant:
    """A guardian signs a child up, under the guardian's recorded consent; the guardian gets a
    private link to record the books the child reads."""
    if timezone.localdate(at) > programme.ends_on:
        raise ProgrammeClosed()
    guardian = consent_to_sign_up(
        purpose=PROGRAMME_PARTICIPATION,
        about=programme,
        name=guardian_name,
        email=guardian_email,
        at=at,
        ip_address=ip_address,
    )
    participant = Participant.objects.create(
        programme=programme,
        child_name=clean_text(child_name, max_length=200, multiline=False),
        child_age=child_age,
        guardian_name=guardian.name,
        guardian_email=guardian_email,
        consent=guardian.consent,
        token=secrets.token_urlsafe(24),
        created_at=at,
    )
    notice_send(
        kind="programmes.joined",
        to=guardian_email,
        template="programmes/notices/joined",
        context={"participant": participant, "link": participant_link(participant)},
        at=at,
        language=language,
    )
    return participant


@transaction.atomic
def book_record(
    *,
    participant: Participant,
    read_on: dt.date,
    record: Record | None = None,
    title: str = "",
    by: AnyUser | None = None,
) -> BookRead:
    """A book the child read: from the catalogue or by title; by a librarian or the guardian."""
    if by is not None:
        _require(by)
    text = clean_text(title, max_length=500, multiline=False) or (record.title if record else "")
    if not text:
        raise BookInvalid()
    return BookRead.objects.create(
        participant=participant,
        record=record,
        title=text[:500],
        read_on=read_on,
        by_id=by.pk if by is not None and by.is_authenticated else None,
    )


@transaction.atomic
def meeting_mark(*, participant: Participant, event: Event, attended: bool, by: AnyUser) -> None:
    """A meeting of the programme the child came to (or not)."""
    _require(by, event.branch)
    if event.programme_id != participant.programme_id:
        raise ValueError("the event is not a meeting of this programme")
    if attended:
        MeetingAttendance.objects.get_or_create(participant=participant, event=event)
    else:
        MeetingAttendance.objects.filter(participant=participant, event=event).delete()
