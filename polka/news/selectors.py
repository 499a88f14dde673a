"""Reads of news for the portal, the feeds and the home page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from polka.core.sanitize import clean_text
from polka.news.models import Comment, CommentState, NewsItem
from polka.org.models import Branch
from polka.org.policies import AnyUser, staff_can, staff_scope
from polka.search.content import ContentText

PUBLISH = "news.publish"


def news_published(
    *, now: dt.datetime | None = None, branch: Branch | None = None
) -> QuerySet[NewsItem]:
    """Items visible now: published (not drafts, not scheduled later), newest first. A
    branch's page shows its own news and the network's."""
    now = now or timezone.now()
    items = NewsItem.objects.filter(published_at__isnull=False, published_at__lte=now)
    if branch is not None:
        items = items.filter(Q(branch=branch) | Q(branch__isnull=True))
    photos = Prefetch("photos")
    return (
        items.select_related("branch")
        .prefetch_related("tags", photos)
        .order_by("-published_at", "-pk")
    )


def news_latest(*, limit: int = 5, branch: Branch | None = None) -> list[NewsItem]:
    """The newest items for the home page: one query (no tags or photos)."""
    return list(news_published(branch=branch).prefetch_related(None)[:limit])


def comments_shown(*, item: NewsItem) -> QuerySet[Comment]:
    """Approved comments with the library's replies, oldest first."""
    replies = Prefetch("replies", queryset=Comment.objects.filter(state=CommentState.APPROVED))
    return item.comments.filter(
        state=CommentState.APPROVED, reply_to__isnull=True
    ).prefetch_related(replies)


def news_editable(*, user: AnyUser) -> QuerySet[NewsItem]:
    """The items `user` may edit: their branches' (staff_scope), and the network's own items
    for a network-wide editor. Every editor page loads items through this."""
    items = staff_scope(NewsItem.objects.all(), user=user, action=PUBLISH, via="branch")
    if staff_can(user=user, action=PUBLISH, network_wide=True):
        return NewsItem.objects.filter(Q(pk__in=items.values("pk")) | Q(branch__isnull=True))
    return items.filter(branch__isnull=False)


def comments_pending(*, user: AnyUser) -> QuerySet[Comment]:
    return (
        Comment.objects.filter(item__in=news_editable(user=user), state=CommentState.PENDING)
        .select_related("item")
        .order_by("created_at")
    )


def news_content_text(item: NewsItem) -> ContentText:
    """What site search indexes of an item: its title, lead and text, and its tags."""
    return ContentText(
        object_id=item.pk,
        title=item.title,
        body=item.lead + "\n" + clean_text(item.body),
        tags=[tag.slug for tag in item.tags.all()],
    )


def news_content_texts() -> Iterator[ContentText]:
    """Every item search should know: the published ones, scheduled included (as saved)."""
    items = NewsItem.objects.filter(published_at__isnull=False).prefetch_related("tags")
    for item in items.order_by("pk").iterator(chunk_size=500):
        yield news_content_text(item)
