"""Reads of projects, exhibitions and programmes for the public pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from polka.catalog.public import ShelfCopies, copies_by_branch
from polka.events.models import Event
from polka.events.selectors import EventTotals, event_totals
from polka.org.policies import AnyUser, staff_scope
from polka.programmes.models import Exhibition, ExhibitionItem, Participant, Programme, Project


def exhibitions_editable(*, user: AnyUser) -> QuerySet[Exhibition]:
    """Exhibitions of the branches where `user` manages events (staff_scope), and virtual
    ones (no branch), which any events manager may edit."""
    scoped = staff_scope(Exhibition.objects.all(), user=user, action="events.manage", via="branch")
    return Exhibition.objects.filter(Q(pk__in=scoped.values("pk")) | Q(branch__isnull=True))


def projects_public() -> QuerySet[Project]:
    return Project.objects.filter(is_published=True)


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
    from polka.courses.models import Course

    return ProjectPage(
        project=project,
        events=list(events.filter(starts_at__lt=now).order_by("-starts_at")[:20]),
        upcoming=list(events.filter(starts_at__gte=now).order_by("starts_at")[:20]),
        courses=list(Course.objects.filter(project=project, is_published=True)),
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


def participant_progress(*, participant: Participant) -> Progress:
    books = participant.books.count()
    meetings = participant.meetings.count()
    programme = participant.programme
    complete = books >= programme.min_books and meetings >= programme.min_meetings
    return Progress(participant, books, meetings, complete)


def participant_by_token(*, token: str) -> Participant | None:
    if not token or len(token) > 64:
        return None
    return Participant.objects.filter(token=token).select_related("programme").first()
