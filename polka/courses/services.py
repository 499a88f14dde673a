"""Changes to courses: planning (staff with events.manage), applications, decisions,
attendance, certificates (a PDF made with WeasyPrint, checkable by number on the site)."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from django.db import transaction
from django.db.models import Max, Min
from django.template.loader import render_to_string
from django.utils import timezone

from polka.consents.services import consent_to_sign_up
from polka.consents.texts import COURSE_APPLICATION
from polka.core.sanitize import clean_html, clean_text
from polka.core.states import transition
from polka.courses.errors import (
    AlreadyApplied,
    ApplicationsClosed,
    CourseNotFinished,
    NotCompleted,
    SessionInvalid,
    SessionNotHeld,
)
from polka.courses.models import (
    Application,
    ApplicationState,
    Certificate,
    Course,
    CourseMaterial,
    CourseSession,
    SessionAttendance,
)
from polka.courses.states import APPLICATION
from polka.notices.services import notice_send
from polka.org.models import Branch
from polka.org.policies import AnyUser, staff_require
from polka.org.selectors import branch_is_open


def _require(by: AnyUser, branch: Branch | None = None) -> None:
    staff_require(user=by, action="events.manage", branch=branch)


@transaction.atomic
def course_save(*, course: Course | None, by: AnyUser, **fields: Any) -> Course:
    _require(by)
    course = course or Course()
    for name, value in fields.items():
        if name == "description":
            value = clean_html(value)
        elif isinstance(value, str) and name != "slug":
            value = clean_text(value, multiline=False)
        setattr(course, name, value)
    course.save()
    return course


@transaction.atomic
def session_add(
    *,
    course: Course,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    by: AnyUser,
    speaker: str = "",
    branch: Branch | None = None,
    place: str = "",
) -> CourseSession:
    """A session of the course; refused if it ends before it starts or the branch is closed."""
    _require(by, branch)
    if ends_at <= starts_at:
        raise SessionInvalid()
    if branch is not None and not branch_is_open(branch=branch, on=timezone.localdate(starts_at)):
        raise SessionInvalid()
    return CourseSession.objects.create(
        course=course,
        title=clean_text(title, max_length=300, multiline=False),
        speaker=clean_text(speaker, max_length=300, multiline=False),
        branch=branch,
        place=clean_text(place, max_length=200, multiline=False),
        starts_at=starts_at,
        ends_at=ends_at,
    )


@transaction.atomic
def material_add(*, course: Course, title: str, file: Any, by: AnyUser) -> CourseMaterial:
    _require(by)
    return CourseMaterial.objects.create(
        course=course, title=clean_text(title, max_length=300, multiline=False), file=file
    )


def _notify(application: Application, template: str, at: dt.datetime) -> None:
    notice_send(
        kind=f"courses.{template}",
        to=application.email,
        template=f"courses/notices/{template}",
        context={"application": application, "course": application.course},
        at=at,
    )


@transaction.atomic
def application_submit(
    *,
    course: Course,
    name: str,
    position: str,
    organisation: str,
    city: str,
    email: str,
    at: dt.datetime,
    phone: str = "",
    motivation: str = "",
    ip_address: str | None = None,
) -> Application:
    course = Course.objects.select_for_update().get(pk=course.pk)
    if not course.applications_open or not course.is_published:
        raise ApplicationsClosed()
    active = course.applications.exclude(state=ApplicationState.WITHDRAWN)
    if active.filter(email__iexact=email).exists():
        raise AlreadyApplied()
    signer = consent_to_sign_up(
        purpose=COURSE_APPLICATION,
        about=course,
        name=name,
        email=email,
        at=at,
        ip_address=ip_address,
        name_length=300,
    )
    application = Application.objects.create(
        course=course,
        name=signer.name,
        position=clean_text(position, max_length=200, multiline=False),
        organisation=clean_text(organisation, max_length=300, multiline=False),
        city=clean_text(city, max_length=200, multiline=False),
        email=email,
        phone=clean_text(phone, max_length=50, multiline=False),
        motivation=clean_text(motivation, max_length=3000),
        consent=signer.consent,
        state=ApplicationState.APPLIED,
        created_at=at,
    )
    _notify(application, "received", at)
    return application


@transaction.atomic
def application_decide(
    *, application: Application, accept: bool, by: AnyUser, at: dt.datetime
) -> Application:
    _require(by)
    application = transition(
        APPLICATION,
        application,
        "accept" if accept else "decline",
        by=by,
        at=at,
        update_fields=["decided_at"],
        before_save=lambda locked: setattr(locked, "decided_at", at),
    )
    _notify(application, "accepted" if accept else "declined", at)
    return application


@transaction.atomic
def attendance_mark(
    *, session: CourseSession, came: list[int], by: AnyUser, at: dt.datetime | None = None
) -> int:
    """Who of the accepted participants came to the session (application ids); only for a
    session that has begun, so no certificate can be earned ahead of the course."""
    _require(by, session.branch)
    if session.starts_at > (at or timezone.now()):
        raise SessionNotHeld()
    accepted = session.course.applications.filter(state=ApplicationState.ACCEPTED)
    chosen = set(accepted.filter(pk__in=came).values_list("pk", flat=True))
    SessionAttendance.objects.filter(session=session).exclude(application_id__in=chosen).delete()
    for application_id in chosen:
        SessionAttendance.objects.get_or_create(session=session, application_id=application_id)
    return len(chosen)


def attendance_share(application: Application) -> float:
    total = application.course.sessions.count()
    return application.attended.count() / total if total else 0.0


def has_completed(application: Application) -> bool:
    return (
        application.state == ApplicationState.ACCEPTED
        and attendance_share(application) * 100 >= application.course.min_attendance
    )


def course_dates(course: Course) -> tuple[dt.datetime | None, dt.datetime | None]:
    """When the course's first session starts and its last one ends."""
    span = course.sessions.aggregate(first=Min("starts_at"), last=Max("ends_at"))
    return span["first"], span["last"]


def certificate_facts(certificate: Certificate) -> dict[str, Any]:
    """What the certificate and its verification page state: who, what, when, where, signer."""
    course = certificate.application.course
    sessions = list(course.sessions.select_related("branch").order_by("starts_at"))
    issuer = next((s.branch for s in sessions if s.branch is not None), None)
    first, last = course_dates(course)
    return {
        "certificate": certificate,
        "application": certificate.application,
        "course": course,
        "issuer": issuer,
        "network": issuer.network if issuer is not None else None,
        "starts_on": timezone.localdate(first) if first else None,
        "ends_on": timezone.localdate(last) if last else None,
        "themes": [s.title for s in sessions],
    }


def _number(course: Course) -> str:
    # Course, year and a random part: a number cannot be guessed from another one.
    return f"{course.pk:03d}-{timezone.now():%Y}-{secrets.token_hex(4).upper()}"


@transaction.atomic
def certificate_issue(*, application: Application, by: AnyUser, at: dt.datetime) -> Certificate:
    _require(by)
    application = Application.objects.select_for_update().get(pk=application.pk)
    course_ends = course_dates(application.course)[1]
    if course_ends is None or course_ends > at:
        raise CourseNotFinished()
    if not has_completed(application):
        raise NotCompleted()
    certificate, created = Certificate.objects.get_or_create(
        application=application,
        defaults={"number": _number(application.course), "issued_at": at},
    )
    if not created and certificate.revoked_at is not None:
        certificate.revoked_at = None
        certificate.save(update_fields=["revoked_at"])
    return certificate


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: AnyUser, at: dt.datetime) -> Certificate:
    _require(by)
    certificate.revoked_at = at
    certificate.save(update_fields=["revoked_at"])
    return certificate


def certificate_pdf(*, certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as a PDF (WeasyPrint, imported here: the web process starts without
    Pango; only making a PDF needs it)."""
    from weasyprint import HTML

    html = render_to_string(
        "courses/certificate.html", {**certificate_facts(certificate), "verify_url": verify_url}
    )
    return bytes(HTML(string=html).write_pdf())
