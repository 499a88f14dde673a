"""Reads of projects, exhibitions and programmes for the public pages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from polka.catalog.models import Record
from polka.catalog.selectors import ShelfCopies, copies_by_branch
from polka.events.models import Event
from polka.events.selectors import EventTotals, event_totals
from polka.org.policies import AnyUser, staff_scope
from polka.programmes.models import (
    BookRead,
    Exhibition,
    ExhibitionItem,
    Participant,
    Programme,
    Project,
)
from polka.search.backends.base import SearchRequest
from polka.search.selectors import search_records


def exhibitions_editable(*, user: AnyUser) -> QuerySet[Exhibition]:
    """Exhibitions of the branches where `user` manages events (staff_scope), and virtual
    ones (no branch), which any events manager may edit."""
    scoped = staff_scope(Exhibition.objects.all(), user=user, action="events.manage", via="branch")
    return Exhibition.objects.filter(Q(pk__in=scoped.values("pk")) | Q(branch__isnull=True))


def projects_public() -> QuerySet[Project]:
    return Project.objects.filter(is_published=True)


def exhibitions_published() -> QuerySet[Exhibition]:
    return Exhibition.objects.filter(is_published=True)


def programmes_published() -> QuerySet[Programme]:
    return Programme.objects.filter(is_published=True)


def exhibitions_current(*, today: dt.date) -> QuerySet[Exhibition]:
    return exhibitions_published().filter(ends_on__gte=today)


def programmes_current(*, today: dt.date) -> QuerySet[Programme]:
    return programmes_published().filter(ends_on__gte=today)


@dataclass(frozen=True)
class StaffIndex:
    projects: QuerySet[Project]
    exhibitions: QuerySet[Exhibition]
    programmes: QuerySet[Programme]


def staff_index() -> StaffIndex:
    """Everything the methodists edit (exhibitions of every branch: the edit page is scoped)."""
    return StaffIndex(
        Project.objects.all(), Exhibition.objects.select_related("branch"), Programme.objects.all()
    )


def programme_meetings(*, programme: Programme, published: bool = False) -> QuerySet[Event]:
    """The programme's meetings in time order (the public page shows only published ones)."""
    meetings = Event.objects.filter(programme=programme)
    if published:
        meetings = meetings.filter(is_published=True)
    return meetings.order_by("starts_at")


def exhibition_items(*, exhibition: Exhibition) -> QuerySet[ExhibitionItem]:
    return exhibition.items.select_related("record")


@dataclass(frozen=True)
class Diary:
    """What the guardian's reading diary shows besides the form."""

    progress: Progress
    books: QuerySet[BookRead]
    meetings: QuerySet[Any]


def participant_diary(*, participant: Participant) -> Diary:
    return Diary(
        participant_progress(participant=participant),
        participant.books.all(),
        participant.meetings.select_related("event"),
    )


def participants_attendance(
    *, participants: list[Participant], meetings: list[Event]
) -> list[tuple[Progress, list[tuple[Event, bool]]]]:
    """The methodist's table: each child's progress, and each meeting with whether the child
    came (participants prefetched with their meetings)."""
    return [
        (
            participant_progress(participant=p),
            [(e, any(m.event_id == e.pk for m in p.meetings.all())) for e in meetings],
        )
        for p in participants
    ]


def programme_participants(*, programme: Programme) -> list[Participant]:
    return list(programme.participants.prefetch_related("meetings"))


@dataclass(frozen=True)
class ProjectPage:
    project: Project
    events: list[Event]
    upcoming: list[Event]
    courses: list[Any]
    exhibitions: list[Exhibition]
    programmes: list[Programme]
    totals: EventTotals


def project_page(*, project: Project, now: Any) -> ProjectPage:
    events = Event.objects.filter(project=project, is_published=True).select_related("branch")
    return ProjectPage(
        project=project,
        events=list(events.filter(starts_at__lt=now).order_by("-starts_at")[:20]),
        upcoming=list(events.filter(starts_at__gte=now).order_by("starts_at")[:20]),
        courses=list(project.courses.filter(is_published=True)),  # courses sit above: reverse FK
        exhibitions=list(project.exhibitions.filter(is_published=True)),
        programmes=list(project.programmes.filter(is_published=True)),
        totals=event_totals(events=Event.objects.filter(project=project)),
    )


@dataclass(frozen=True)
class ExhibitionBook:
    item: ExhibitionItem
    copies: list[ShelfCopies]

    @property
    def on_shelf(self) -> bool:
        return any(c.on_shelf for c in self.copies)


def exhibition_books(*, exhibition: Exhibition) -> list[ExhibitionBook]:
    """The curated books with where copies are on the shelf now (two queries)."""
    items = list(exhibition.items.select_related("record"))
    copies = copies_by_branch(record_ids=[i.record_id for i in items])
    return [ExhibitionBook(item, copies.get(item.record_id, [])) for item in items]


@dataclass(frozen=True)
class Progress:
    participant: Participant
    books: int
    meetings: int
    complete: bool
    # The day the goal was reached: the day of the last book or meeting it needed.
    earned_on: dt.date | None = None

    @property
    def books_goal(self) -> int:
        return self.participant.programme.min_books

    @property
    def meetings_goal(self) -> int:
        return self.participant.programme.min_meetings


def participant_progress(*, participant: Participant) -> Progress:
    programme = participant.programme
    read = list(participant.books.order_by("read_on", "pk").values_list("read_on", flat=True))
    met = [
        timezone.localdate(at)
        for at in participant.meetings.order_by("event__starts_at").values_list(
            "event__starts_at", flat=True
        )
    ]
    complete = len(read) >= programme.min_books and len(met) >= programme.min_meetings
    earned_on = None
    if complete:
        needed = read[programme.min_books - 1 : programme.min_books] if programme.min_books else []
        needed += (
            met[programme.min_meetings - 1 : programme.min_meetings]
            if programme.min_meetings
            else []
        )
        earned_on = max(needed) if needed else programme.starts_on
    return Progress(participant, len(read), len(met), complete, earned_on)


def programme_books_read_most(*, programme: Programme, limit: int = 10) -> list[tuple[Record, int]]:
    """The catalogue books the programme's children read most, with how many read each."""
    counts = (
        BookRead.objects.filter(participant__programme=programme, record__isnull=False)
        .values("record_id")
        .annotate(readers=Count("participant", distinct=True))
        .order_by("-readers", "record_id")[:limit]
    )
    records = Record.objects.in_bulk([c["record_id"] for c in counts])
    return [(records[c["record_id"]], c["readers"]) for c in counts if c["record_id"] in records]


def participant_by_token(*, token: str) -> Participant | None:
    if not token or len(token) > 64:
        return None
    return Participant.objects.filter(token=token).select_related("programme").first()


def diary_search(*, text: str, limit: int = 10) -> list[Record]:
    """Catalogue records for a child's reading diary, best matches first."""
    results = search_records(request=SearchRequest(text=text, per_page=limit, facets=False))
    by_id = Record.objects.in_bulk([hit.record_id for hit in results.hits])
    return [by_id[hit.record_id] for hit in results.hits if hit.record_id in by_id]
