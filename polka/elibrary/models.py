"""E-library: subscribed platforms, e-book records' "read" links, readers' access requests, the
register of platform logins, e-loans the platforms report, and the local-history collection."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import Record
from polka.readers.models import Reader


class Platform(models.Model):
    slug = models.SlugField(_("код"), max_length=40, unique=True)
    name = models.CharField(_("название"), max_length=200)
    site_url = models.URLField(_("сайт"))
    how_to = models.TextField(_("как получить доступ"), blank=True)

    class Meta:
        verbose_name = _("платформа электронных книг")
        verbose_name_plural = _("платформы электронных книг")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Ebook(models.Model):
    """A catalogue record that is an e-book of a platform, with the platform's own id."""

    platform = models.ForeignKey(Platform, on_delete=models.CASCADE, related_name="ebooks")
    external_id = models.CharField(max_length=200)
    record = models.OneToOneField(Record, on_delete=models.CASCADE, related_name="ebook")
    read_url = models.URLField(max_length=1000)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="ebook_once_per_platform"
            )
        ]

    def __str__(self) -> str:
        return f"{self.platform.slug}:{self.external_id}"


class AccessState(models.TextChoices):
    REQUESTED = "requested", _("запрошен")
    ISSUED = "issued", _("выдан")
    REFUSED = "refused", _("отказано")


class PlatformLogin(models.Model):
    """The register: a reader's access to a platform — who asked, when, who issued the login,
    under which consent to pass their data on; revoked logins stay in the register."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="logins")
    reader = models.ForeignKey(Reader, on_delete=models.PROTECT, related_name="platform_logins")
    state = models.CharField(_("состояние"), max_length=10, choices=AccessState.choices)
    consent = models.ForeignKey(
        "consents.ConsentRecord", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("запрошен"))
    login = models.CharField(_("логин на платформе"), max_length=200, blank=True)
    issued_at = models.DateTimeField(_("выдан"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("отозван"), null=True, blank=True)

    class Meta:
        verbose_name = _("доступ к платформе")
        verbose_name_plural = _("доступы к платформам")
        ordering = ["-requested_at"]

    def __str__(self) -> str:
        return f"{self.reader} @ {self.platform}"


class Eloan(models.Model):
    """A remote licensed loan reported by a platform (imported from its report file)."""

    platform = models.ForeignKey(Platform, on_delete=models.PROTECT, related_name="eloans")
    loaned_on = models.DateField(_("дата"))
    login = models.ForeignKey(PlatformLogin, on_delete=models.SET_NULL, null=True, blank=True)
    record = models.ForeignKey(
        Record, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    platform_login = models.CharField(_("логин"), max_length=200)
    # The reader's home branch when imported: the loan stays counted there after erasure.
    branch = models.ForeignKey(
        "org.Branch", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    isbn = models.CharField(max_length=20, blank=True)
    title = models.CharField(_("заглавие"), max_length=500, blank=True)
    # Platform, login, book and day: a report imported twice counts each loan once.
    key = models.CharField(max_length=300, unique=True)

    class Meta:
        ordering = ["-loaned_on"]

    def __str__(self) -> str:
        return f"{self.platform_login} {self.loaned_on}"


class LocalDocument(models.Model):
    """The network's digitised local-history collection: a PDF with its description."""

    title = models.CharField(_("заглавие"), max_length=500)
    author = models.CharField(_("автор"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("год"), null=True, blank=True)
    subject = models.CharField(_("тема"), max_length=200)
    description = models.TextField(_("описание"), blank=True)
    file = models.FileField(_("файл PDF"), upload_to="local-history/%Y/")
    added_at = models.DateTimeField()
    is_published = models.BooleanField(_("опубликован"), default=True)

    class Meta:
        verbose_name = _("документ краеведческой коллекции")
        verbose_name_plural = _("краеведческая коллекция")
        ordering = ["-added_at"]

    def __str__(self) -> str:
        return self.title
