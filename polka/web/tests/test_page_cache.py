"""Public pages kept for visitors who are not signed in (polka.core.pagecache): served again from
the cache, redrawn at once when what they show changes, never shared with anyone signed in or
across languages, and every visitor gets a CSRF token of their own that works."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from polka.catalog.models import Item, ItemStatus, RecordAuthor
from polka.core.pagecache import PLACEHOLDER
from polka.news.models import NewsItem
from polka.news.selectors import news_latest
from polka.org.models import Branch, Role
from polka.org.services import staff_user_create

# A page served again: the content generation, the kept page and the record page's copies, one
# query on the database cache production uses; on the tests' local memory the generation, and
# the record page's copies apart.
CACHED_QUERIES = {"memory": {"home": 1, "record": 2}, "database": {"home": 1, "record": 1}}
PASSWORD = "a-long-test-password"
CACHE_TABLE = "polka_test_page_cache"


@pytest.fixture
def demo(db: None, settings) -> None:
    settings.POLKA_PAGE_CACHE_SECONDS = 60
    cache.clear()
    call_command("demo", "--records", "30", stdout=StringIO())


@pytest.fixture(params=["memory", "database"])
def kept_in(request, settings, demo) -> str:
    """The tests' local-memory cache, or production's database cache (polka.core.dbcache)."""
    if request.param == "database":
        settings.CACHES = {
            "default": {"BACKEND": "polka.core.dbcache.DatabaseCache", "LOCATION": CACHE_TABLE}
        }
        call_command("createcachetable", verbosity=0)
    return str(request.param)


def _record_path() -> tuple[str, int]:
    authorship = RecordAuthor.objects.order_by("record_id").first()
    assert authorship is not None
    return f"/catalog/records/{authorship.record_id}/", authorship.record_id


def _latest_news() -> NewsItem:
    (item,) = news_latest(limit=1)  # the first the home page lists
    return item


def test_a_page_served_again_costs_only_its_versions(client, kept_in):
    path, _record = _record_path()
    for name, page in (("home", "/"), ("record", path)):
        first = client.get(page)
        with CaptureQueriesContext(connection) as ctx:
            again = client.get(page)
        assert again.status_code == 200
        assert len(ctx.captured_queries) == CACHED_QUERIES[kept_in][name], ctx.captured_queries
        strip = re.compile(rb'value="[A-Za-z0-9]{64}"|"X-CSRFToken": "[A-Za-z0-9]{64}"')
        assert strip.sub(b"", again.content) == strip.sub(b"", first.content)


def test_a_change_shows_at_once_and_a_rolled_back_one_never(client, kept_in):
    item = _latest_news()
    assert item.title in client.get("/").content.decode()
    # Without a signal the page stays as kept: this is the cache answering.
    NewsItem.objects.filter(pk=item.pk).update(title="Тихая правка без сигнала")
    assert "Тихая правка" not in client.get("/").content.decode()
    with pytest.raises(RuntimeError), transaction.atomic():
        item.title = "Отменённый заголовок"
        item.save()
        raise RuntimeError
    assert "Отменённый заголовок" not in client.get("/").content.decode()
    item.title = "Библиотечная ночь переносится"
    item.save()
    assert "Библиотечная ночь переносится" in client.get("/").content.decode()


def test_a_copy_lent_or_moved_shows_on_the_record_page_at_once(client, kept_in):
    # Which demo copies are out depends on the day the demo is made: take one on the shelf.
    on_shelf = Item.objects.filter(status=ItemStatus.AVAILABLE).order_by("record_id").first()
    assert on_shelf is not None, "the demo has no copy on the shelf"
    record_id = on_shelf.record_id
    path = f"/catalog/records/{record_id}/"
    shown = Item.objects.filter(record_id=record_id, status=ItemStatus.AVAILABLE)
    assert "на полке" in client.get(path).content.decode()
    # Copies change at every loan without a catalogue write: the page keys on them.
    shown.update(status=ItemStatus.ON_LOAN)
    html = client.get(path).content.decode()
    assert "нет на полке" in html
    Item.objects.filter(pk=on_shelf.pk).update(shelf_mark="84(2Рос=Рус)6-ТЕСТ")
    assert "84(2Рос=Рус)6-ТЕСТ" in client.get(path).content.decode()
    Item.objects.filter(pk=on_shelf.pk).update(shelf_mark="")
    assert "84(2Рос=Рус)6-ТЕСТ" not in client.get(path).content.decode()


def test_signed_in_visitors_and_other_languages_never_get_the_kept_page(client, demo):
    item = _latest_news()
    client.get("/")
    NewsItem.objects.filter(pk=item.pk).update(title="Правка для своих")
    assert "Правка для своих" not in client.get("/").content.decode()

    english = Client()
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert 'lang="en"' in english.get("/").content.decode()
    # A language the site does not have is Russian: the page kept for Russian, not a new one.
    made_up = Client()
    made_up.cookies[settings.LANGUAGE_COOKIE_NAME] = "xx"
    assert "Правка для своих" not in made_up.get("/").content.decode()

    branch = Branch.objects.order_by("pk").first()
    assert branch is not None
    staff, _password = staff_user_create(
        username="desk", password=PASSWORD, roles={Role.DESK: [branch]}, at=timezone.now()
    )
    signed_in = Client()
    signed_in.force_login(staff)
    assert "Правка для своих" in signed_in.get("/").content.decode()


def _token(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def test_every_visitor_gets_a_csrf_token_of_their_own_that_works(demo):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.get("/")
    kept = second.get("/")  # from the cache
    assert PLACEHOLDER not in kept.content
    token = _token(kept.content.decode())
    assert second.cookies.get(settings.CSRF_COOKIE_NAME) is not None
    form = {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    answer = second.post("/i18n/setlang/", form)
    assert answer.status_code == 302
    # Another visitor's token does not go with this visitor's cookie.
    theirs = _token(first.get("/").content.decode())
    refused = second.post(
        "/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": theirs}
    )
    assert refused.status_code == 403
