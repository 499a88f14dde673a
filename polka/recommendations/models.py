"""«The librarian recommends»: reading lists for an audience, with annotated books."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import AnnotatedBook


class ListAudience(models.TextChoices):
    CHILDREN = "children", _("детям")
    TEENS = "teens", _("подросткам")
    ADULTS = "adults", _("взрослым")


class ReadingList(models.Model):
    slug = models.SlugField(_("адрес страницы"), max_length=100, unique=True)
    title = models.CharField(_("название"), max_length=300)
    audience = models.CharField(_("для кого"), max_length=10, choices=ListAudience.choices)
    theme = models.CharField(_("тема"), max_length=300, blank=True)
    intro = models.TextField(_("вступление"), blank=True)  # sanitised HTML
    compiler = models.CharField(_("составитель"), max_length=300, blank=True)
    is_published = models.BooleanField(_("опубликован"), default=False)
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("список «Библиотекарь советует»")
        verbose_name_plural = _("списки «Библиотекарь советует»")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return self.title


class ListItem(AnnotatedBook):
    reading_list = models.ForeignKey(ReadingList, on_delete=models.CASCADE, related_name="items")

    class Meta(AnnotatedBook.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["reading_list", "record"], name="reading_list_record_once"
            )
        ]
