"""Projects, reading programmes and book exhibitions.

Project, Programme and Exhibition are also the anchors other apps point to (events, courses,
the literary calendar).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import AnnotatedBook, Record
from polka.org.models import Branch


class Project(models.Model):
    """A library project: a newcomers' adaptation project, a grant-funded programme, …"""

    slug = models.SlugField(_("адрес страницы"), max_length=100, unique=True)
    title = models.CharField(_("название"), max_length=300)
    summary = models.TextField(_("кратко"), blank=True)
    description = models.TextField(_("описание"), blank=True)  # sanitised HTML
    funder = models.CharField(_("при поддержке"), max_length=300, blank=True)
    partners = models.TextField(_("партнёры"), blank=True)
    is_published = models.BooleanField(_("опубликован"), default=True)

    class Meta:
        verbose_name = _("проект")
        verbose_name_plural = _("проекты")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ProjectMaterial(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("название"), max_length=300)
    file = models.FileField(_("файл"), upload_to="projects/%Y/", blank=True)
    link = models.URLField(_("ссылка"), blank=True)
    added_at = models.DateTimeField()

    class Meta:
        ordering = ["added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Exhibition(models.Model):
    """A book exhibition in a branch (or virtual, without one) with a curated list of books."""

    slug = models.SlugField(_("адрес страницы"), max_length=100, unique=True)
    title = models.CharField(_("название"), max_length=300)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="exhibitions"
    )
    starts_on = models.DateField(_("открытие"))
    ends_on = models.DateField(_("закрытие"))
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="exhibitions"
    )
    theme = models.CharField(_("тема"), max_length=300, blank=True)
    description = models.TextField(_("описание"), blank=True)  # sanitised HTML
    is_published = models.BooleanField(_("опубликована"), default=True)

    class Meta:
        verbose_name = _("книжная выставка")
        verbose_name_plural = _("книжные выставки")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title


class ExhibitionItem(AnnotatedBook):
    exhibition = models.ForeignKey(Exhibition, on_delete=models.CASCADE, related_name="items")

    class Meta(AnnotatedBook.Meta):
        constraints = [
            models.UniqueConstraint(fields=["exhibition", "record"], name="exhibition_record_once")
        ]


class Programme(models.Model):
    """A programme spanning weeks (a summer reading programme for children, say): its meetings
    are events pointing here; participants record what they read."""

    slug = models.SlugField(_("адрес страницы"), max_length=100, unique=True)
    title = models.CharField(_("название"), max_length=300)
    starts_on = models.DateField(_("начало"))
    ends_on = models.DateField(_("окончание"))
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="programmes"
    )
    description = models.TextField(_("описание"), blank=True)  # sanitised HTML
    min_books = models.PositiveSmallIntegerField(_("книг для сертификата"), default=5)
    min_meetings = models.PositiveSmallIntegerField(_("встреч для сертификата"), default=0)
    is_published = models.BooleanField(_("опубликована"), default=True)

    class Meta:
        verbose_name = _("программа")
        verbose_name_plural = _("программы")
        ordering = ["-starts_on"]

    def __str__(self) -> str:
        return self.title


class Participant(models.Model):
    """A child in a reading programme, signed up by a guardian (whose consent is recorded)."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participants")
    child_name = models.CharField(_("имя ребёнка"), max_length=200)
    child_age = models.PositiveSmallIntegerField(_("возраст"), null=True, blank=True)
    guardian_name = models.CharField(_("родитель (законный представитель)"), max_length=200)
    guardian_email = models.EmailField(_("электронная почта родителя"))
    consent = models.ForeignKey(
        "consents.ConsentRecord", on_delete=models.PROTECT, related_name="+"
    )
    # The guardian's private link for recording books read.
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("участник программы")
        verbose_name_plural = _("участники программы")
        ordering = ["child_name", "pk"]

    def __str__(self) -> str:
        return self.child_name


class BookRead(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="books")
    record = models.ForeignKey(
        Record, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("книга"), max_length=500)
    read_on = models.DateField(_("прочитана"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )  # a librarian; empty when the guardian recorded it

    class Meta:
        ordering = ["read_on", "pk"]

    def __str__(self) -> str:
        return self.title


class MeetingAttendance(models.Model):
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="meetings")
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["participant", "event"], name="meeting_attended_once")
        ]

    def __str__(self) -> str:
        return f"{self.participant} @ {self.event_id}"
