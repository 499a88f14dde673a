from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from polka.accounts.models import User
from polka.org.models import Branch, Role
from polka.org.services import staff_user_create
from polka.promotion.models import Channel
from polka.promotion.services import channel_save
from polka.promotion.tests.standins import BOT_TOKEN, VK_TOKEN, services  # noqa: F401

CONNECTED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.POLKA_SITE_URL = "https://library.example.ru"


@pytest.fixture
def manager(branch_a: Branch, branch_b: Branch) -> User:
    user, _ = staff_user_create(username="smm", roles={Role.MANAGER: "all"}, at=CONNECTED)
    return user


@pytest.fixture
def connect(manager: User) -> Callable[..., Channel]:
    def connect(service: str = "telegram", branch: Branch | None = None, **kwargs: Any) -> Channel:
        defaults = {
            "telegram": {"name": "Канал ЦБС", "target": "@cbs_channel", "token": BOT_TOKEN},
            "vk": {"name": "Сообщество ЦБС", "target": "123456", "token": VK_TOKEN},
        }[service]
        return channel_save(
            channel=None, by=manager, at=CONNECTED, service=service, branch=branch,
            **{**defaults, **kwargs},
        )  # fmt: skip

    return connect


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "JPEG")
    return SimpleUploadedFile("reading.jpg", buffer.getvalue(), content_type="image/jpeg")
