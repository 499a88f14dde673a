"""Reads of courses for the public pages and the organisers' pages."""

from __future__ import annotations

from django.db.models import QuerySet

from polka.courses.models import (
    Application,
    ApplicationState,
    Certificate,
    Course,
    CourseSession,
)


def courses_published() -> QuerySet[Course]:
    return Course.objects.filter(is_published=True)


def courses_listed() -> QuerySet[Course]:
    """The public list: published courses with their sessions (one query for all sessions)."""
    return courses_published().prefetch_related("sessions")


def courses_all() -> QuerySet[Course]:
    return Course.objects.all()


def course_sessions(*, course: Course) -> QuerySet[CourseSession]:
    return course.sessions.select_related("branch")


def certificate_by_number(*, number: str) -> Certificate | None:
    """The certificate a visitor asks about (any case, revoked ones too: the page says so)."""
    return (
        Certificate.objects.filter(number__iexact=number.strip()[:40])
        .select_related("application", "application__course")
        .first()
    )


def certificates_valid() -> QuerySet[Certificate]:
    return Certificate.objects.filter(revoked_at__isnull=True)


def course_applications(*, course: Course) -> list[Application]:
    """The organisers' view of applications: with attendance and certificate in two queries."""
    return list(course.applications.prefetch_related("attended").select_related("certificate"))


def applications_accepted(*, course: Course) -> QuerySet[Application]:
    return course.applications.filter(state=ApplicationState.ACCEPTED)


def session_marked(*, session: CourseSession) -> set[int]:
    """The applications marked present at `session`."""
    return set(session.attendance.values_list("application_id", flat=True))
