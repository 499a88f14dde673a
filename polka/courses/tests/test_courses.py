"""A course: applications under consent, decisions, attendance, and certificates anyone can
check — issued only to those who came to enough sessions, as a PDF."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core import mail
from django.urls import reverse
from pypdf import PdfReader

from polka.consents.models import ConsentRecord
from polka.courses import services
from polka.courses.errors import (
    AlreadyApplied,
    CourseNotFinished,
    NotCompleted,
    SessionInvalid,
    SessionNotHeld,
)
from polka.courses.models import Course
from polka.org.models import Role
from polka.org.services import staff_user_create

pytestmark = pytest.mark.django_db
AT = dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
AFTER = dt.datetime(2026, 3, 6, 9, 0, tzinfo=dt.UTC)  # the day after the last session


@pytest.fixture
def organiser(branch_a):
    user, _ = staff_user_create(username="org", roles={Role.METHODIST: "all"}, at=AT)
    return user


@pytest.fixture
def course(organiser, branch_a):
    course = services.course_save(
        course=None,
        by=organiser,
        slug="reading-aloud",
        title="Громкие чтения для малышей",
        description="<p>Методика</p><script>x</script>",
        hours=16,
        min_attendance=75,
        signer_name="Соколова И. П.",
        signer_position="директор ЦБС",
    )
    for day in (2, 3, 4, 5):  # Monday to Thursday
        starts = dt.datetime(2026, 3, day, 7, 0, tzinfo=dt.UTC)
        services.session_add(
            course=course,
            title=f"Занятие {day}",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=4),
            by=organiser,
            branch=branch_a,
        )
    return course


def _apply(course, n=1, **extra):
    return services.application_submit(
        course=course,
        name=f"Петрова Анна {n}",
        position="библиотекарь",
        organisation="ЦБС г. Энска",
        city="Энск",
        email=f"a{n}@example.org",
        at=AT,
        **extra,
    )


def test_description_is_sanitised_and_sessions_on_closed_days_are_refused(
    course, organiser, branch_a
):
    assert "<script>" not in Course.objects.get().description
    saturday = dt.datetime(2026, 3, 7, 7, 0, tzinfo=dt.UTC)
    with pytest.raises(SessionInvalid):
        services.session_add(
            course=course,
            title="Суббота",
            starts_at=saturday,
            ends_at=saturday + dt.timedelta(hours=1),
            by=organiser,
            branch=branch_a,
        )
    with pytest.raises(SessionInvalid):
        services.session_add(course=course, title="Назад", starts_at=AT, ends_at=AT, by=organiser)


def test_an_application_records_its_consent_and_is_told_of_the_decision(course, organiser):
    application = _apply(course, ip_address="192.0.2.9")
    assert ConsentRecord.objects.get().purpose == "course_application"
    with pytest.raises(AlreadyApplied):
        _apply(course)
    services.application_decide(application=application, accept=True, by=organiser, at=AT)
    application.refresh_from_db()
    assert application.state == "accepted"


def test_a_certificate_needs_enough_sessions_and_anyone_can_check_it(client, course, organiser):
    application = _apply(course)
    services.application_decide(application=application, accept=True, by=organiser, at=AT)
    sessions = list(course.sessions.all())
    for session in sessions[:2]:
        services.attendance_mark(session=session, came=[application.pk], by=organiser, at=AFTER)
    with pytest.raises(NotCompleted):  # 2 of 4 = 50 % < 75 %
        services.certificate_issue(application=application, by=organiser, at=AFTER)
    services.attendance_mark(session=sessions[2], came=[application.pk], by=organiser, at=AFTER)
    certificate = services.certificate_issue(application=application, by=organiser, at=AFTER)
    page = client.get(reverse("courses:verify-number", args=[certificate.number])).content.decode()
    assert "действителен" in page and "Петрова Анна 1" in page and "Громкие чтения" in page
    assert client.get(reverse("courses:verify-number", args=["000-2026-NOPE"])).status_code == 404
    services.certificate_revoke(certificate=certificate, by=organiser, at=AT)
    assert (
        "аннулирован"
        in client.get(reverse("courses:verify-number", args=[certificate.number])).content.decode()
    )


def test_the_certificate_pdf_names_the_participant_and_its_number(client, course, organiser):
    application = _apply(course)
    services.application_decide(application=application, accept=True, by=organiser, at=AT)
    for session in course.sessions.all():
        services.attendance_mark(session=session, came=[application.pk], by=organiser, at=AFTER)
    certificate = services.certificate_issue(application=application, by=organiser, at=AFTER)
    response = client.get(reverse("courses:certificate-pdf", args=[certificate.number]))
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(BytesIO(response.content)).pages)
    assert "Петрова Анна 1" in text and certificate.number in text and "16" in text
    # What makes it credible: who issued it, when the course ran, its themes, who signs.
    text = " ".join(text.split())
    assert "Центральная библиотека" in text
    assert "со 2 марта 2026" in text or "с 2 марта 2026" in text
    assert "по 5 марта 2026" in text and "Занятие 3" in text
    assert "Соколова И. П." in text and "директор ЦБС" in text and "М. П." in text
    page = client.get(reverse("courses:verify-number", args=[certificate.number])).content.decode()
    assert "Соколова И. П." in page and "5 марта 2026" in page and "Занятие 4" in page


def test_attendance_is_refused_for_a_session_that_has_not_begun(course, organiser):
    application = _apply(course)
    services.application_decide(application=application, accept=True, by=organiser, at=AT)
    last = course.sessions.order_by("starts_at").last()
    with pytest.raises(SessionNotHeld):
        services.attendance_mark(session=last, came=[application.pk], by=organiser, at=AT)
    assert not last.attendance.exists()


def test_a_certificate_is_issued_only_after_the_last_session(course, organiser):
    application = _apply(course)
    services.application_decide(application=application, accept=True, by=organiser, at=AT)
    sessions = list(course.sessions.order_by("starts_at"))
    during = sessions[-1].starts_at + dt.timedelta(minutes=30)
    for session in sessions:
        services.attendance_mark(session=session, came=[application.pk], by=organiser, at=during)
    with pytest.raises(CourseNotFinished):
        services.certificate_issue(application=application, by=organiser, at=during)
    assert services.certificate_issue(application=application, by=organiser, at=AFTER).number


def test_the_public_form_keeps_what_was_typed_and_sends_a_confirmation(
    client, course, django_capture_on_commit_callbacks
):
    form = {
        "name": "Иванова Мария",
        "position": "методист",
        "organisation": "ЦБС г. Н.",
        "city": "Н.",
        "email": "m@example.org",
    }
    response = client.post(reverse("courses:detail", args=[course.slug]), form)
    assert response.status_code == 400 and "Иванова Мария" in response.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("courses:detail", args=[course.slug]), {**form, "consent": "on"})
    assert mail.outbox[-1].subject == "Заявка на курс «Громкие чтения для малышей» получена"


def test_staff_pages_show_applications_and_attendance(client, course, organiser):
    application = _apply(course)
    client.force_login(organiser)
    page = client.get(reverse("courses:staff-course", args=[course.pk])).content.decode()
    assert "Петрова Анна 1" in page
    client.post(reverse("courses:staff-decide", args=[course.pk, application.pk]), {"accept": "1"})
    session = course.sessions.first()
    client.post(
        reverse("courses:staff-attendance", args=[course.pk, session.pk]),
        {"came": [application.pk]},
    )
    assert session.attendance.count() == 1
