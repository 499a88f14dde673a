"""A manager connects channels (the token is never shown again), previews what an item will
say in each channel and skips a channel for it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from polka.news.services import news_save
from polka.promotion.models import Channel, Promoted
from polka.promotion.services import channel_token
from polka.promotion.tests.conftest import CONNECTED
from polka.promotion.tests.standins import BOT_TOKEN

pytestmark = pytest.mark.django_db


def test_a_manager_connects_a_telegram_channel_and_the_token_is_never_shown_again(client, manager):
    client.force_login(manager)
    form = {
        "service": "telegram", "branch": "", "name": "Канал ЦБС", "target": "@cbs",
        "token": BOT_TOKEN, "active": "on",
    }  # fmt: skip
    answer = client.post(reverse("promotion:staff-channel-new"), form, follow=True)
    assert answer.status_code == 200
    channel = Channel.objects.get()
    assert channel_token(channel) == BOT_TOKEN
    assert BOT_TOKEN not in answer.content.decode()
    assert "Токен сохранён" in answer.content.decode()
    # Saving again with an empty token keeps the saved one.
    client.post(reverse("promotion:staff-channel", args=[channel.pk]), {**form, "token": ""})
    channel.refresh_from_db()
    assert channel_token(channel) == BOT_TOKEN
    index = client.get(reverse("promotion:staff")).content.decode()
    assert "Канал ЦБС" in index and BOT_TOKEN not in index


def test_a_channel_without_a_token_is_not_connected(client, manager):
    client.force_login(manager)
    form = {"service": "vk", "name": "Сообщество", "target": "1", "active": "on"}
    answer = client.post(reverse("promotion:staff-channel-new"), form)
    assert answer.status_code == 400
    assert Channel.objects.count() == 0


def test_the_item_page_previews_the_post_of_a_draft_and_skips_a_channel(client, manager, connect):
    channel = connect("telegram")
    draft = news_save(item=None, by=manager, at=CONNECTED, title="Черновик", lead="Скоро.")
    client.force_login(manager)
    url = reverse("promotion:staff-item", args=["news", draft.pk])
    page = client.get(url).content.decode()
    assert "Черновик\n\nСкоро." in page
    assert f"https://library.example.ru/news/{draft.pk}/" in page
    client.post(url, {"skip": [channel.pk]})
    assert list(Promoted.objects.get(object_id=draft.pk).skip.all()) == [channel]
