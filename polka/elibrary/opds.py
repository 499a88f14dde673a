"""The local-history collection as OPDS 1.2 feeds: the navigation feed (new documents, one
subsection per subject) and the acquisition feeds. `absolute` makes a path a full address."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from polka.elibrary.models import LocalDocument
from polka.interop.ebooks import ACQUISITION_FEED, NAVIGATION, FeedEntry, FeedLink, opds_feed

Absolute = Callable[[str], str]


def _subsection(absolute: Absolute, path: str, title: str, updated: dt.datetime) -> FeedEntry:
    return FeedEntry(
        id=absolute(path),
        title=title,
        updated=updated,
        links=[FeedLink("subsection", path, ACQUISITION_FEED)],
    )


def navigation_feed(*, absolute: Absolute, subjects: list[str], updated: dt.datetime) -> bytes:
    root = reverse("elibrary:opds")
    entries = [_subsection(absolute, reverse("elibrary:opds-new"), _("Новые поступления"), updated)]
    entries += [
        _subsection(absolute, reverse("elibrary:opds-subject", args=[s]), s, updated)
        for s in subjects
    ]
    return opds_feed(
        id=absolute(root),
        title=_("Краеведческая коллекция"),
        updated=updated,
        links=[FeedLink("self", root, NAVIGATION), FeedLink("start", root, NAVIGATION)],
        entries=entries,
    )


def _entry(absolute: Absolute, d: LocalDocument) -> FeedEntry:
    page = reverse("elibrary:document", args=[d.pk])
    return FeedEntry(
        id=absolute(page),
        title=d.title,
        updated=d.added_at,
        authors=[d.author] if d.author else [],
        summary=d.description,
        issued=str(d.year or ""),
        subjects=[d.subject],
        links=[
            FeedLink("http://opds-spec.org/acquisition/open-access", d.file.url, "application/pdf"),
            FeedLink("alternate", page, "text/html"),
        ],
    )


def acquisition_feed(
    *,
    absolute: Absolute,
    documents: Iterable[LocalDocument],
    path: str,
    title: str,
    updated: dt.datetime,
) -> bytes:
    root = reverse("elibrary:opds")
    return opds_feed(
        id=absolute(path),
        title=title,
        updated=updated,
        links=[
            FeedLink("self", path, ACQUISITION_FEED),
            FeedLink("start", root, NAVIGATION),
            FeedLink("up", root, NAVIGATION),
        ],
        entries=[_entry(absolute, d) for d in documents],
    )
