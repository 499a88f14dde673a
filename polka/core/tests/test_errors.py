"""One domain error reads the same on a page, in the API and in the CLI."""

from __future__ import annotations

import pytest
from django.http import HttpRequest
from django.test import RequestFactory

from polka.api.api import domain_error
from polka.cli.main import main
from polka.core.errors import EXIT_DATAERR, EXIT_NOPERM, PolkaError, api_error, exit_code
from polka.org.errors import NotPermitted
from polka.web.middleware import DomainErrorMiddleware


class BookLost(PolkaError):
    message = "Книга потеряна."


def _request() -> HttpRequest:
    request = RequestFactory().get("/")
    request.user = None  # type: ignore[assignment]
    return request


@pytest.mark.django_db
def test_a_domain_error_gives_the_same_message_and_status_on_a_page_and_in_the_api() -> None:
    page = DomainErrorMiddleware(lambda r: None).process_exception(_request(), BookLost())  # type: ignore[arg-type,return-value]
    api = domain_error(_request(), BookLost())
    assert page is not None
    assert (page.status_code, api.status_code) == (400, 400)
    assert "Книга потеряна." in page.content.decode()
    assert api_error(BookLost()) == (400, {"detail": "Книга потеряна.", "code": "BookLost"})


def test_a_refusal_is_403_in_the_api_and_exit_code_77_in_the_cli() -> None:
    refused = NotPermitted(action="catalog.edit")
    assert api_error(refused)[0] == 403
    assert (exit_code(refused), exit_code(BookLost())) == (EXIT_NOPERM, EXIT_DATAERR)


def test_the_cli_prints_the_message_and_exits_with_the_errors_code(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def fails(argv: list[str]) -> None:
        raise BookLost()

    monkeypatch.setattr("django.core.management.execute_from_command_line", fails)
    with pytest.raises(SystemExit) as exited:
        main(["polka", "anything"])
    assert exited.value.code == EXIT_DATAERR
    assert "polka: Книга потеряна." in capsys.readouterr().err
