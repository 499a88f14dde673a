"""The authorisation sweep (issue 15): every staff page of the project, found from the URL
configuration, is declared here, and every page that acts on one branch's objects is tried by
every role scoped to another branch: the answer is 403/404/405 and the database is unchanged,
and staff lists do not show the other branch's rows.

A new staff URL that is not declared fails `test_every_staff_url_is_declared`; a new view
that forgets scoping fails the sweep once its case is added. STAFF_NOT_YET_SWEPT lists the
staff pages whose cases are still to be written (issue 15 follow-up): shrink it, never grow it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from polka.org.models import Branch, Role
from polka.org.services import staff_user_create

pytestmark = pytest.mark.django_db

# Pages under a "staff/" path segment are staff pages; the admin checks org.configure itself
# (polka/org/admin.py and its tests).
NOT_SWEPT_PREFIXES = ("admin/",)

# Staff pages that act on no single branch's object (the entry pages, forms for a new object,
# network-level catalogue editing: records belong to the whole network).
STAFF_WITHOUT_BRANCH_OBJECT = {
    "web:staff-home",
    "web:staff-role",
    "web:staff-two-factor",
    "web:staff-status",
    "catalog-staff:index",
    "events:staff-new",
    "events:staff-series",
    "events:staff-export",
    "events:staff-print",
    "catalog-staff:new",
    "catalog-staff:edit",
    "catalog-staff:marc",
    "catalog-staff:history",
    "catalog-staff:revert",
    "catalog-staff:items",  # every copy of a record is shown, as in the public catalogue
    "catalog-staff:item-add",  # the branch is chosen in the form, among the user's branches
    "news:staff-new",
    "promotion:staff-channel-new",  # the branch is chosen in the form, among the user's branches
    # Partners belong to the network, like projects: any events manager edits them.
    "promotion:staff-partners",
    "promotion:staff-partner-new",
    "promotion:staff-partner",
    "programmes:staff",
    "programmes:staff-project-new",
    "programmes:staff-exhibition-new",
    "programmes:staff-programme-new",
    "courses:staff",
    "courses:staff-new",
    "recommendations:staff",
    "recommendations:staff-new",
    "litcal:staff",
    # Projects and programmes belong to the network (no branch): any events manager edits
    # them. NB programme participants (readers' names) are visible to every events manager.
    "programmes:staff-project",
    "programmes:staff-materials",
    "programmes:staff-programme",
    "programmes:staff-participants",
    # Courses and reading lists are the network's too (a course's sessions may be held in
    # several branches). NB course applicants (readers' names) are visible to every events
    # manager, like programme participants.
    "courses:staff-course",
    "courses:staff-edit",
    "courses:staff-decide",
    "courses:staff-attendance",
    "courses:staff-certificate",
    "recommendations:staff-edit",
    "recommendations:staff-books",
    "recommendations:staff-remove",
    "reference:stats",  # the network's figures, no question or person in them
    "reports:index",  # links to the user's own branches' reports
    "reports:dashboard",  # the user's own branches only
    "reference:catalog-search",
    "protocols:staff-copy",  # remote records come into the network's catalogue
}

# Staff pages on one branch's objects whose sweep cases are not written yet (none now).
STAFF_NOT_YET_SWEPT: set[str] = set()

# Rows a refused request may still write: the session, throttling and audit bookkeeping.
BOOKKEEPING_TABLES = {"django_session", "org_auditentry", "search_index_state"}

AT = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def url_names() -> Iterator[tuple[str, str]]:
    """(path pattern, namespaced name) of every URL pattern of the project."""

    def walk(patterns: list[Any], prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                joined = f"{namespace}:{inner}" if namespace and inner else namespace or inner
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), joined)
            elif isinstance(pattern, URLPattern) and pattern.name:
                name = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield prefix + str(pattern.pattern), name

    yield from walk(get_resolver().url_patterns, "", "")


def staff_url_names() -> set[str]:
    """Every URL with a "staff" path segment (the admin aside)."""
    return {
        name
        for path, name in url_names()
        if not path.startswith(NOT_SWEPT_PREFIXES) and "staff" in path.split("/")
    }


# --- the cases -----------------------------------------------------------------------------


@dataclass
class Case:
    """A URL on an object of `branch_b`, with what to post, and what a list must not show."""

    name: str
    kwargs: dict[str, Any] = field(default_factory=dict)
    post: dict[str, Any] | None = None
    get: bool = True
    hidden: str | None = None  # text of branch_b's object that must not appear (lists)


CaseBuilder = Callable[[Branch, Branch], list[Case]]
BUILDERS: list[CaseBuilder] = []


def builder(fn: CaseBuilder) -> CaseBuilder:
    BUILDERS.append(fn)
    return fn


@builder
def elibrary_cases(branch_a: Branch, branch_b: Branch) -> list[Case]:
    from polka.elibrary.models import Platform
    from polka.elibrary.services import access_request
    from polka.readers.services import CONSENT_PERSONAL_DATA, reader_register

    reader = reader_register(
        last_name="Чужакова", first_name="Анна", home_branch=branch_b,
        email="b77@example.org", consents=[CONSENT_PERSONAL_DATA],
        at=AT,
    )  # fmt: skip
    platform = Platform.objects.create(slug="p", name="П", site_url="https://p.example/")
    access = access_request(platform=platform, reader=reader, at=AT)
    return [
        Case("elibrary:staff", hidden="Чужакова"),
        *(
            Case("elibrary:staff-access", {"pk": access.pk}, {"action": a, "login": "x"}, get=False)
            for a in ("issue", "refuse", "revoke")
        ),
    ]


@builder
def reader_token_cases(branch_a: Branch, branch_b: Branch) -> list[Case]:
    from polka.readers.services import CONSENT_PERSONAL_DATA, reader_register

    reader = reader_register(
        last_name="Чужеключева", first_name="Ольга", home_branch=branch_b,
        email="b78@example.org", consents=[CONSENT_PERSONAL_DATA], at=AT,
    )  # fmt: skip
    return [Case("api-staff:reader-tokens", {"reader_id": reader.pk}, {"name": "киоск"})]


@builder
def catalog_item_cases(branch_a: Branch, branch_b: Branch) -> list[Case]:
    from polka.catalog.services import item_add, record_create
    from polka.catalog.tests.standins import marc

    record = record_create(marc=marc("Чужая книга"), flavour="marc21", at=AT)
    item = item_add(record=record, branch=branch_b, barcode="B-0001", by=None, at=AT)
    ids = {"record_id": record.pk, "item_id": item.pk}
    return [
        Case("catalog-staff:item-move", ids, {"branch": branch_a.pk}, get=False),
        Case("catalog-staff:item-withdraw", ids, {"reason": "lost"}, get=False),
    ]


@builder
def event_cases(branch_a: Branch, branch_b: Branch) -> list[Case]:
    from polka.events.services import event_create

    starts = AT + dt.timedelta(days=10)
    event = event_create(
        title="Чужой вечер", branch=branch_b, starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2), audience="adults", age_mark="12+", at=AT,
    )  # fmt: skip
    form = {"title": "Захвачено", "branch": branch_a.pk}
    return [
        Case("events:staff-list", hidden="Чужой вечер"),
        Case("events:staff-edit", {"event_id": event.pk}, form),
        Case("events:staff-copy", {"event_id": event.pk}, form),
        Case("events:staff-attendance", {"event_id": event.pk}, {"attended": "5"}),
    ]


@builder
def news_cases(branch_a: Branch, branch_b: Branch) -> list[Case]:
    from polka.news.services import comment_post, news_save

    editor, _ = staff_user_create(username="editor-b", roles={Role.METHODIST: [branch_b]}, at=AT)
    item = news_save(
        item=None, by=editor, at=AT, title="Чужая новость", lead="Вводка", branch=branch_b,
        published_at=AT,
    )  # fmt: skip
    comment_post(
        item=item, body="Чужой комментарий", at=AT, name="Гость", email="g@example.org",
        publish_name=True,
    )  # fmt: skip
    comment = item.comments.get()
    form = {"title": "Захвачено", "lead": "x", "age_mark": "0+", "branch": branch_a.pk}
    return [
        Case("news:staff-list", hidden="Чужая новость"),
        Case("news:staff-edit", {"pk": item.pk}, form),
        Case("news:staff-photo", {"pk": item.pk}, {"alt": "x"}, get=False),
        Case("news:staff-preview", {"pk": item.pk}),
        Case("news:staff-comments", hidden="Чужой комментарий"),
        Case("news:staff-moderate", {"comment_id": comment.pk}, {"action": "approve"}, get=False),
    ]


@builder
def reference_cases(branch_a: Branch, branch_b: Branch) -> list[Case]:
    from polka.reference.services import question_ask

    question = question_ask(
        text="Чужой вопрос о краеведении", question_type="factual", purpose="study",
        depth="few", email="asker@example.org", at=AT, name="Спрашивающая", branch=branch_b,
    )  # fmt: skip
    ids = {"question_id": question.pk}
    return [
        Case("reference:inbox", hidden="Чужой вопрос"),
        Case("reference:staff-question", ids),
        *(
            Case("reference:staff-action", {**ids, "action": a}, {"text": "x"}, get=False)
            for a in ("take", "note", "answer", "decline", "publish")
        ),
    ]


@builder
def exhibition_cases(branch_a: Branch, branch_b: Branch) -> list[Case]:
    from polka.catalog.services import record_create
    from polka.catalog.tests.standins import marc
    from polka.programmes.services import exhibition_item_add, exhibition_save

    curator, _ = staff_user_create(username="curator-b", roles={Role.METHODIST: [branch_b]}, at=AT)
    exhibition = exhibition_save(
        exhibition=None, by=curator, slug="chuzhaya", title="Чужая выставка", branch=branch_b,
        starts_on=AT.date(), ends_on=AT.date() + dt.timedelta(days=30),
    )  # fmt: skip
    record = record_create(marc=marc("Книга на выставке"), flavour="marc21", at=AT)
    item = exhibition_item_add(exhibition=exhibition, record=record, annotation="", by=curator)
    form = {
        "slug": "chuzhaya", "title": "Захвачено", "branch": branch_a.pk,
        "starts_on": "2026-03-02", "ends_on": "2026-04-01",
    }  # fmt: skip
    ids = {"pk": exhibition.pk}
    return [
        Case("programmes:staff-exhibition", ids, form),
        Case("programmes:staff-exhibition-books", ids, {"record": record.pk}),
        Case("programmes:staff-exhibition-book-remove", {**ids, "item_id": item.pk}, {}, get=False),
    ]


@builder
def promotion_cases(branch_a: Branch, branch_b: Branch) -> list[Case]:
    from polka.events.services import event_create
    from polka.news.services import news_save
    from polka.promotion.models import Action, Post, PostState, Promoted
    from polka.promotion.services import channel_save

    smm, _ = staff_user_create(username="smm-b", roles={Role.MANAGER: [branch_b]}, at=AT)
    channel = channel_save(
        channel=None, by=smm, at=AT, service="vk", branch=branch_b, name="Чужое сообщество",
        target="777", token="secret-b",
    )  # fmt: skip
    item = news_save(
        item=None, by=smm, at=AT, title="Новость филиала", lead="x", branch=branch_b,
        published_at=AT,
    )  # fmt: skip
    starts = AT + dt.timedelta(days=10)
    event = event_create(
        title="Вечер филиала", branch=branch_b, starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2), audience="adults", age_mark="12+", at=AT,
    )  # fmt: skip
    promoted = Promoted.objects.create(
        subject="news", object_id=item.pk, first_seen_at=AT, watch_until=starts
    )
    post = Post.objects.create(
        channel=channel, promoted=promoted, action=Action.PUBLISH, key="sweep",
        state=PostState.FAILED, created_at=AT, send_after=AT,
    )  # fmt: skip
    form = {"service": "vk", "name": "Захвачено", "target": "1", "branch": branch_a.pk}
    return [
        Case("promotion:staff", hidden="Чужое сообщество"),
        Case("promotion:staff-channel", {"pk": channel.pk}, form),
        Case(
            "promotion:staff-item", {"subject": "news", "object_id": item.pk}, {"skip": channel.pk}
        ),
        Case(
            "promotion:staff-item",
            {"subject": "event", "object_id": event.pk},
            {"skip": channel.pk},
        ),
        Case("promotion:staff-retry", {"pk": post.pk}, {}, get=False),
    ]


@builder
def statistics_cases(branch_a: Branch, branch_b: Branch) -> list[Case]:
    year = {"year": 2026}
    other = {**year, "code": branch_b.code}
    entry = {"on": "2026-03-02", "indicator": "visits", "count": "5"}
    return [
        Case("reports:form-network", year, {"101": "100"}),
        Case("reports:cell-network", {**year, "cell": "403.3"}),
        Case("reports:form", other, {"101": "100"}),
        Case("reports:cell", {**other, "cell": "403.3"}),
        Case("reports:diary", {"code": branch_b.code, "year": 2026, "month": 3}, entry),
        Case("reports:register", other),
    ]


SWEPT = {
    "api-staff:reader-tokens",
    "promotion:staff",
    "promotion:staff-channel",
    "promotion:staff-item",
    "promotion:staff-retry",
    "reports:form-network",
    "reports:cell-network",
    "reports:form",
    "reports:cell",
    "reports:diary",
    "reports:register",
    "programmes:staff-exhibition",
    "programmes:staff-exhibition-books",
    "programmes:staff-exhibition-book-remove",
    "reference:inbox",
    "reference:staff-question",
    "reference:staff-action",
    "news:staff-list",
    "news:staff-edit",
    "news:staff-photo",
    "news:staff-preview",
    "news:staff-comments",
    "news:staff-moderate",
    "elibrary:staff",
    "elibrary:staff-access",
    "catalog-staff:item-move",
    "catalog-staff:item-withdraw",
    "events:staff-list",
    "events:staff-edit",
    "events:staff-copy",
    "events:staff-attendance",
}


def test_every_staff_url_is_declared():
    declared = SWEPT | STAFF_WITHOUT_BRANCH_OBJECT | STAFF_NOT_YET_SWEPT
    staff = staff_url_names()
    assert staff - declared == set(), "a new staff page: add a sweep case (or declare it)"
    assert declared - staff == set(), "a declared page no longer exists: remove it here"
    assert not SWEPT & STAFF_NOT_YET_SWEPT


# --- the sweep -----------------------------------------------------------------------------


def database_state() -> dict[str, list[tuple[Any, ...]]]:
    state = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in BOOKKEEPING_TABLES or table.startswith("axes_"):
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            state[table] = sorted(cursor.fetchall(), key=repr)
    return state


@pytest.fixture
def cases(branch_a, branch_b) -> list[Case]:
    return [case for build in BUILDERS for case in build(branch_a, branch_b)]


REFUSED = {403, 404, 405}


@pytest.mark.parametrize("role", Role.values)
def test_a_role_of_one_branch_can_do_nothing_to_another_branchs_objects(
    client, branch_a, branch_b, cases, role
):
    assert {c.name for c in cases} == SWEPT
    user, _ = staff_user_create(username=f"sweep-{role}", roles={role: [branch_a]}, at=AT)
    client.force_login(user)
    before = database_state()
    problems = []
    for case in cases:
        url = reverse(case.name, kwargs=case.kwargs)
        if case.get:
            page = client.get(url)
            shown = case.hidden is not None and case.hidden in page.content.decode()
            if shown or (case.hidden is None and page.status_code not in REFUSED):
                problems.append(f"GET {case.name}: {page.status_code}, other branch shown")
        if case.post is not None:
            answer = client.post(url, case.post)
            if answer.status_code not in REFUSED:
                problems.append(f"POST {case.name}: {answer.status_code}")
    assert problems == []
    assert database_state() == before
