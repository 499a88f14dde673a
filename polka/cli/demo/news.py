"""Demo news written from the demo's own schedule, so every text matches its date.

A news item that names a weekday, a time or a date takes it from the planned event it
announces; nothing here is tied to a month of the year.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from polka.accounts.models import User
from polka.cli.demo.extras import DemoContext
from polka.cli.demo.schedule import PlannedEvent
from polka.events.models import Event
from polka.news import services as news
from polka.news.models import NewsItem

# "Meets on Saturdays": the Russian plural dative after «по», by weekday (0 = Monday).
EVERY_WEEKDAY = (
    "по понедельникам",
    "по вторникам",
    "по средам",
    "по четвергам",
    "по пятницам",
    "по субботам",
    "по воскресеньям",
)
MONTHS_GENITIVE = (
    "января",
    "февраля",
    "марта",
    "апреля",
    "мая",
    "июня",
    "июля",
    "августа",
    "сентября",
    "октября",
    "ноября",
    "декабря",
)
CLUB_TITLE = "Разговорный клуб «Говорим по-русски»"


def spoken_date(moment: dt.datetime) -> str:
    """«12 декабря в 18:00» in the site's time zone."""
    local = timezone.localtime(moment)
    return f"{local.day} {MONTHS_GENITIVE[local.month - 1]} в {local:%H:%M}"


def _stored(planned: PlannedEvent, context: DemoContext) -> Event:
    return Event.objects.get(
        title=planned.spec.title,
        branch=context.branches[planned.branch_code],
        starts_at=planned.starts_at,
    )


def news_load(context: DemoContext, *, by: User) -> None:
    """Three published items about what is really on, and one scheduled for later."""
    planned = context.schedule.events
    club = [e for e in planned if e.spec.title == CLUB_TITLE]
    one_offs = [e for e in planned if e.spec.weekday is None]
    items: list[NewsItem] = []
    if one_offs:
        first = one_offs[0]
        branch = context.branches[first.branch_code]
        items.append(
            news.news_save(
                item=None, by=by, at=context.at,
                title=f"Приглашаем: {first.spec.title}",
                lead=f"{spoken_date(first.starts_at)}, {branch.short_name}.",
                body=f"<p>{first.spec.description}</p><p>Место: {first.spec.place}, "
                f"{branch.address}. Вход свободный; на странице мероприятия можно "
                "записаться и добавить его в свой календарь.</p>",
                published_at=context.at - dt.timedelta(days=3),
                tags=["приглашаем"],
                events=[_stored(first, context)],
            )
        )  # fmt: skip
    if club:
        spec = club[0].spec
        branch = context.branches[club[0].branch_code]
        items.append(
            news.news_save(
                item=None, by=by, at=context.at,
                title=f"{CLUB_TITLE} ждёт новых участников",
                lead=f"Встречи {EVERY_WEEKDAY[spec.weekday or 0]} в {spec.start}, "
                f"{branch.short_name}: практика языка и знакомство с городом.",
                body=f"<p>{spec.description}</p><p>Ближайшая встреча — "
                f"{spoken_date(club[0].starts_at)}. Приходите в любую неделю, "
                "записываться заранее не нужно.</p>",
                published_at=context.at - dt.timedelta(days=1),
                tags=["новые жители"],
                events=[_stored(e, context) for e in club[:3]],
            )
        )  # fmt: skip
    items.append(
        news.news_save(
            item=None, by=by, at=context.at,
            title="Библиотеки сети работают по новому расписанию",
            lead="Часы работы каждой библиотеки, санитарные дни и праздники — на её странице.",
            body="<p>Раз в месяц в каждой библиотеке санитарный день, в праздничные дни "
            "библиотеки закрыты. Точное расписание на любую дату показывает страница "
            "библиотеки в разделе «Библиотеки».</p>",
            published_at=context.at - dt.timedelta(days=5),
            tags=["расписание"],
        )
    )  # fmt: skip
    news.news_save(
        item=None, by=by, at=context.at,
        title="Ночь в библиотеке: собираем идеи",
        lead="Расскажите, какой вы хотите видеть ночь в библиотеке.",
        body="<p>Программа акции появится здесь за неделю до неё. Предложения — в «Спросите "
        "библиотекаря».</p>",
        published_at=context.at + dt.timedelta(days=10),
        tags=["акция"],
    )  # fmt: skip
    news.comment_post(
        item=items[0], body="Спасибо, обязательно придём!", name="Анна",
        email="anna@mail.example", publish_name=True, at=context.at,
    )  # fmt: skip
