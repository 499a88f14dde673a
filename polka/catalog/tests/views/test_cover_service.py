"""The optional cover service by ISBN: off by default and then never asked; when on, asked once
per ISBN through `polka covers`, and the cached cover is what pages show and serve."""

from io import StringIO
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.urls import reverse

from polka.catalog import cover_service
from polka.catalog.tests.gost.factories import make_record

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SERVICE = "https://covers.example/isbn/{isbn}.jpg"


@pytest.fixture
def fetch() -> mock.Mock:
    """The network call, replaced: a test fails if the real service would be asked."""
    with mock.patch.object(cover_service, "http_get", return_value=PNG) as stand_in:
        yield stand_in


def _record_page(client, record) -> str:
    return str(client.get(reverse("catalog:record", args=[record.pk])).content.decode())


def test_the_service_is_off_by_default_and_never_asked(client, fetch, tmp_path: Path):
    record = make_record(title="Без обложки", isbns=["978-5-389-58932-2"])
    with override_settings(POLKA_COVER_CACHE_DIR=str(tmp_path)):
        assert cover_service.covers_fetch(records=[record]) == (1, 0)
        html = _record_page(client, record)
        with pytest.raises(CommandError):
            call_command("covers", stdout=StringIO())
    fetch.assert_not_called()
    assert '<span class="cover cover-large"><svg' in html and "/catalog/covers/" not in html
    assert client.get(reverse("catalog:cover", args=["9785389589322"])).status_code == 404
    assert not list(tmp_path.iterdir())


def test_when_on_a_cover_is_fetched_once_cached_and_served_from_the_cache(
    client, fetch, tmp_path: Path
):
    record = make_record(title="С обложкой", isbns=["978-5-389-58932-2"])
    make_record(title="Без ISBN")
    with override_settings(POLKA_COVER_SERVICE_URL=SERVICE, POLKA_COVER_CACHE_DIR=str(tmp_path)):
        assert "/catalog/covers/" not in _record_page(client, record)  # not fetched yet
        out = StringIO()
        call_command("covers", stdout=out, verbosity=0)
        assert "covers cached: 1" in out.getvalue()
        call_command("covers", stdout=StringIO(), verbosity=0)  # cached: not asked again
        html = _record_page(client, record)
        served = client.get(reverse("catalog:cover", args=["9785389589322"]))
    fetch.assert_called_once_with("https://covers.example/isbn/9785389589322.jpg")
    assert '<span class="cover cover-large"><img src="/catalog/covers/9785389589322/"' in html
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert served.content == PNG


def test_an_answer_that_is_not_an_image_is_remembered_as_no_cover(client, fetch, tmp_path):
    fetch.return_value = b"<html>not found</html>"
    record = make_record(title="Нет у сервиса", isbns=["5-7793-0076-X"])
    with override_settings(POLKA_COVER_SERVICE_URL=SERVICE, POLKA_COVER_CACHE_DIR=str(tmp_path)):
        assert cover_service.covers_fetch(records=[record, record]) == (2, 0)
        html = _record_page(client, record)
        assert client.get(reverse("catalog:cover", args=["577930076X"])).status_code == 404
    fetch.assert_called_once()
    assert '<span class="cover cover-large"><svg' in html


def test_a_network_failure_caches_nothing_so_the_next_run_asks_again(fetch, tmp_path):
    fetch.side_effect = OSError("timed out")
    record = make_record(title="Сеть упала", isbns=["9785389589322"])
    with override_settings(POLKA_COVER_SERVICE_URL=SERVICE, POLKA_COVER_CACHE_DIR=str(tmp_path)):
        assert cover_service.covers_fetch(records=[record]) == (1, 0)
        fetch.side_effect = None
        assert cover_service.covers_fetch(records=[record]) == (1, 1)
    assert fetch.call_count == 2
