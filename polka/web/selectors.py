"""Reads behind the public home page: what is on soon, what is new, which libraries are open."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import Record
from polka.catalog.selectors import records_newest
from polka.events.models import Event
from polka.events.selectors import events_upcoming
from polka.news.models import NewsItem
from polka.news.selectors import news_latest
from polka.org.selectors import BranchOverview, branches_overview
from polka.recommendations.models import ReadingList
from polka.recommendations.selectors import recommendations_current

HOME_EVENTS = 5
HOME_NEWS = 4
HOME_LISTS = 3
HOME_ARRIVALS = 6

# The public sections, in menu order. A section appears once its URL exists, so the home page
# links every public section without having to be edited when one arrives.
PUBLIC_SECTIONS: tuple[tuple[tuple[str, ...], Promise], ...] = (
    (("catalog:browse",), _("Каталог")),
    (("search:search", "search:results"), _("Поиск")),
    (("events:list",), _("Афиша")),
    (("org:branches", "web:branches"), _("Библиотеки и часы работы")),
    (("reference:ask",), _("Спросить библиотекаря")),
    (("news:list",), _("Новости")),
    (("recommendations:index",), _("Библиотекарь советует")),
    (("litcal:current",), _("Литературный календарь")),
    (("elibrary:index",), _("Электронная библиотека")),
    (("programmes:list",), _("Проекты и программы")),
    (("courses:list",), _("Курсы для библиотекарей")),
    (("readers:join",), _("Как записаться в библиотеку")),
)


@dataclass(frozen=True, slots=True)
class Section:
    title: str
    url: str


@dataclass(frozen=True, slots=True)
class HomePage:
    news: list[NewsItem]
    recommendations: list[ReadingList]
    events: list[Event]
    arrivals: list[Record]
    branches: list[BranchOverview]
    sections: list[Section]


def public_sections() -> list[Section]:
    sections = []
    for names, title in PUBLIC_SECTIONS:
        for name in names:
            try:
                sections.append(Section(str(title), reverse(name)))
                break
            except NoReverseMatch:
                continue
    return sections


def home_page(*, now: dt.datetime) -> HomePage:
    """Everything the home page shows, in a fixed number of queries."""
    return HomePage(
        news=news_latest(limit=HOME_NEWS),
        recommendations=recommendations_current(limit=HOME_LISTS),
        events=list(events_upcoming(on=now, limit=HOME_EVENTS)),
        arrivals=records_newest(limit=HOME_ARRIVALS),
        branches=branches_overview(on=timezone.localdate(now), horizon_days=0),
        sections=public_sections(),
    )
