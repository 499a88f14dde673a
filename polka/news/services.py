"""Changes to news and comments. Editors need news.publish (in the item's branch, or for the
whole network when it has none); comments are moderated before (pre) or after (post) they show,
as POLKA_COMMENTS_MODERATION says."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _

from polka.catalog.models import Record
from polka.consents.services import consent_record
from polka.consents.texts import PERSONAL_DATA, PUBLISH_NAME
from polka.core.sanitize import clean_html, clean_text, count_links
from polka.core.states import transition
from polka.events.models import Event
from polka.news.errors import CommentInvalid, CommentsClosed, NameConsentMissing
from polka.news.models import Comment, CommentState, NewsItem, NewsPhoto, Tag
from polka.news.selectors import news_content_text
from polka.news.states import COMMENT
from polka.notices.services import notice_send
from polka.notices.site import site_url
from polka.org.models import Branch, StaffRole
from polka.org.policies import CAPABILITIES, AnyUser, staff_require
from polka.search.content import content_index_text, content_unindex

CONTENT_KIND = "news"
MAX_COMMENT = 3000
MAX_LINKS = 2


def _require(by: AnyUser, branch: Branch | None) -> None:
    staff_require(user=by, action="news.publish", branch=branch, network_wide=branch is None)


def _tags(names: Iterable[str]) -> list[Tag]:
    tags = []
    for raw in names:
        name = clean_text(raw, max_length=60, multiline=False).lower()
        if name:
            tag, _created = Tag.objects.get_or_create(
                name=name, defaults={"slug": slugify(name, allow_unicode=True) or name}
            )
            tags.append(tag)
    return tags


@transaction.atomic
def news_save(
    *,
    item: NewsItem | None,
    by: AnyUser,
    at: dt.datetime,
    title: str,
    lead: str,
    body: str = "",
    branch: Branch | None = None,
    author_line: str = "",
    age_mark: str = "0+",
    published_at: dt.datetime | None = None,
    comments_open: bool = True,
    tags: Sequence[str] = (),
    records: Sequence[Record] = (),
    events: Sequence[Event] = (),
) -> NewsItem:
    """Create or change a news item (a draft while published_at is empty)."""
    _require(by, branch)
    if item is not None:
        _require(by, item.branch)
    item = item or NewsItem(created_at=at, created_by_id=by.pk)
    item.title = clean_text(title, max_length=300, multiline=False)
    item.lead = clean_text(lead, max_length=1000)
    item.body = clean_html(body)
    item.branch = branch
    item.author_line = clean_text(author_line, max_length=200, multiline=False)
    item.age_mark = age_mark
    item.published_at = published_at
    item.comments_open = comments_open
    item.updated_at = at
    item.save()
    item.tags.set(_tags(tags))
    item.records.set(records)
    item.events.set(events)
    if item.published_at is not None:
        content_index_text(kind=CONTENT_KIND, text=news_content_text(item))
    else:
        content_unindex(kind=CONTENT_KIND, object_id=item.pk)
    return item


@transaction.atomic
def photo_add(*, item: NewsItem, image: Any, alt: str, by: AnyUser, credit: str = "") -> NewsPhoto:
    _require(by, item.branch)
    text = clean_text(alt, max_length=300, multiline=False)
    if not text:
        raise CommentInvalid(_("Опишите, что на фото: это читают незрячие читатели."))
    last = item.photos.order_by("-position").first()
    return NewsPhoto.objects.create(
        item=item,
        image=image,
        alt=text,
        credit=clean_text(credit, max_length=200, multiline=False),
        position=(last.position + 1) if last else 0,
    )


def moderation_mode() -> str:
    return str(getattr(settings, "POLKA_COMMENTS_MODERATION", "pre"))


def moderators(item: NewsItem) -> list[str]:
    """Emails of the staff who may moderate the item's comments."""
    roles = [r for r, actions in CAPABILITIES.items() if "news.publish" in actions]
    scope = (
        Q(all_branches=True)
        if item.branch is None
        else Q(all_branches=True) | Q(branches=item.branch)
    )
    users = (
        get_user_model()
        .objects.filter(
            staff_roles__in=StaffRole.objects.filter(scope, role__in=roles), is_active=True
        )
        .exclude(email="")
    )
    return sorted(set(users.values_list("email", flat=True)))


@transaction.atomic
def comment_post(
    *,
    item: NewsItem,
    body: str,
    at: dt.datetime,
    user: AnyUser | None = None,
    name: str = "",
    email: str = "",
    publish_name: bool = False,
    ip_address: str | None = None,
) -> Comment:
    """A reader's comment. A guest gives a name and an email under the personal-data consent
    and a separate consent to publish the name; too many links or an empty text are refused."""
    if not item.comments_open or item.published_at is None or item.published_at > at:
        raise CommentsClosed()
    text = clean_text(body, max_length=MAX_COMMENT)
    if len(text) < 2:
        raise CommentInvalid(_("Комментарий пуст."))
    if count_links(text) > MAX_LINKS:
        raise CommentInvalid(_("В комментарии слишком много ссылок."))
    signed_in = user is not None and user.is_authenticated
    consent_data = consent_name = None
    if signed_in:
        assert user is not None
        display = getattr(user, "full_name", "") or user.get_username()
    else:
        display = clean_text(name, max_length=100, multiline=False)
        if not display or not email:
            raise CommentInvalid(_("Укажите имя и электронную почту."))
        if not publish_name:
            raise NameConsentMissing()
        consent_data = consent_record(
            purpose=PERSONAL_DATA, at=at, ip_address=ip_address, name=display, email=email,
            context=f"news.comment:{item.pk}",
        )  # fmt: skip
        consent_name = consent_record(
            purpose=PUBLISH_NAME, at=at, ip_address=ip_address, name=display, email=email,
            context=f"news.comment:{item.pk}",
        )  # fmt: skip
    post = moderation_mode() == "post"
    comment = Comment.objects.create(
        item=item,
        user_id=user.pk if signed_in and user is not None else None,
        name=display,
        email="" if signed_in else email,
        body=text,
        state=CommentState.APPROVED if post else CommentState.PENDING,
        ip_address=ip_address,
        consent_data=consent_data,
        consent_name=consent_name,
        created_at=at,
    )
    link = site_url() + reverse("news:staff-comments")
    for address in moderators(item):
        notice_send(
            kind="news.comment",
            to=address,
            template="news/notices/comment",
            context={"comment": comment, "item": item, "link": link, "post": post},
            at=at,
        )
    return comment


@transaction.atomic
def comment_moderate(*, comment: Comment, approve: bool, by: AnyUser, at: dt.datetime) -> Comment:
    _require(by, comment.item.branch)
    comment.moderated_at = at
    comment.moderated_by_id = by.pk
    transition(
        COMMENT,
        comment,
        "approve" if approve else "reject",
        by=by,
        at=at,
        update_fields=["moderated_at", "moderated_by"],
        lock=False,  # a moderation decision simply replaces the last one
    )
    return comment


@transaction.atomic
def comment_reply(*, comment: Comment, body: str, by: AnyUser, at: dt.datetime) -> Comment:
    """The library answers a comment, under its own name; the answer shows at once."""
    _require(by, comment.item.branch)
    text = clean_text(body, max_length=MAX_COMMENT)
    if not text:
        raise CommentInvalid(_("Ответ пуст."))
    if comment.state == CommentState.PENDING:
        comment_moderate(comment=comment, approve=True, by=by, at=at)
    return Comment.objects.create(
        item=comment.item,
        user_id=by.pk,
        name=str(_("Библиотека")),
        body=text,
        state=CommentState.APPROVED,
        reply_to=comment,
        from_library=True,
        created_at=at,
        moderated_at=at,
        moderated_by_id=by.pk,
    )
