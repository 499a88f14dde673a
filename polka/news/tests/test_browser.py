"""A guest comments on a news item, a moderator approves it, and the comment appears."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from polka.news import services
from polka.org.models import Role
from polka.org.services import staff_user_create

pytestmark = pytest.mark.browser


def test_a_guest_comment_appears_after_a_moderator_approves_it(
    transactional_db, branch_a, page, browser, live_server, settings, axe
):
    settings.POLKA_COMMENTS_MODERATION = "pre"
    now = timezone.now()
    editor, password = staff_user_create(
        username="ed", roles={Role.METHODIST: "all"}, password="Redaktor-2026-ok", at=now
    )
    item = services.news_save(
        item=None, by=editor, at=now, title="Открылся читальный зал",
        lead="Ждём читателей", published_at=now - dt.timedelta(minutes=5),
    )  # fmt: skip

    page.goto(f"/news/{item.pk}/")
    axe(page)
    page.get_by_label("Ваш комментарий").fill("Спасибо, приду завтра!")
    page.get_by_label("Имя:", exact=True).fill("Анна")
    page.get_by_label("Электронная почта").fill("anna@example.org")
    page.get_by_label("Согласие на обработку персональных данных").check()
    page.get_by_label("Согласие на публикацию имени").check()
    page.get_by_role("button", name="Отправить комментарий").click()
    page.wait_for_load_state()
    assert "после проверки модератором" in page.locator(".messages").inner_text()
    assert "Спасибо, приду завтра!" not in page.locator(".comments").inner_text()

    staff = browser.new_context(base_url=live_server.url, locale="ru-RU")
    moderator = staff.new_page()
    moderator.goto("/accounts/login/")
    moderator.get_by_label("Имя пользователя").fill("ed")
    moderator.get_by_label("Пароль").fill(password)
    moderator.get_by_role("button", name="Войти").click()
    moderator.goto("/news/staff/comments/")
    assert "Спасибо, приду завтра!" in moderator.locator(".moderation").inner_text()
    moderator.get_by_role("button", name="Опубликовать").click()
    moderator.wait_for_load_state()
    assert "Все комментарии проверены." in moderator.locator(".moderation").inner_text()
    staff.close()

    page.reload()
    comments = page.locator(".comments").inner_text()
    assert "Спасибо, приду завтра!" in comments and "Анна" in comments
    assert "anna@example.org" not in page.content()
