"""Changes in promotion: connecting channels, the librarian's per-item choices, and the posts
`polka notices` queues (posts_queue, a notices producer) and delivers (posts_deliver, a notices
courier).

Never twice: a post is marked "sending" and committed before the service is asked, and the
answer is recorded after. A run killed in between leaves it "sending"; the next run, once the
claim is stale, asks VK again with the same guid (VK makes one post of both) and marks a
Telegram post "unknown" rather than risk a second message.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Q

from polka.core.sanitize import clean_text
from polka.courses.models import Course
from polka.events.models import Event
from polka.org.models import Branch
from polka.org.policies import AnyUser, staff_require
from polka.programmes.models import Project
from polka.promotion import clients
from polka.promotion.crypto import seal, unseal
from polka.promotion.errors import ChannelDuplicate, PromotionError, TokenMissing
from polka.promotion.models import (
    Action,
    Attempt,
    Channel,
    Partner,
    Post,
    PostState,
    Promoted,
    Service,
    Subject,
)
from polka.promotion.selectors import (
    CAPTION_LIMIT,
    PostContent,
    channels_for,
    content_of,
    contents_to_consider,
)

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 6
BACKOFF = dt.timedelta(minutes=1)  # doubled after each failure
# A claim older than this belongs to a run that died (requests time out well before).
STALE = dt.timedelta(minutes=5)
OPEN = (PostState.QUEUED, PostState.SENDING)


def hold() -> dt.timedelta:
    """How long after publication a post waits: the librarian may still preview and skip it."""
    return dt.timedelta(minutes=int(getattr(settings, "POLKA_PROMOTION_HOLD_MINUTES", 10)))


# --- channels -------------------------------------------------------------------------------


def _require_channel(by: AnyUser, branch: Branch | None) -> None:
    staff_require(user=by, action="news.publish", branch=branch, network_wide=branch is None)


@transaction.atomic
def channel_save(
    *,
    channel: Channel | None,
    by: AnyUser,
    at: dt.datetime,
    service: str,
    branch: Branch | None,
    name: str,
    target: str,
    token: str = "",
    token_env: str = "",
    active: bool = True,
) -> Channel:
    """Connect a channel or change it. An empty `token` keeps the saved one; the token is
    stored sealed and never given back."""
    if channel is not None:
        _require_channel(by, channel.branch)
    _require_channel(by, branch)
    token, token_env = token.strip(), token_env.strip()
    new = channel is None
    if channel is None:
        channel = Channel(connected_at=at)
    if not token and not token_env and not channel.token_sealed:
        raise TokenMissing()
    channel.service, channel.branch, channel.name = service, branch, name.strip()
    channel.target, channel.active, channel.token_env = target.strip(), active, token_env
    if token:
        channel.token_sealed = seal(token)
    if token_env:
        channel.token_sealed = ""
    if (
        Channel.objects.filter(service=service, target=channel.target)
        .exclude(pk=channel.pk)
        .exists()
    ):
        raise ChannelDuplicate()
    channel.save()
    if new:
        _seed(at)
    return channel


def _seed(at: dt.datetime) -> None:
    """What is already published when a channel is connected is known, not news: record it so
    that the channel starts with what is published from now on."""
    for content in contents_to_consider(now=at):
        if content.published:
            _promoted(content, at)


def channel_token(channel: Channel) -> str:
    if channel.token_env:
        value = os.environ.get(channel.token_env, "")
        if not value:
            raise TokenMissing()
        return value
    if not channel.token_sealed:
        raise TokenMissing()
    return unseal(channel.token_sealed)


# --- per-item choices -----------------------------------------------------------------------


def _promoted(content: PostContent, at: dt.datetime) -> Promoted:
    promoted, created = Promoted.objects.get_or_create(
        subject=content.subject,
        object_id=content.object_id,
        defaults={"first_seen_at": at, "watch_until": content.watch_until},
    )
    if not created and promoted.watch_until != content.watch_until:
        promoted.watch_until = content.watch_until
        promoted.save(update_fields=["watch_until"])
    return promoted


@transaction.atomic
def item_skip_set(
    *, content: PostContent, skip: list[Channel], by: AnyUser, at: dt.datetime
) -> Promoted:
    """The channels this item is not posted to; its queued posts there are dropped."""
    branch = Branch.objects.filter(pk=content.branch_id).first() if content.branch_id else None
    action = "news.publish" if content.subject == Subject.NEWS else "events.manage"
    staff_require(user=by, action=action, branch=branch, network_wide=branch is None)
    promoted = _promoted(content, at)
    promoted.skip.set(skip)
    promoted.posts.filter(channel__in=skip, state=PostState.QUEUED).update(state=PostState.SKIPPED)
    return promoted


# --- queueing (a notices producer) ----------------------------------------------------------


def _queue(
    *, channel: Channel, promoted: Promoted, action: str, key: str, at: dt.datetime,
    send_after: dt.datetime,
) -> Post | None:  # fmt: skip
    try:
        with transaction.atomic():
            return Post.objects.create(
                channel=channel, promoted=promoted, action=action, key=key,
                state=PostState.QUEUED, created_at=at, send_after=send_after,
            )  # fmt: skip
    except IntegrityError:  # queued already (by a concurrent run)
        return None


def _plan(content: PostContent, channel: Channel, promoted: Promoted, now: dt.datetime) -> int:
    """Queue what the channel still needs to say about the item; returns how many."""
    posts = [p for p in promoted.posts.all() if p.channel_id == channel.pk]
    first = next((p for p in posts if p.action == Action.PUBLISH), None)
    skipped = any(c.pk == channel.pk for c in promoted.skip.all())
    base = f"{channel.pk}:{content.subject}:{content.object_id}"
    if first is None:
        moment = content.published_at or promoted.first_seen_at
        if not content.published or skipped or moment <= channel.connected_at:
            return 0
        post = _queue(
            channel=channel, promoted=promoted, action=Action.PUBLISH, key=f"{base}:publish",
            at=now, send_after=max(moment, now) + hold(),
        )  # fmt: skip
        return int(post is not None)
    if first.state in (PostState.QUEUED, PostState.SKIPPED, PostState.FAILED):
        return 0  # not out yet: it will say the latest (or the item is dropped at sending)
    if not content.published:
        post = _queue(
            channel=channel, promoted=promoted, action=Action.CANCEL, key=f"{base}:cancel",
            at=now, send_after=now,
        )  # fmt: skip
        return int(post is not None)
    said = [p for p in posts if p.action != Action.CANCEL and p.fingerprint]
    pending = any(p.action == Action.UPDATE and p.state in OPEN for p in posts)
    cancelled = any(p.action == Action.CANCEL for p in posts)
    latest = max(said, key=lambda p: (p.created_at, p.pk), default=first)
    if pending or cancelled or latest.fingerprint == content.fingerprint:
        return 0
    post = _queue(
        channel=channel, promoted=promoted, action=Action.UPDATE,
        key=f"{base}:update:{content.fingerprint}", at=now, send_after=now + hold(),
    )  # fmt: skip
    return int(post is not None)


def posts_queue(now: dt.datetime) -> int:
    """Queue the posts due for what was published, changed or cancelled since the last run."""
    channels = list(Channel.objects.filter(active=True))
    if not channels:
        return 0
    queued = 0
    contents = {(c.subject, c.object_id): c for c in contents_to_consider(now=now)}
    watched = Promoted.objects.filter(watch_until__gte=now).prefetch_related("posts", "skip")
    known = {(p.subject, p.object_id): p for p in watched}
    for key, content in contents.items():
        mine = channels_for(content, channels)
        if not mine or (key not in known and not content.published):
            continue
        promoted = known.get(key) or _promoted(content, now)
        queued += sum(_plan(content, channel, promoted, now) for channel in mine)
    # Watched items that were deleted: a cancellation where they had been posted.
    for key, promoted in known.items():
        if key not in contents and content_of(subject=key[0], object_id=key[1], now=now) is None:
            gone = PostContent(
                subject=key[0], object_id=key[1], title="", lead="", details=(), link="",
                published=False, branch_id=None, published_at=None, watch_until=now,
            )  # fmt: skip
            queued += sum(_plan(gone, channel, promoted, now) for channel in channels)
    return queued


# --- delivery (a notices courier) -----------------------------------------------------------


def _claim(post_id: int, now: dt.datetime) -> tuple[Post, Attempt, clients.Outgoing] | None:
    """Mark the post as being sent and commit, before the service is asked."""
    with transaction.atomic():
        post = (
            Post.objects.select_for_update()
            .select_related("channel", "promoted")
            .filter(pk=post_id, state=PostState.QUEUED)
            .first()
        )
        if post is None:
            return None
        promoted = post.promoted
        content = content_of(subject=promoted.subject, object_id=promoted.object_id, now=now)
        dropped = post.action != Action.CANCEL and (
            content is None
            or not content.published
            or not post.channel.active
            or promoted.skip.filter(pk=post.channel_id).exists()
        )
        if dropped:
            post.state = PostState.SKIPPED
            post.save(update_fields=["state"])
            return None
        if content is None:  # a deleted item's cancellation: what was posted, by its title
            first = promoted.posts.filter(action=Action.PUBLISH).exclude(text="").first()
            title = first.text.split("\n", 1)[0] if first else ""
            content = PostContent(
                subject=promoted.subject, object_id=promoted.object_id, title=title, lead="",
                details=(), link="", published=False, branch_id=None, published_at=None,
                watch_until=now,
            )  # fmt: skip
        original = promoted.posts.filter(channel=post.channel, action=Action.PUBLISH).first()
        photo = _photo(content) if post.action == Action.PUBLISH else None
        outgoing = clients.Outgoing(
            target=post.channel.target,
            text=content.text(post.action),
            caption=content.text(post.action, limit=CAPTION_LIMIT),
            link=content.link,
            photo=photo,
            reply_to=original.remote_id if original and post.action != Action.PUBLISH else "",
            guid=f"polka-{post.pk}",
        )
        post.text = outgoing.caption if photo else outgoing.text
        post.fingerprint = content.fingerprint if post.action != Action.CANCEL else ""
        post.state, post.claimed_at = PostState.SENDING, now
        post.attempts += 1
        post.save(update_fields=["text", "fingerprint", "state", "claimed_at", "attempts"])
        attempt = Attempt.objects.create(post=post, started_at=now)
    return post, attempt, outgoing


def _photo(content: PostContent) -> tuple[str, bytes] | None:
    if not content.photo_name:
        return None
    try:
        with default_storage.open(content.photo_name, "rb") as file:
            return content.photo_name.rsplit("/", 1)[-1], file.read()
    except OSError:  # the file is gone: the post goes without it
        log.warning("photo %s not found", content.photo_name)
        return None


def _later(post: Post, now: dt.datetime, retry_after: int | None) -> dt.datetime:
    wait: dt.timedelta = BACKOFF * 2 ** (post.attempts - 1)
    if retry_after is not None:
        wait = max(wait, dt.timedelta(seconds=retry_after))
    return now + wait


def _record(post: Post, attempt: Attempt, answer: clients.Answer, now: dt.datetime) -> None:
    """Keep the service's answer and decide what becomes of the post."""
    with transaction.atomic():
        attempt.finished_at, attempt.ok = now, answer.ok
        attempt.status, attempt.answer = answer.status, answer.body
        attempt.save(update_fields=["finished_at", "ok", "status", "answer"])
        if answer.ok:
            post.state, post.sent_at, post.remote_id = PostState.SENT, now, answer.remote_id
        elif answer.uncertain:
            post.state = PostState.UNKNOWN
        elif answer.retry and post.attempts < MAX_ATTEMPTS:
            post.state, post.send_after = PostState.QUEUED, _later(post, now, answer.retry_after)
        else:
            post.state = PostState.FAILED
        post.save(update_fields=["state", "sent_at", "remote_id", "send_after"])


def _send(channel: Channel, outgoing: clients.Outgoing) -> clients.Answer:
    try:
        token = channel_token(channel)
    except PromotionError as error:
        return clients.Answer(ok=False, status=None, body=str(error))
    if channel.service == Service.TELEGRAM:
        return clients.telegram_post(token=token, post=outgoing)
    return clients.vk_post(token=token, post=outgoing)


def _recover(now: dt.datetime) -> None:
    """Posts left "sending" by a run that died: VK is asked again (same guid), Telegram not."""
    stale = Post.objects.filter(state=PostState.SENDING, claimed_at__lt=now - STALE)
    for post in stale.select_related("channel"):
        with transaction.atomic():
            Attempt.objects.filter(post=post, finished_at__isnull=True).update(
                finished_at=now, answer="interrupted: the run stopped before the answer came"
            )
            if post.channel.service == Service.VK and post.attempts < MAX_ATTEMPTS:
                post.state, post.send_after = PostState.QUEUED, now
            else:
                post.state = PostState.UNKNOWN
            post.save(update_fields=["state", "send_after"])


def posts_deliver(now: dt.datetime, limit: int = 1000) -> tuple[int, int]:
    """Send the due posts, each at most once; returns (sent, failed attempts)."""
    _recover(now)
    due = Post.objects.filter(state=PostState.QUEUED, send_after__lte=now)
    sent = failed = 0
    for post_id in list(due.order_by("send_after", "pk").values_list("pk", flat=True)[:limit]):
        claimed = _claim(post_id, now)
        if claimed is None:
            continue
        post, attempt, outgoing = claimed
        answer = _send(post.channel, outgoing)
        _record(post, attempt, answer, now)
        if answer.ok:
            sent += 1
        else:
            failed += 1
            log.warning("post %s to %s failed: %s", post.pk, post.channel, answer.body[:200])
    return sent, failed


def post_retry(*, post: Post, by: AnyUser, at: dt.datetime) -> Post:
    """A failed or unknown post, sent again at the librarian's word (after checking the channel)."""
    _require_channel(by, post.channel.branch)
    updated = Post.objects.filter(
        Q(state=PostState.FAILED) | Q(state=PostState.UNKNOWN), pk=post.pk
    ).update(state=PostState.QUEUED, send_after=at, attempts=0)
    post.refresh_from_db()
    if not updated:
        log.info("post %s was not failed: nothing to retry", post.pk)
    return post


# --- partners -------------------------------------------------------------------------------


@transaction.atomic
def partner_save(
    *,
    partner: Partner | None,
    by: AnyUser,
    at: dt.datetime,
    name: str,
    kind: str,
    url: str = "",
    together: str = "",
    is_public: bool = True,
    logo: Any = None,
    events: Sequence[Event] = (),
    projects: Sequence[Project] = (),
    courses: Sequence[Course] = (),
) -> Partner:
    """Add or change a partner (anyone who plans events, as for projects: partners belong to the
    whole network)."""
    staff_require(user=by, action="events.manage")
    partner = partner or Partner(created_at=at)
    partner.name = clean_text(name, max_length=300, multiline=False)
    partner.kind, partner.url, partner.is_public = kind, url, is_public
    partner.together = clean_text(together, max_length=3000)
    if logo:
        partner.logo = logo
    partner.save()
    partner.events.set(events)
    partner.projects.set(projects)
    partner.courses.set(courses)
    return partner
