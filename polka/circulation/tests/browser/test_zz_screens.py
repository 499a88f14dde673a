import pytest
from django.utils import timezone

from polka.circulation import services
from polka.circulation.tests.browser.test_desk_session import open_every_day  # noqa: F401
from polka.circulation.tests.conftest import desk_user, make_item, make_reader, make_record

pytestmark = pytest.mark.browser


def test_screens(page, live_server, branch_a, branch_b):
    desk = desk_user("desk", branch_a)
    reader = make_reader(branch_a)
    for n in range(3):
        item = make_item(make_record(f"Очень длинное заглавие книги номер {n} для проверки переносов"), branch_a)
        services.loan_checkout(barcode=item.barcode, reader=reader, branch=branch_a, by=desk, at=timezone.now())
    page.context.add_cookies([])
    from django.test import Client
    c = Client()
    c.force_login(desk)
    page.context.add_cookies([{"name": "sessionid", "value": c.cookies["sessionid"].value, "url": live_server.url}])
    for width in (360, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(f"/circulation/desk/?card={reader.card_number}")
        page.keyboard.type("nope")
        page.keyboard.press("Enter")
        page.wait_for_selector("#results li")
        page.screenshot(path=f"/tmp/desk-{width}.png", full_page=True)
