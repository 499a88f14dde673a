"""Promotion: the network's and branches' Telegram channels and VK communities, and the posts
Polka makes there when news or events are published, changed or cancelled, with every attempt
and the service's answer."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.org.models import Branch


class Service(models.TextChoices):
    TELEGRAM = "telegram", "Telegram"
    VK = "vk", _("ВКонтакте")


class Channel(models.Model):
    """A Telegram channel (bot token + chat id) or a VK community (community token + id) of the
    network (no branch: every news item and event) or of one branch (its own only)."""

    service = models.CharField(_("сеть"), max_length=10, choices=Service.choices)
    branch = models.ForeignKey(
        Branch, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("библиотека"),
    )  # fmt: skip
    name = models.CharField(_("название"), max_length=200)
    # Telegram: @channelname or -100…; VK: the community's number.
    target = models.CharField(_("канал или сообщество"), max_length=100)
    # The token, sealed (polka.promotion.crypto); or the name of an environment variable.
    token_sealed = models.TextField(blank=True)
    token_env = models.CharField(_("переменная окружения с токеном"), max_length=100, blank=True)
    active = models.BooleanField(_("публиковать"), default=True)
    # Items published before the channel was connected are never posted there.
    connected_at = models.DateTimeField()

    class Meta:
        verbose_name = _("канал в соцсети")
        verbose_name_plural = _("каналы в соцсетях")
        ordering = ["branch__name", "service", "name"]
        constraints = [
            models.UniqueConstraint(fields=["service", "target"], name="promotion_channel_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Subject(models.TextChoices):
    NEWS = "news", _("новость")
    EVENT = "event", _("мероприятие")


class Promoted(models.Model):
    """A news item or event as promotion knows it: when it was first seen published and which
    channels the librarian chose to skip."""

    subject = models.CharField(max_length=10, choices=Subject.choices)
    object_id = models.PositiveBigIntegerField()
    first_seen_at = models.DateTimeField()
    # Until then `polka notices` looks for changes and cancellations to post.
    watch_until = models.DateTimeField(db_index=True)
    skip = models.ManyToManyField(Channel, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subject", "object_id"], name="promotion_promoted_once")
        ]

    def __str__(self) -> str:
        return f"{self.subject} {self.object_id}"


class Action(models.TextChoices):
    PUBLISH = "publish", _("публикация")
    UPDATE = "update", _("изменения")
    CANCEL = "cancel", _("отмена")


class PostState(models.TextChoices):
    QUEUED = "queued", _("в очереди")
    SENDING = "sending", _("отправляется")
    SENT = "sent", _("опубликовано")
    FAILED = "failed", _("не опубликовано")
    # The run was killed while the service was being asked: it may have posted. Not retried
    # where the service cannot tell (Telegram), so the post is never made twice.
    UNKNOWN = "unknown", _("неизвестно, проверьте канал")
    SKIPPED = "skipped", _("пропущено")


class Post(models.Model):
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="posts")
    promoted = models.ForeignKey(Promoted, on_delete=models.CASCADE, related_name="posts")
    action = models.CharField(_("что"), max_length=10, choices=Action.choices)
    # One post per key: queueing twice is a no-op (channel, item, action and, for updates,
    # the content's fingerprint).
    key = models.CharField(max_length=200, unique=True)
    state = models.CharField(_("состояние"), max_length=10, choices=PostState.choices)
    created_at = models.DateTimeField()
    send_after = models.DateTimeField(db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # What was sent (filled when sending: the item's content at that moment).
    text = models.TextField(blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)
    remote_id = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("публикация в соцсети")
        verbose_name_plural = _("публикации в соцсетях")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.key


class Attempt(models.Model):
    """One call to the service: what it answered (or that the run died before it could tell)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="log")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    ok = models.BooleanField(default=False)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    answer = models.TextField(blank=True)

    class Meta:
        ordering = ["started_at", "pk"]

    def __str__(self) -> str:
        return f"{self.post_id} {self.started_at:%Y-%m-%d %H:%M}"


class PartnerKind(models.TextChoices):
    SCHOOL = "school", _("школа, колледж, вуз")
    MUSEUM = "museum", _("музей, театр, учреждение культуры")
    NGO = "ngo", _("некоммерческая организация")
    DIASPORA = "diaspora", _("национально-культурный центр")
    AUTHORITY = "authority", _("орган власти")
    BUSINESS = "business", _("компания")
    OTHER = "other", _("другое")


class Partner(models.Model):
    """An organisation the library works with, and what they do together."""

    name = models.CharField(_("название"), max_length=300)
    kind = models.CharField(_("вид"), max_length=20, choices=PartnerKind.choices)
    logo = models.ImageField(_("логотип"), upload_to="partners/", blank=True)
    url = models.URLField(_("сайт"), blank=True)
    together = models.TextField(_("что делаем вместе"), blank=True)
    is_public = models.BooleanField(_("показывать на странице партнёров"), default=True)
    events = models.ManyToManyField(
        "events.Event", blank=True, related_name="partner_organisations",
        verbose_name=_("мероприятия"),
    )  # fmt: skip
    projects = models.ManyToManyField(
        "programmes.Project", blank=True, related_name="partner_organisations",
        verbose_name=_("проекты"),
    )  # fmt: skip
    courses = models.ManyToManyField(
        "courses.Course", blank=True, related_name="partner_organisations",
        verbose_name=_("курсы"),
    )  # fmt: skip
    created_at = models.DateTimeField()

    class Meta:
        verbose_name = _("партнёр")
        verbose_name_plural = _("партнёры")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
