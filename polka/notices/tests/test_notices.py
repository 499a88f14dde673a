"""Notices are queued with the change, sent after commit, retried, and sent once."""

from __future__ import annotations

import datetime as dt
import io
from types import SimpleNamespace

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from polka.notices import services
from polka.notices.models import Notice

pytestmark = pytest.mark.django_db(transaction=True)


def _queue(**kwargs):
    defaults = {"kind": "test", "to": "reader@example.org", "subject": "Тема", "body": "Текст"}
    defaults.update(kwargs)
    return services.notice_queue(at=timezone.now(), **defaults)


def test_a_due_notice_is_sent_right_after_the_transaction_commits():
    with transaction.atomic():
        _queue()
        assert mail.outbox == []
    assert [m.to for m in mail.outbox] == [["reader@example.org"]]
    assert Notice.objects.get().sent_at is not None


def test_a_notice_queued_in_a_rolled_back_transaction_is_neither_kept_nor_sent():
    with pytest.raises(RuntimeError), transaction.atomic():
        _queue()
        raise RuntimeError
    assert Notice.objects.count() == 0
    assert mail.outbox == []


def test_a_dedupe_key_queues_a_notice_only_once():
    assert _queue(dedupe_key="reminder:1") is not None
    assert _queue(dedupe_key="reminder:1") is None
    assert Notice.objects.count() == 1


def test_a_later_notice_waits_for_polka_notices(capsys):
    now = timezone.now()
    _queue(send_after=now + dt.timedelta(hours=1))
    assert mail.outbox == []
    report = services.notices_run(now=now + dt.timedelta(hours=2))
    assert (report.sent, report.failed) == (1, 0)
    assert len(mail.outbox) == 1
    call_command("notices")
    assert len(mail.outbox) == 1  # sent once
    assert "sent 0" in capsys.readouterr().out


def test_a_failed_send_is_kept_with_its_error_and_retried(monkeypatch):
    def broken(self, fail_silently=False):
        raise OSError("smtp down")

    monkeypatch.setattr("django.core.mail.EmailMessage.send", broken)
    _queue()
    notice = Notice.objects.get()
    assert notice.sent_at is None
    assert "smtp down" in notice.last_error
    monkeypatch.undo()
    services.notices_run(now=timezone.now())
    notice.refresh_from_db()
    assert notice.sent_at is not None and notice.attempts == 2


def test_producers_run_before_the_queue_is_sent(monkeypatch):
    monkeypatch.setattr(services, "_PRODUCERS", {})

    def produce(now):
        _queue(dedupe_key=f"produced:{now:%Y%m%d}")
        return 1

    services.register_producer("test", produce)
    report = services.notices_run(now=timezone.now())
    assert report.queued == 1
    assert len(mail.outbox) == 1


def test_notices_are_rendered_in_the_recipients_language(settings, tmp_path):
    (tmp_path / "t_subject.txt").write_text("{% load i18n %}{% translate 'Главная' %}")
    (tmp_path / "t_body.txt").write_text("{{ name }}")
    settings.TEMPLATES = [
        {"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [tmp_path]},
        {**settings.TEMPLATES[1], "DIRS": [tmp_path]},
    ]
    assert services.notice_render(template="t", context={"name": "Ира"}, language="en") == (
        "Home",
        "Ира\n",
    )


def test_plain_text_notices_show_titles_as_typed_not_html_escaped():
    event = SimpleNamespace(
        title='«Война & мир» — "чтения" <18+>',
        starts_at=dt.datetime(2027, 3, 5, 18, 30, tzinfo=dt.UTC),
        branch=SimpleNamespace(name="Библиотека им. Чехова & Ко"),
    )
    subject, body = services.notice_render(
        template="events/notices/promoted",
        context={"event": event, "cancel_link": "https://example.org/x?a=1&b=2"},
    )
    assert subject == 'Место освободилось: «Война & мир» — "чтения" <18+>'
    assert '«Война & мир» — "чтения" <18+>' in body
    assert "Чехова & Ко" in body and "?a=1&b=2" in body
    assert "&amp;" not in subject + body and "&quot;" not in body


def test_mail_to_a_reserved_domain_is_never_handed_to_the_mail_server():
    _queue(to="reader@mail.example")
    notice = Notice.objects.get()
    assert mail.outbox == [] and notice.sent_at is not None
    assert "reserved" in notice.last_error


def test_where_development_allows_it_mail_to_a_reserved_domain_reaches_the_backend(settings):
    settings.POLKA_MAIL_TO_RESERVED_DOMAINS = True
    _queue(to="reader@mail.example")
    assert [m.to for m in mail.outbox] == [["reader@mail.example"]]
    assert Notice.objects.get().last_error == ""


def test_development_writes_every_email_to_a_file_a_developer_can_read():
    from config.settings import dev

    assert dev.EMAIL_BACKEND == "django.core.mail.backends.filebased.EmailBackend"
    assert dev.POLKA_MAIL_TO_RESERVED_DOMAINS is True
    assert dev.EMAIL_FILE_PATH.endswith("mail")


def test_a_deploy_check_warns_when_the_site_address_for_emails_is_not_set(settings):
    from polka.notices.checks import site_address_check

    settings.POLKA_SITE_URL = ""
    assert [m.id for m in site_address_check()] == ["polka.notices.W001"]
    settings.POLKA_SITE_URL = "https://lib.example.ru"
    assert site_address_check() == []


def test_each_notices_run_logs_one_line_a_collector_can_read(caplog):
    import json
    import logging

    from config.logs import JsonFormatter

    with caplog.at_level(logging.INFO, logger="polka.jobs"):
        call_command("notices", stdout=io.StringIO())
    [record] = [r for r in caplog.records if r.name == "polka.jobs"]
    line = json.loads(JsonFormatter().format(record))
    assert line["job"] == "notices" and line["level"] == "info"
    assert {"queued", "sent", "failed", "seconds"} <= set(line)
