"""News of the network and its branches, and readers' comments with their moderation."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import AgeMark, Record
from polka.org.models import Branch


class Tag(models.Model):
    name = models.CharField(_("тег"), max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True, allow_unicode=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NewsItem(models.Model):
    """A news item: network-wide (no branch) or a branch's; visible from `published_at`
    (a later time schedules it); drafts have none."""

    title = models.CharField(_("заголовок"), max_length=300)
    lead = models.TextField(_("анонс"))
    body = models.TextField(_("текст"), blank=True)  # sanitised HTML
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="news",
        verbose_name=_("библиотека"),
    )  # fmt: skip
    author_line = models.CharField(_("автор"), max_length=200, blank=True)
    age_mark = models.CharField(
        _("возрастной знак"), max_length=3, choices=AgeMark.choices, default=AgeMark.ZERO
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="news", verbose_name=_("теги"))
    records = models.ManyToManyField(Record, blank=True, related_name="+", verbose_name=_("книги"))
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="news", verbose_name=_("мероприятия")
    )
    published_at = models.DateTimeField(_("опубликовать"), null=True, blank=True, db_index=True)
    comments_open = models.BooleanField(_("комментарии открыты"), default=True)
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("новость")
        verbose_name_plural = _("новости")
        ordering = ["-published_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class NewsPhoto(models.Model):
    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("фотография"), upload_to="news/%Y/%m/")
    alt = models.CharField(_("что на фото (для незрячих читателей)"), max_length=300)
    credit = models.CharField(_("автор фото"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.alt


class CommentState(models.TextChoices):
    PENDING = "pending", _("ждёт проверки")
    APPROVED = "approved", _("опубликован")
    REJECTED = "rejected", _("отклонён")


class Comment(models.Model):
    item = models.ForeignKey(NewsItem, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    name = models.CharField(_("имя"), max_length=100)
    email = models.EmailField(_("электронная почта"), blank=True)
    body = models.TextField(_("комментарий"))
    state = models.CharField(_("состояние"), max_length=10, choices=CommentState.choices)
    # A reply written by the library (shown under the comment it answers).
    reply_to = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    from_library = models.BooleanField(default=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    consent_data = models.ForeignKey(
        "consents.ConsentRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    consent_name = models.ForeignKey(
        "consents.ConsentRecord", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("комментарий")
        verbose_name_plural = _("комментарии")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.name}: {self.body[:40]}"
