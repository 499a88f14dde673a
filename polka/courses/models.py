"""Courses for librarians: a multi-day programme with sessions, speakers and materials;
participants from other organisations apply, attend, and receive a verifiable certificate."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.org.models import Branch
from polka.programmes.models import Project


class Course(models.Model):
    slug = models.SlugField(_("адрес страницы"), max_length=100, unique=True)
    title = models.CharField(_("название"), max_length=300)
    description = models.TextField(_("описание"), blank=True)  # sanitised HTML
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="courses"
    )
    hours = models.PositiveSmallIntegerField(_("объём, академических часов"))
    capacity = models.PositiveSmallIntegerField(_("мест"), null=True, blank=True)
    min_attendance = models.PositiveSmallIntegerField(
        _("посетить не меньше (доля занятий в процентах)"), default=75
    )
    # Who signs the certificates (name and position), printed on each with room for a stamp.
    signer_name = models.CharField(_("подписывает сертификаты"), max_length=200, blank=True)
    signer_position = models.CharField(_("должность подписывающего"), max_length=200, blank=True)
    applications_open = models.BooleanField(_("приём заявок открыт"), default=True)
    is_published = models.BooleanField(_("опубликован"), default=True)

    class Meta:
        verbose_name = _("курс")
        verbose_name_plural = _("курсы")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class CourseSession(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("тема занятия"), max_length=300)
    speaker = models.CharField(_("ведущий"), max_length=300, blank=True)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, null=True, blank=True)
    place = models.CharField(_("место"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("начало"))
    ends_at = models.DateTimeField(_("окончание"))

    class Meta:
        ordering = ["starts_at", "pk"]

    def __str__(self) -> str:
        return self.title


class CourseMaterial(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("название"), max_length=300)
    file = models.FileField(_("файл"), upload_to="courses/%Y/")

    def __str__(self) -> str:
        return self.title


class ApplicationState(models.TextChoices):
    APPLIED = "applied", _("заявка подана")
    ACCEPTED = "accepted", _("принят")
    DECLINED = "declined", _("отклонена")
    WITHDRAWN = "withdrawn", _("отозвана")


class Application(models.Model):
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="applications")
    name = models.CharField(_("фамилия, имя, отчество"), max_length=300)
    position = models.CharField(_("должность"), max_length=200)
    organisation = models.CharField(_("организация"), max_length=300)
    city = models.CharField(_("город, регион"), max_length=200)
    email = models.EmailField(_("электронная почта"))
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    motivation = models.TextField(_("чего вы ждёте от курса"), blank=True)
    consent = models.ForeignKey(
        "consents.ConsentRecord", on_delete=models.PROTECT, related_name="+"
    )
    state = models.CharField(_("состояние"), max_length=10, choices=ApplicationState.choices)
    created_at = models.DateTimeField(_("подана"))
    decided_at = models.DateTimeField(_("решение"), null=True, blank=True)

    class Meta:
        verbose_name = _("заявка на курс")
        verbose_name_plural = _("заявки на курсы")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"


class SessionAttendance(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="attended")
    session = models.ForeignKey(CourseSession, on_delete=models.CASCADE, related_name="attendance")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "session"], name="course_attended_once")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}@{self.session_id}"


class Certificate(models.Model):
    """Issued to those who completed the course; anyone can check its number on the site."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="certificate"
    )
    number = models.CharField(_("номер"), max_length=40, unique=True)
    issued_at = models.DateTimeField(_("выдан"))
    revoked_at = models.DateTimeField(_("аннулирован"), null=True, blank=True)

    class Meta:
        verbose_name = _("сертификат")
        verbose_name_plural = _("сертификаты")

    def __str__(self) -> str:
        return self.number
