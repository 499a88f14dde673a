"""Projects, reading programmes and book exhibitions.

Project and Exhibition are the anchors other apps point to (events, courses, the literary
calendar); the programmes app owns and extends them.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.org.models import Branch


class Project(models.Model):
    """A library project: a newcomers' adaptation project, a grant-funded programme, …"""

    slug = models.SlugField(_("адрес страницы"), max_length=100, unique=True)
    title = models.CharField(_("название"), max_length=300)
    summary = models.TextField(_("кратко"), blank=True)

    class Meta:
        verbose_name = _("проект")
        verbose_name_plural = _("проекты")

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

    class Meta:
        verbose_name = _("книжная выставка")
        verbose_name_plural = _("книжные выставки")

    def __str__(self) -> str:
        return self.title


class Programme(models.Model):
    """A programme spanning weeks (a summer reading programme for children, say): its meetings
    are events pointing here; participants and their progress belong to the programmes app."""

    slug = models.SlugField(_("адрес страницы"), max_length=100, unique=True)
    title = models.CharField(_("название"), max_length=300)
    starts_on = models.DateField(_("начало"))
    ends_on = models.DateField(_("окончание"))
    project = models.ForeignKey(
        Project, on_delete=models.SET_NULL, null=True, blank=True, related_name="programmes"
    )

    class Meta:
        verbose_name = _("программа")
        verbose_name_plural = _("программы")

    def __str__(self) -> str:
        return self.title
