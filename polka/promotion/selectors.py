"""What a post says: the text made from a news item or an event (the same for the preview and
for the service), and the items promotion looks at when `polka notices` runs."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field

from django.db.models import Count, F, Prefetch, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from polka.events.models import Event, EventPhoto
from polka.news.models import NewsItem, NewsPhoto
from polka.notices.site import site_url
from polka.org.policies import AnyUser, staff_scope
from polka.promotion.models import Action, Channel, Partner, Post, Promoted, Subject

# News are watched for changes this long after they were published; events until they end.
NEWS_WATCH = dt.timedelta(days=30)
# Newly published news are looked for this far back (a run missed for a while still posts them).
NEWS_WINDOW = dt.timedelta(days=3)
LEAD_LIMIT = 600
# Telegram: a photo's caption holds 1024 characters, a message 4096.
CAPTION_LIMIT = 1024
MESSAGE_LIMIT = 4096


@dataclass(frozen=True)
class PostContent:
    """One item as a post: the lines a person reads, its photo and where it links back to."""

    subject: str
    object_id: int
    title: str
    lead: str
    details: tuple[str, ...]
    link: str
    published: bool
    branch_id: int | None
    # When it was published (news); events have no such moment (None): first seen counts.
    published_at: dt.datetime | None
    watch_until: dt.datetime
    photo_name: str = ""
    photo_line: str = ""
    ticket_url: str = ""
    extra: tuple[str, ...] = field(default=())

    @property
    def fingerprint(self) -> str:
        """Changes when anything a post says changes (the photo aside)."""
        parts = [self.title, self.lead, *self.details, self.link, self.ticket_url]
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def text(self, action: str, *, limit: int = MESSAGE_LIMIT) -> str:
        """The post, in Russian (the channel's language), at most `limit` characters."""
        with translation.override("ru"):
            if action == Action.CANCEL:
                heading = _("Отменено: %(title)s") % {"title": self.title}
                return "\n\n".join([heading, *self.details[:1]])[:limit]
            heading = self.title
            if action == Action.UPDATE:
                heading = _("Изменения: %(title)s") % {"title": self.title}
            tail = [line for line in ("\n".join(self.details), self.photo_line) if line]
            tail.append(_("Подробнее: %(link)s") % {"link": self.link})
            fixed = "\n\n".join([heading, "", *tail])
            room = limit - len(fixed)
            lead = self.lead if len(self.lead) <= room else self.lead[: max(room - 1, 0)] + "…"
            return "\n\n".join(part for part in [heading, lead, *tail] if part)[:limit]


def _photo(photos: list[NewsPhoto] | list[EventPhoto]) -> tuple[str, str]:
    """The first photo's file (its storage name) and the line that describes it."""
    if not photos:
        return "", ""
    photo = photos[0]
    alt, credit = photo.alt, photo.credit
    with translation.override("ru"):
        line = _("На фото: %(alt)s.") % {"alt": alt}
        if credit:
            line += " " + _("Фото: %(credit)s.") % {"credit": credit}
    return photo.image.name or "", line


def _shorten(text: str) -> str:
    first = text.strip().split("\n\n")[0].strip()
    return first if len(first) <= LEAD_LIMIT else first[: LEAD_LIMIT - 1].rstrip() + "…"


def news_content(item: NewsItem, *, now: dt.datetime) -> PostContent:
    photo_name, photo_line = _photo(list(item.photos.all()))
    published = item.published_at is not None and item.published_at <= now
    base = item.published_at or now
    return PostContent(
        subject=Subject.NEWS,
        object_id=item.pk,
        title=item.title,
        lead=_shorten(item.lead),
        details=(item.age_mark,),
        link=site_url() + reverse("news:detail", args=[item.pk]),
        published=published,
        branch_id=item.branch_id,
        published_at=item.published_at,
        watch_until=base + NEWS_WATCH,
        photo_name=photo_name,
        photo_line=photo_line,
    )


def event_content(event: Event) -> PostContent:
    with translation.override("ru"):
        starts = timezone.localtime(event.starts_at)
        when = _("Когда: %(date)s") % {"date": formats.date_format(starts, "j E Y, H:i")}
        where = ", ".join(
            part for part in (event.branch.name, event.branch.address, event.place) if part
        )
        details = [when, _("Где: %(place)s") % {"place": where}, event.age_mark]
        if event.pushkin_card:
            card = _("По «Пушкинской карте»")
            if event.ticket_url:
                card += ": " + event.ticket_url
            details.append(card)
    photo_name, photo_line = _photo(list(event.photos.all()))
    return PostContent(
        subject=Subject.EVENT,
        object_id=event.pk,
        title=event.title,
        lead=_shorten(event.description),
        details=tuple(details),
        link=site_url() + reverse("events:detail", args=[event.pk]),
        published=event.is_published,
        branch_id=event.branch_id,
        published_at=None,
        watch_until=event.ends_at,
        photo_name=photo_name,
        photo_line=photo_line,
        ticket_url=event.ticket_url,
    )


def content_of(*, subject: str, object_id: int, now: dt.datetime) -> PostContent | None:
    """The item's post content, or None when it no longer exists."""
    if subject == Subject.NEWS:
        item = NewsItem.objects.filter(pk=object_id).prefetch_related("photos").first()
        return news_content(item, now=now) if item else None
    event = Event.objects.filter(pk=object_id).select_related("branch").prefetch_related("photos")
    found = event.first()
    return event_content(found) if found else None


def contents_to_consider(*, now: dt.datetime) -> list[PostContent]:
    """News published lately, upcoming published events, and every item still watched (to post
    its changes or its cancellation)."""
    watched = Promoted.objects.filter(watch_until__gte=now)
    watched_news = watched.filter(subject=Subject.NEWS).values("object_id")
    watched_events = watched.filter(subject=Subject.EVENT).values("object_id")
    news = NewsItem.objects.filter(
        published_at__lte=now, published_at__gte=now - NEWS_WINDOW
    ) | NewsItem.objects.filter(pk__in=watched_news)
    events = Event.objects.filter(is_published=True, ends_at__gte=now) | Event.objects.filter(
        pk__in=watched_events
    )
    return [
        *(news_content(i, now=now) for i in news.distinct().prefetch_related("photos")),
        *(
            event_content(e)
            for e in events.distinct().select_related("branch").prefetch_related("photos")
        ),
    ]


def channels_for(content: PostContent, channels: list[Channel]) -> list[Channel]:
    """The network's channels post everything; a branch's channel its own items only."""
    return [c for c in channels if c.branch_id is None or c.branch_id == content.branch_id]


def channels_manageable(*, user: AnyUser) -> QuerySet[Channel]:
    """The channels `user` may connect and change: a branch's where they publish news, the
    network's when they do so in every branch."""
    channels = Channel.objects.select_related("branch")
    return staff_scope(channels, user=user, action="news.publish", via="branch")


def posts_of(*, promoted: Promoted | None) -> QuerySet[Post]:
    if promoted is None:
        return Post.objects.none()
    return (
        promoted.posts.select_related("channel")
        .prefetch_related("log")
        .order_by("-created_at", "-pk")
    )


@dataclass(frozen=True)
class PartnerCount:
    partner: Partner
    events: int
    attended: int


def partners_public() -> QuerySet[Partner]:
    """The partners page: each with what it does with the library (published, upcoming first)."""
    return Partner.objects.filter(is_public=True).prefetch_related(
        Prefetch("events", queryset=Event.objects.filter(is_published=True).order_by("-starts_at")),
        "projects",
        "courses",
    )


def partners_joint_events(*, start: dt.date, end: dt.date) -> list[PartnerCount]:
    """For reports: how many events each partner held with the library in [start, end] (local
    days), and how many came to them (registrations attended plus walk-ins)."""
    zone = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    after = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    window = Q(events__starts_at__gte=first, events__starts_at__lt=after)
    partners = Partner.objects.annotate(
        joint=Count("events", filter=window, distinct=True),
        walk_ins=Sum(
            F("events__walk_in_children")
            + F("events__walk_in_youth")
            + F("events__walk_in_adults"),
            filter=window,
        ),
    ).order_by("-joint", "name")
    attended = dict(
        Event.objects.filter(
            starts_at__gte=first, starts_at__lt=after, partner_organisations__isnull=False
        )
        .values("partner_organisations")
        .annotate(n=Count("registrations", filter=Q(registrations__attended=True)))
        .values_list("partner_organisations", "n")
    )
    return [
        PartnerCount(partner=p, events=p.joint, attended=(p.walk_ins or 0) + attended.get(p.pk, 0))
        for p in partners
    ]
