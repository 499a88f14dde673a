"""News: drafts and scheduled items, comments under consent and moderation, feeds."""

from __future__ import annotations

import datetime as dt

import feedparser
import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from polka.consents.models import ConsentRecord
from polka.news import services
from polka.news.errors import CommentInvalid, CommentsClosed, NameConsentMissing
from polka.news.models import Comment
from polka.news.selectors import comments_shown, news_latest, news_published
from polka.org.errors import NotPermitted
from polka.org.models import Role
from polka.org.services import staff_user_create
from polka.search.content import content_search
from polka.search.indexing import reindex_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    return timezone.now()


@pytest.fixture
def editor(branch_a, now):
    user, _ = staff_user_create(
        username="ed", email="ed@library.example.org", roles={Role.METHODIST: "all"}, at=now
    )
    return user


def _news(editor, now, **fields):
    defaults = {
        "title": "Неделя детской книги",
        "lead": "Приглашаем на праздник чтения",
        "body": '<p>Программа <a href="https://example.org">здесь</a></p><script>alert(1)</script>',
        "published_at": now - dt.timedelta(hours=1),
        "tags": ["дети", "праздник"],
    }
    defaults.update(fields)
    return services.news_save(item=None, by=editor, at=now, **defaults)


def test_drafts_and_scheduled_news_stay_hidden_until_their_time(editor, now):
    shown = _news(editor, now)
    _news(editor, now, title="Черновик", published_at=None)
    later = _news(editor, now, title="Завтра", published_at=now + dt.timedelta(days=1))
    assert list(news_published(now=now)) == [shown]
    assert later in news_published(now=now + dt.timedelta(days=2))
    assert "<script>" not in shown.body and 'rel="nofollow noopener ugc"' in shown.body
    assert news_latest(limit=1) == [shown]
    assert content_search(kind="news", text="недели книг").ids == [shown.pk]


def test_a_rebuilt_index_finds_every_published_item_and_no_draft(editor, now):
    """polka upgrade rebuilds the index after an analysis change: news comes back from the
    items themselves, drafts stay out."""
    shown = _news(editor, now, title="Вечер памяти Чехова")
    _news(editor, now, title="Черновик о Чехове", published_at=None)
    with connection.cursor() as cursor:  # an index that lost the item (or was built otherwise)
        cursor.execute("DELETE FROM search_content")
    assert content_search(kind="news", text="Чехов").total == 0
    reindex_all()
    assert content_search(kind="news", text="Чехов").ids == [shown.pk]
    assert content_search(kind="news", text="праздник").ids == [shown.pk]  # its tags too


def test_a_branch_editor_cannot_publish_for_the_network(branch_a, branch_b, now):
    local, _ = staff_user_create(username="local", roles={Role.METHODIST: [branch_b]}, at=now)
    with pytest.raises(NotPermitted):
        services.news_save(item=None, by=local, at=now, title="x", lead="y")
    item = services.news_save(item=None, by=local, at=now, title="x", lead="y", branch=branch_b)
    assert item.branch == branch_b


def test_a_guest_comment_needs_both_consents_and_waits_for_a_moderator(editor, now, settings):
    settings.POLKA_COMMENTS_MODERATION = "pre"
    item = _news(editor, now)
    with pytest.raises(NameConsentMissing):
        services.comment_post(
            item=item, body="Отлично!", name="Анна", email="a@example.org", at=now
        )
    comment = services.comment_post(
        item=item, body="Отлично!", name="Анна", email="a@example.org", publish_name=True,
        ip_address="192.0.2.3", at=now,
    )  # fmt: skip
    purposes = sorted(ConsentRecord.objects.values_list("purpose", flat=True))
    assert purposes == ["personal_data", "publish_name"]
    assert ConsentRecord.objects.filter(ip_address="192.0.2.3").count() == 2
    assert comment.state == "pending" and list(comments_shown(item=item)) == []
    services.comment_moderate(comment=comment, approve=True, by=editor, at=now)
    assert list(comments_shown(item=item)) == [comment]
    reply = services.comment_reply(comment=comment, body="Спасибо!", by=editor, at=now)
    assert reply.from_library and list(comments_shown(item=item)[0].replies.all()) == [reply]


def test_post_moderation_shows_a_comment_at_once_and_tells_the_moderators(
    editor, now, settings, django_capture_on_commit_callbacks
):
    settings.POLKA_COMMENTS_MODERATION = "post"
    item = _news(editor, now)
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_post(
            item=item, body="Хорошо", name="Пётр", email="p@example.org", publish_name=True, at=now
        )
    assert comment.state == "approved"
    assert [m.to for m in mail.outbox] == [["ed@library.example.org"]]


@pytest.mark.parametrize(
    ("body", "error"),
    [
        ("", CommentInvalid),
        ("смотрите http://a.ru http://b.ru http://c.ru", CommentInvalid),
    ],
)
def test_empty_comments_and_link_spam_are_refused(editor, now, body, error):
    item = _news(editor, now)
    with pytest.raises(error):
        services.comment_post(
            item=item, body=body, name="Б", email="b@example.org", publish_name=True, at=now
        )
    assert not Comment.objects.exists()


def test_comments_on_a_closed_item_are_refused(editor, now):
    item = _news(editor, now, comments_open=False)
    with pytest.raises(CommentsClosed):
        services.comment_post(
            item=item, body="Можно?", name="В", email="v@example.org", publish_name=True, at=now
        )


def test_rss_and_atom_feeds_parse_and_the_home_page_announces_them(client, editor, now, branch_a):
    _news(editor, now)
    _news(editor, now, title="Новость филиала", branch=branch_a)
    for url in ("/news/feed/rss/", "/news/feed/atom/", f"/news/branch/{branch_a.code}/rss/"):
        parsed = feedparser.parse(client.get(url).content)
        assert not parsed.bozo, parsed.bozo_exception
        titles = [entry.title for entry in parsed.entries]
        assert "Неделя детской книги" in titles
    atom = feedparser.parse(client.get("/news/feed/atom/").content)
    assert atom.version == "atom10" and atom.entries[0].link.startswith("http")
    home = client.get("/").content.decode()
    assert 'type="application/rss+xml"' in home and 'type="application/atom+xml"' in home


def test_the_news_page_has_social_metadata_and_keeps_a_failed_comment(client, editor, now):
    item = _news(editor, now)
    page = client.get(reverse("news:detail", args=[item.pk])).content.decode()
    assert '<meta property="og:title" content="Неделя детской книги">' in page
    response = client.post(
        reverse("news:comment", args=[item.pk]), {"body": "Жду!", "name": "Гость"}
    )
    assert response.status_code == 400 and "Жду!" in response.content.decode()
    assert not Comment.objects.exists()


def test_the_editor_links_books_and_events_by_number(client, editor, now, branch_a):
    from polka.catalog.tests.gost.factories import make_record
    from polka.events.services import event_create

    record = make_record(title="Денискины рассказы")
    starts = now + dt.timedelta(days=3)
    weekday = starts + dt.timedelta(days=(7 - starts.weekday()) % 7)  # a Monday: branch_a is open
    event = event_create(
        title="Громкие чтения", branch=branch_a, starts_at=weekday.replace(hour=9),
        ends_at=weekday.replace(hour=10), audience="children", age_mark="0+", at=now,
    )  # fmt: skip
    client.force_login(editor)
    form = {
        "title": "Читаем вслух",
        "lead": "Приходите",
        "age_mark": "0+",
        "records": f"{record.pk}, 999999",
        "events": str(event.pk),
        "published_at": (now - dt.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        "comments_open": "on",
    }
    assert client.post(reverse("news:staff-new"), form).status_code == 302
    page = client.get(reverse("news:list")).content.decode()
    assert "Читаем вслух" in page
    from polka.news.models import NewsItem

    item = NewsItem.objects.get(title="Читаем вслух")
    assert list(item.records.all()) == [record] and list(item.events.all()) == [event]
