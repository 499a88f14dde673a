"""The home page: the network, what is on soon, what is new, which libraries are open today."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from polka.catalog.models import Record
from polka.events.models import Event
from polka.org.models import Branch
from polka.web.selectors import HOME_EVENTS

# Session/user lookups are not made for an anonymous visitor: network, news, reading lists,
# events, the newest records (one), branches with their weekly hours (two) and
# calendar exceptions.
HOME_QUERIES = 8


@pytest.fixture
def demo(db: None) -> None:
    call_command("demo", "--records", "30", stdout=StringIO())


def test_home_page_names_the_network_and_lists_the_next_upcoming_events(client, demo):
    html = client.get("/").content.decode()
    assert "Централизованная библиотечная система г. Светлоярска" in html
    # The demo's past events (held, with attendance) are not on the home page: only those ahead.
    upcoming = Event.objects.filter(is_published=True, ends_at__gt=timezone.now())
    for event in upcoming.order_by("starts_at", "pk")[:HOME_EVENTS]:
        assert reverse("events:detail", args=[event.pk]) in html
    assert html.count('href="/events/') >= HOME_EVENTS


def test_home_page_links_every_public_section(client, demo):
    html = client.get("/").content.decode()
    for name in ("catalog:browse", "search:search", "events:list", "web:branches"):
        assert f'href="{reverse(name)}"' in html


def test_home_page_shows_new_arrivals_linked_to_their_record_pages(client, demo):
    html = client.get("/").content.decode()
    latest = Record.objects.order_by("-created_at", "-pk").first()
    assert latest is not None
    assert reverse("catalog:record", args=[latest.pk]) in html


def test_home_page_shows_every_branch_with_todays_state(client, demo):
    html = client.get("/").content.decode()
    for branch in Branch.objects.all():
        assert branch.name in html
        assert f'href="{reverse("web:branch", args=[branch.code])}"' in html
    assert html.count("Сегодня открыта") + html.count("Сегодня закрыта") == Branch.objects.count()


def test_home_page_takes_a_fixed_number_of_queries(client, demo, django_assert_num_queries):
    with django_assert_num_queries(HOME_QUERIES):
        client.get("/")


def test_home_page_of_an_empty_installation_says_how_to_load_the_demo(client, db):
    html = client.get("/").content.decode()
    assert "polka demo" in html
