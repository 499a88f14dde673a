"""Courses for librarians: public pages (list, course, application, certificate check) and
the organisers' pages (course, sessions, applications, attendance, certificates)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from polka.core.antispam import client_ip
from polka.core.publicforms import RateLimit, back, submit
from polka.core.staff import staff_required
from polka.courses import selectors, services
from polka.courses.errors import CourseError
from polka.courses.forms import (
    ApplicationForm,
    CourseForm,
    MaterialForm,
    SessionForm,
    VerifyForm,
)
from polka.courses.models import Application, Certificate, Course
from polka.org.services import personal_data_viewed

APPLY = RateLimit(
    "courses.apply",
    10,
    dt.timedelta(hours=1),
    gettext_lazy("Слишком много заявок подряд. Попробуйте позже."),
)


def course_list(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/course_list.html", {"courses": selectors.courses_listed()})


def course_detail(request: HttpRequest, slug: str) -> HttpResponse:
    course = get_object_or_404(selectors.courses_published(), slug=slug)
    form = ApplicationForm(request.POST or None)

    def accept(now: dt.datetime) -> HttpResponse:
        data = {k: v for k, v in form.cleaned_data.items() if k not in ("consent", "website")}
        services.application_submit(course=course, ip_address=client_ip(request), at=now, **data)
        messages.success(request, _("Заявка подана. Мы напишем вам о решении."))
        return redirect("courses:detail", slug=slug)

    bot = back("courses:detail", slug=slug)
    done = submit(request, form, APPLY, bot=bot, accept=accept, errors=CourseError)
    context = {"course": course, "form": form, "sessions": selectors.course_sessions(course=course)}
    if done is not None:
        return done
    return render(
        request, "courses/course_detail.html", context, status=400 if form.errors else 200
    )


def verify(request: HttpRequest, number: str | None = None) -> HttpResponse:
    """Anyone can check a certificate by its number."""
    form = VerifyForm(request.GET or None)
    if number is None and form.is_valid():
        return redirect("courses:verify-number", number=form.cleaned_data["number"].strip())
    certificate = None
    if number is not None:
        certificate = selectors.certificate_by_number(number=number)
    context: dict[str, Any] = {"form": form, "number": number, "certificate": certificate}
    if certificate is not None:
        context.update(services.certificate_facts(certificate))
    return render(
        request, "courses/verify.html", context, status=404 if number and not certificate else 200
    )


def certificate_pdf(request: HttpRequest, number: str) -> HttpResponse:
    certificate = get_object_or_404(selectors.certificates_valid(), number=number)
    verify_url = request.build_absolute_uri(
        reverse("courses:verify-number", args=[certificate.number])
    )
    pdf = services.certificate_pdf(certificate=certificate, verify_url=verify_url)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="certificate-{certificate.number}.pdf"'
    return response


# --- staff -------------------------------------------------------------------------------


organiser = staff_required("events.manage")


@organiser
def staff_list(request: HttpRequest) -> HttpResponse:
    return render(request, "courses/staff/list.html", {"courses": selectors.courses_all()})


@organiser
def staff_course_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    course = get_object_or_404(Course, pk=pk) if pk else None
    form = CourseForm(request.POST or None, instance=course)
    if request.method == "POST" and form.is_valid():
        saved = services.course_save(course=course, by=request.user, **form.cleaned_data)
        messages.success(request, _("Сохранено."))
        return redirect("courses:staff-course", pk=saved.pk)
    context = {
        "form": form,
        "title": course.title if course else _("Новый курс"),
        "back_url": reverse("courses:staff"),
        "back_label": _("Курсы"),
    }
    return render(request, "web/staff_form.html", context, status=400 if form.errors else 200)


@organiser
def staff_course(request: HttpRequest, pk: int) -> HttpResponse:
    course = get_object_or_404(Course, pk=pk)
    if request.method == "POST" and "material" in request.POST:
        material_form = MaterialForm(request.POST, request.FILES)
        if material_form.is_valid():
            services.material_add(course=course, by=request.user, **material_form.cleaned_data)
            messages.success(request, _("Материал добавлен."))
        else:
            messages.error(request, _("Материал не добавлен: укажите название и файл."))
        return redirect("courses:staff-course", pk=pk)
    session_form = SessionForm(request.POST or None)
    if request.method == "POST" and session_form.is_valid():
        try:
            services.session_add(course=course, by=request.user, **session_form.cleaned_data)
        except CourseError as error:
            session_form.add_error(None, str(error))
        else:
            messages.success(request, _("Занятие добавлено."))
            return redirect("courses:staff-course", pk=pk)
    applications = selectors.course_applications(course=course)
    rows = [(a, services.attendance_share(a), services.has_completed(a)) for a in applications]
    personal_data_viewed(
        by=request.user,
        page="courses.staff-course",
        subjects=[f"application {a.pk}" for a in applications],
        at=timezone.now(),
    )
    context = {
        "course": course,
        "sessions": course.sessions.all(),
        "rows": rows,
        "session_form": session_form,
        "material_form": MaterialForm(),
        "materials": course.materials.all(),
    }
    return render(request, "courses/staff/course.html", context)


@organiser
@require_POST
def staff_decide(request: HttpRequest, pk: int, application_id: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=application_id, course_id=pk)
    services.application_decide(
        application=application,
        accept=request.POST.get("accept") == "1",
        by=request.user,
        at=timezone.now(),
    )
    return redirect("courses:staff-course", pk=pk)


@organiser
def staff_attendance(request: HttpRequest, pk: int, session_id: int) -> HttpResponse:
    course = get_object_or_404(Course, pk=pk)
    session = get_object_or_404(course.sessions, pk=session_id)
    accepted = selectors.applications_accepted(course=course)
    if request.method == "POST":
        came = [int(v) for v in request.POST.getlist("came") if v.isdigit()]
        try:
            services.attendance_mark(session=session, came=came, by=request.user, at=timezone.now())
        except CourseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Посещаемость сохранена."))
        return redirect("courses:staff-course", pk=pk)
    marked = selectors.session_marked(session=session)
    personal_data_viewed(
        by=request.user,
        page="courses.staff-attendance",
        subjects=[f"application {pk}" for pk in accepted.values_list("pk", flat=True)],
        at=timezone.now(),
    )
    context = {"course": course, "session": session, "accepted": accepted, "marked": marked}
    return render(request, "courses/staff/attendance.html", context)


@organiser
@require_POST
def staff_certificate(request: HttpRequest, pk: int, application_id: int) -> HttpResponse:
    application = get_object_or_404(Application, pk=application_id, course_id=pk)
    try:
        if request.POST.get("revoke") == "1":
            services.certificate_revoke(
                certificate=application.certificate, by=request.user, at=timezone.now()
            )
        else:
            services.certificate_issue(application=application, by=request.user, at=timezone.now())
    except (CourseError, Certificate.DoesNotExist) as error:
        if isinstance(error, Certificate.DoesNotExist):
            raise Http404 from error
        messages.error(request, str(error))
    return redirect("courses:staff-course", pk=pk)
