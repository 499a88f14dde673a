"""Library events: what happens where and when, for which audience."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import AgeMark
from polka.org.models import Branch


class Audience(models.TextChoices):
    CHILDREN = "children", _("дети")
    TEENS = "teens", _("подростки")
    ADULTS = "adults", _("взрослые")
    SENIORS = "seniors", _("старшее поколение")
    NEWCOMERS = "newcomers", _("мигранты и переселенцы")
    PROFESSIONALS = "professionals", _("специалисты")


class EventType(models.TextChoices):
    MEETING = "meeting", _("встреча с писателем")
    CLUB = "club", _("клуб")
    LECTURE = "lecture", _("лекция")
    WORKSHOP = "workshop", _("мастер-класс")
    READING = "reading", _("громкие чтения")
    EXHIBITION = "exhibition", _("выставка")
    HOLIDAY = "holiday", _("праздник")
    EXCURSION = "excursion", _("экскурсия")
    FILM = "film", _("кинопоказ")
    OTHER = "other", _("другое")


class Event(models.Model):
    title = models.CharField(_("название"), max_length=300)
    event_type = models.CharField(
        _("вид"), max_length=20, choices=EventType.choices, default=EventType.OTHER
    )
    description = models.TextField(_("описание"), blank=True)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="events")
    place = models.CharField(_("место"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("начало"), db_index=True)
    ends_at = models.DateTimeField(_("окончание"))
    audience = models.CharField(_("аудитория"), max_length=20, choices=Audience.choices)
    age_mark = models.CharField(_("возрастной знак"), max_length=3, choices=AgeMark.choices)
    capacity = models.PositiveIntegerField(_("мест"), null=True, blank=True)
    # Sign-up opens the registration form; without it anyone may simply come.
    registration = models.BooleanField(_("запись"), default=False)
    accessibility = models.TextField(_("доступная среда"), blank=True)
    organiser = models.CharField(_("организатор"), max_length=300, blank=True)
    partners = models.TextField(_("партнёры"), blank=True)
    project = models.ForeignKey(
        "programmes.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("проект"),
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("программа"),
    )
    series = models.ForeignKey(
        "EventSeries",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("цикл"),
    )
    is_published = models.BooleanField(_("опубликовано"), default=True)
    # «Пушкинская карта»: the federal programme paying young people's (14–22) tickets.
    pushkin_card = models.BooleanField(_("по «Пушкинской карте»"), default=False)
    ticket_url = models.URLField(_("ссылка на билеты"), blank=True)
    pro_culture_id = models.CharField(_("номер в PRO.Культура.РФ"), max_length=20, blank=True)
    # Walk-ins counted at the door, by the age groups of the 6-NK statistics form.
    walk_in_children = models.PositiveIntegerField(
        _("пришли без записи: дети до 14 лет"), default=0
    )
    walk_in_youth = models.PositiveIntegerField(
        _("пришли без записи: молодёжь 15–30 лет"), default=0
    )
    walk_in_adults = models.PositiveIntegerField(_("пришли без записи: старше 30 лет"), default=0)
    attendance_recorded_at = models.DateTimeField(_("посещаемость отмечена"), null=True, blank=True)

    class Meta:
        verbose_name = _("мероприятие")
        verbose_name_plural = _("мероприятия")
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gte=models.F("starts_at")),
                name="events_event_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class EventSeries(models.Model):
    """A weekly club and the like: one row for the events it planned, with the days skipped
    because the branch was closed."""

    title = models.CharField(_("название"), max_length=300)
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="event_series")
    weekday = models.PositiveSmallIntegerField(_("день недели"))  # 0 = Monday
    starts_on = models.DateField(_("с"))
    ends_on = models.DateField(_("по"))
    skipped = models.JSONField(_("пропущенные дни"), default=list, blank=True)

    class Meta:
        verbose_name = _("цикл мероприятий")
        verbose_name_plural = _("циклы мероприятий")

    def __str__(self) -> str:
        return self.title


class EventPhoto(models.Model):
    """The photo report after an event."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("фотография"), upload_to="events/photos/%Y/%m/")
    alt = models.CharField(_("что на фото (для незрячих читателей)"), max_length=300)
    credit = models.CharField(_("автор фото"), max_length=200, blank=True)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.alt


class RegistrationState(models.TextChoices):
    REGISTERED = "registered", _("записан")
    WAITLISTED = "waitlisted", _("в листе ожидания")
    CANCELLED = "cancelled", _("запись отменена")


class Registration(models.Model):
    """A place at an event (or in its waiting list), taken by a reader or a guest."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="registrations")
    state = models.CharField(_("состояние"), max_length=12, choices=RegistrationState.choices)
    name = models.CharField(_("имя"), max_length=200)
    email = models.EmailField(_("электронная почта"))
    phone = models.CharField(_("телефон"), max_length=50, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_registrations",
    )
    consent = models.ForeignKey(
        "consents.ConsentRecord", on_delete=models.PROTECT, related_name="+"
    )
    # In the confirmation email's cancel link: unguessable.
    token = models.CharField(max_length=64, unique=True)
    language = models.CharField(max_length=10, default="ru")
    created_at = models.DateTimeField(_("записан"))
    promoted_at = models.DateTimeField(_("переведён из листа ожидания"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("отменено"), null=True, blank=True)
    attended = models.BooleanField(_("пришёл"), default=False)

    class Meta:
        verbose_name = _("запись на мероприятие")
        verbose_name_plural = _("записи на мероприятия")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["event", "state"], name="events_registration_state")]

    def __str__(self) -> str:
        return f"{self.name} → {self.event}"


def linked_model(field: str) -> Any:
    """Project or Programme (field "project"/"programme"): they belong to polka.programmes, which
    sits above events and owns the link; events reach them only through Event's foreign keys."""
    return Event._meta.get_field(field).related_model
