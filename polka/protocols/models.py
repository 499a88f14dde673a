"""What the protocol servers keep of their own: OAI-PMH tombstones of deleted records, the
records' MARCXML as last written, and the SIP2 accounts of self-service stations."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.org.models import Branch


class OaiTombstone(models.Model):
    """A deleted record, still listed by OAI-PMH as `deleted` (deletedRecord: persistent)."""

    record_id = models.PositiveBigIntegerField(_("запись"), unique=True)
    deleted_at = models.DateTimeField(_("удалена"), db_index=True)
    # " branch:central material:book ": a set filter is one LIKE on both engines.
    set_specs = models.TextField(_("наборы OAI"), blank=True)

    class Meta:
        verbose_name = _("удалённая запись (OAI-PMH)")
        verbose_name_plural = _("удалённые записи (OAI-PMH)")

    def __str__(self) -> str:
        return f"{self.record_id} ({self.deleted_at:%Y-%m-%d})"

    @property
    def specs(self) -> list[str]:
        return self.set_specs.split()


class MarcxmlCache(models.Model):
    """A record's MARCXML as SRU and OAI-PMH last sent it, with the digest of the stored source
    it was written from: writing MARCXML (parsing ISO 2709, the leader) is most of a harvest's
    cost. A row whose digest no longer matches its record is written again; no foreign key, so
    the catalogue's deletes never wait on it (the tombstone receiver drops the row)."""

    record_id = models.PositiveBigIntegerField(primary_key=True)
    digest = models.CharField(max_length=32)
    xml = models.TextField()

    def __str__(self) -> str:
        return f"MARCXML {self.record_id}"


class Sip2Encoding(models.TextChoices):
    UTF8 = "utf-8", "UTF-8"
    CP1251 = "cp1251", "CP1251 (Windows-1251)"


class Sip2Station(models.Model):
    """A self-service station's SIP2 account: the staff login it sends in 93 (CN/CO), the
    branch it lends in, and how it speaks. What it may do comes from the login's staff roles
    (a desk role in its branch), so the circulation services check it like any desk."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sip2_station"
    )
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="sip2_stations")
    encoding = models.CharField(
        _("кодировка"), max_length=10, choices=Sip2Encoding.choices, default=Sip2Encoding.UTF8
    )
    crlf = models.BooleanField(_("завершать сообщения CR LF"), default=False)

    class Meta:
        verbose_name = _("станция самообслуживания (SIP2)")
        verbose_name_plural = _("станции самообслуживания (SIP2)")

    def __str__(self) -> str:
        return f"{self.user} ({self.branch})"


class CopyProtocol(models.TextChoices):
    SRU = "sru", "SRU"
    Z3950 = "z3950", "Z39.50"


class CopyTarget(models.Model):
    """A remote catalogue cataloguers copy records from (a national library, another network):
    an SRU base URL, or a Z39.50 `host:port/database`."""

    name = models.CharField(_("название"), max_length=200)
    protocol = models.CharField(_("протокол"), max_length=10, choices=CopyProtocol.choices)
    address = models.CharField(
        _("адрес"), max_length=500, help_text=_("SRU: адрес (URL); Z39.50: узел:порт/база")
    )
    timeout = models.PositiveSmallIntegerField(_("ожидание ответа, с"), default=10)
    is_active = models.BooleanField(_("используется"), default=True)

    class Meta:
        verbose_name = _("источник заимствования записей")
        verbose_name_plural = _("источники заимствования записей")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
