"""Publishing a news item or an event posts it to the connected Telegram channels and VK
communities from the notices queue: with its content, retried after failures, never twice."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from polka.events.services import event_create, event_update
from polka.news.services import news_save, photo_add
from polka.notices.services import notices_run
from polka.promotion import services as promotion
from polka.promotion.models import Attempt, Post, PostState
from polka.promotion.selectors import content_of
from polka.promotion.tests.conftest import CONNECTED, jpeg
from polka.promotion.tests.standins import BOT_TOKEN

pytestmark = pytest.mark.django_db

PUBLISHED = CONNECTED + dt.timedelta(hours=1)
LATER = PUBLISHED + dt.timedelta(minutes=1)


def publish_news(manager, branch=None, **kwargs):
    fields = {
        "title": "Ночь в библиотеке", "lead": "Приходите читать всю ночь.",
        "published_at": PUBLISHED,
    }  # fmt: skip
    return news_save(item=None, by=manager, at=PUBLISHED, branch=branch, **{**fields, **kwargs})


def plan_event(branch, **kwargs):
    starts = dt.datetime(2026, 3, 12, 15, 0, tzinfo=dt.UTC)  # Thursday 18:00 in Moscow
    fields = {
        "title": "Квиз по Пушкину", "description": "Командная игра.", "audience": "teens",
        "age_mark": "12+", "place": "Зал 2",
    }  # fmt: skip
    return event_create(
        branch=branch, starts_at=starts, ends_at=starts + dt.timedelta(hours=2), at=PUBLISHED,
        **{**fields, **kwargs},
    )  # fmt: skip


def run(at=LATER):
    return notices_run(now=at)


def test_a_published_news_item_goes_to_telegram_with_its_photo_credit_alt_and_link(
    services, connect, manager
):
    connect("telegram")
    item = publish_news(manager)
    photo_add(
        item=item, image=jpeg(), alt="Читатели с фонариками", credit="Анна Петрова", by=manager
    )
    report = run()
    [request] = services.requests
    assert request.method == "sendPhoto"
    assert request.token == BOT_TOKEN
    assert request.fields["chat_id"] == "@cbs_channel"
    caption = request.fields["caption"]
    assert caption.startswith("Ночь в библиотеке\n\nПриходите читать всю ночь.")
    assert "На фото: Читатели с фонариками. Фото: Анна Петрова." in caption
    assert f"https://library.example.ru/news/{item.pk}/" in caption
    assert request.files["photo"].startswith(b"\xff\xd8")  # the JPEG itself
    assert report.sent == 1
    post = Post.objects.get()
    assert (post.state, post.remote_id, post.text) == (PostState.SENT, "1", caption)
    assert Attempt.objects.get().answer.startswith('{"ok": true')


def test_an_event_goes_to_vk_with_date_place_age_mark_pushkin_card_and_link(
    services, connect, branch_a
):
    connect("vk")
    event = plan_event(
        branch_a, pushkin_card=True, ticket_url="https://tickets.example.ru/quiz",
        pro_culture_id="123456",
    )  # fmt: skip
    run()
    [request] = services.requests
    assert request.method == "wall.post"
    fields = request.fields
    assert (fields["owner_id"], fields["from_group"], fields["v"]) == ("-123456", "1", "5.199")
    message = fields["message"]
    assert message.startswith("Квиз по Пушкину\n\nКомандная игра.")
    assert "Когда: 12 марта 2026, 18:00" in message
    assert "Где: Центральная библиотека, ул. Ленина, 1, Зал 2" in message
    assert "12+" in message
    assert "По «Пушкинской карте»: https://tickets.example.ru/quiz" in message
    assert fields["attachments"] == f"https://library.example.ru/events/{event.pk}/"
    assert fields["guid"]


def test_running_notices_twice_posts_once(services, connect, manager):
    connect("telegram")
    connect("vk")
    publish_news(manager, published_at=timezone.now() - dt.timedelta(minutes=1))
    out = io.StringIO()
    call_command("notices", stdout=out)
    call_command("notices", stdout=out)
    assert sorted(r.method for r in services.requests) == ["sendMessage", "wall.post"]
    assert Post.objects.filter(state=PostState.SENT).count() == 2


def test_a_rate_limited_post_waits_as_long_as_telegram_asks_then_goes(services, connect, manager):
    connect("telegram")
    publish_news(manager)
    services.fail_next(
        429,
        {"ok": False, "error_code": 429, "description": "Too Many Requests: retry after 300",
         "parameters": {"retry_after": 300}},
    )  # fmt: skip
    first = run()
    post = Post.objects.get()
    assert (first.failed, post.state) == (1, PostState.QUEUED)
    assert post.send_after == LATER + dt.timedelta(seconds=300)
    run(LATER + dt.timedelta(seconds=299))
    assert len(services.requests) == 1
    run(LATER + dt.timedelta(seconds=300))
    assert len(services.requests) == 2
    post.refresh_from_db()
    assert post.state == PostState.SENT
    answers = list(post.log.values_list("status", "ok"))
    assert answers == [(429, False), (200, True)]
    assert "retry after 300" in post.log.first().answer


def test_a_vk_server_error_is_retried_with_growing_waits(services, connect, branch_a):
    connect("vk")
    plan_event(branch_a)
    error = {"error": {"error_code": 10, "error_msg": "Internal server error"}}
    services.fail_next(200, error)
    services.fail_next(200, error)
    run()
    assert Post.objects.get().send_after == LATER + dt.timedelta(minutes=1)
    run(LATER + dt.timedelta(minutes=1))
    assert Post.objects.get().send_after == LATER + dt.timedelta(minutes=3)
    run(LATER + dt.timedelta(minutes=3))
    assert Post.objects.get().state == PostState.SENT
    assert len(services.posts()) == 1


def test_a_refused_token_is_not_retried_and_never_shows_in_the_log(services, connect, manager):
    connect("telegram", token="999:wrong-token")
    publish_news(manager)
    run()
    post = Post.objects.get()
    assert post.state == PostState.FAILED
    assert "Unauthorized" in post.log.get().answer
    assert "wrong-token" not in post.log.get().answer
    run(LATER + dt.timedelta(days=1))
    assert len(services.requests) == 1


class Killed(BaseException):
    """The process dying between asking the service and recording its answer."""


@pytest.mark.parametrize("service", ["telegram", "vk"])
def test_a_run_killed_after_asking_the_service_never_posts_twice(
    services, connect, manager, monkeypatch, service
):
    connect(service)
    publish_news(manager)

    def die(*args, **kwargs):
        raise Killed

    with monkeypatch.context() as patch:
        patch.setattr(promotion, "_record", die)
        with pytest.raises(Killed):
            run()
    assert Post.objects.get().state == PostState.SENDING
    run(LATER + dt.timedelta(minutes=1))  # another run while the first could still be alive
    run(LATER + dt.timedelta(minutes=10))
    run(LATER + dt.timedelta(minutes=20))
    assert len(services.posts()) == 1
    post = Post.objects.get()
    if service == "vk":  # asked again with the same guid: VK answers with the same post
        assert len(services.requests) == 2
        assert (post.state, post.remote_id) == (PostState.SENT, "100")
    else:  # Telegram cannot tell: the post is left for a person to check
        assert post.state == PostState.UNKNOWN
        assert "interrupted" in post.log.get().answer


def test_an_edit_posts_an_update_in_reply_and_unpublishing_posts_a_note(
    services, connect, manager, branch_a
):
    connect("telegram")
    event = plan_event(branch_a)
    run()
    starts = event.starts_at + dt.timedelta(days=1)
    event_update(
        event=event, by=manager, at=LATER, branch=branch_a, starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2),
    )  # fmt: skip
    run(LATER + dt.timedelta(minutes=1))
    run(LATER + dt.timedelta(minutes=2))  # nothing changed since
    event_update(
        event=event, by=manager, at=LATER, branch=branch_a, starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2), is_published=False,
    )  # fmt: skip
    run(LATER + dt.timedelta(minutes=3))
    run(LATER + dt.timedelta(minutes=4))
    first, update, cancel = services.requests
    assert "Когда: 12 марта" in first.fields["text"]
    assert update.fields["text"].startswith("Изменения: Квиз по Пушкину")
    assert "Когда: 13 марта 2026, 18:00" in update.fields["text"]
    assert update.fields["reply_parameters"]["message_id"] == 1
    assert cancel.fields["text"].startswith("Отменено: Квиз по Пушкину")
    assert cancel.fields["reply_parameters"]["message_id"] == 1


def test_a_skipped_channel_gets_nothing_and_the_others_still_do(services, connect, manager):
    telegram = connect("telegram")
    connect("vk")
    item = publish_news(manager)
    content = content_of(subject="news", object_id=item.pk, now=LATER)
    promotion.item_skip_set(content=content, skip=[telegram], by=manager, at=LATER)
    run()
    assert [r.method for r in services.requests] == ["wall.post"]


def test_the_hold_lets_the_librarian_skip_a_queued_post(services, settings, connect, manager):
    settings.POLKA_PROMOTION_HOLD_MINUTES = 10
    telegram = connect("telegram")
    item = publish_news(manager)
    run()
    assert services.requests == []
    content = content_of(subject="news", object_id=item.pk, now=LATER)
    promotion.item_skip_set(content=content, skip=[telegram], by=manager, at=LATER)
    run(LATER + dt.timedelta(minutes=30))
    assert services.requests == []
    assert Post.objects.get().state == PostState.SKIPPED


def test_what_was_published_before_connecting_is_not_posted(services, connect, manager, branch_a):
    news_save(
        item=None, by=manager, at=CONNECTED, title="Старая новость", lead="x",
        published_at=CONNECTED - dt.timedelta(hours=1),
    )  # fmt: skip
    plan_event(branch_a)
    connect("telegram")  # connected after both
    run()
    assert services.requests == []


def test_a_branch_channel_posts_only_its_branchs_items(services, connect, branch_a, branch_b):
    connect("vk", branch=branch_b)
    plan_event(branch_a, title="В центральной")
    plan_event(branch_b, title="В филиале")
    run()
    [request] = services.requests
    assert request.fields["message"].startswith("В филиале")


def test_a_scheduled_news_item_is_posted_when_it_appears(services, connect, manager):
    connect("telegram")
    publish_news(manager, published_at=LATER + dt.timedelta(hours=5))
    run()
    assert services.requests == []
    run(LATER + dt.timedelta(hours=5))
    assert len(services.requests) == 1


def test_the_token_is_sealed_in_the_database(connect):
    channel = connect("telegram")
    assert BOT_TOKEN not in json.dumps(list(type(channel).objects.values()), default=str)
    assert promotion.channel_token(channel) == BOT_TOKEN


def test_a_token_from_the_environment_is_used_and_nothing_is_stored(
    services, connect, manager, monkeypatch
):
    monkeypatch.setenv("POLKA_TG_TOKEN", BOT_TOKEN)
    channel = connect("telegram", token="", token_env="POLKA_TG_TOKEN")
    assert channel.token_sealed == ""
    publish_news(manager)
    run()
    assert services.requests[0].token == BOT_TOKEN
