"""Bibliographic records (source MARC kept as received), person authorities, and copies."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from polka.org.models import Branch


class MarcFormat(models.TextChoices):
    MARC21 = "marc21", "MARC21"
    RUSMARC = "rusmarc", "RUSMARC/UNIMARC"


class AgeMark(models.TextChoices):
    """Age classification marks required by Russian law (436-FZ) on information products."""

    ZERO = "0+", "0+"
    SIX = "6+", "6+"
    TWELVE = "12+", "12+"
    SIXTEEN = "16+", "16+"
    EIGHTEEN = "18+", "18+"


class MaterialType(models.TextChoices):
    BOOK = "book", _("книга")
    SERIAL = "serial", _("периодическое издание")
    ARTICLE = "article", _("статья")
    SCORE = "score", _("ноты")
    MAP = "map", _("карта")
    AUDIO = "audio", _("аудиозапись")
    VIDEO = "video", _("видеозапись")
    EBOOK = "ebook", _("электронная книга")
    ELECTRONIC = "electronic", _("электронный ресурс")
    GRAPHIC = "graphic", _("изоматериал")
    KIT = "kit", _("комплект")
    OTHER = "other", _("другое")


class Record(models.Model):
    """One bibliographic record: the source bytes as received plus the extracted fields."""

    format = models.CharField(_("формат"), max_length=10, choices=MarcFormat.choices)
    source = models.BinaryField(_("исходная запись"))
    source_encoding = models.CharField(_("кодировка источника"), max_length=20, default="utf-8")
    control_number = models.CharField(
        _("контрольный номер"), max_length=100, blank=True, db_index=True
    )
    # sha256 of the bytes as first received: a second import of the same file finds it and
    # changes nothing. Kept through edits so that re-importing the original does not duplicate.
    fingerprint = models.CharField(
        _("отпечаток источника"), max_length=64, blank=True, db_index=True
    )
    import_run = models.ForeignKey(
        "ImportRun",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="records",
        verbose_name=_("импорт"),
    )

    title = models.TextField(_("заглавие"))
    remainder_of_title = models.TextField(_("сведения, относящиеся к заглавию"), blank=True)
    parts = models.TextField(_("номер и название части"), blank=True)
    responsibility = models.TextField(_("сведения об ответственности"), blank=True)
    edition = models.CharField(_("сведения об издании"), max_length=300, blank=True)
    place = models.CharField(_("место издания"), max_length=300, blank=True)
    publisher = models.CharField(_("издательство"), max_length=300, blank=True)
    year = models.PositiveSmallIntegerField(_("год издания"), null=True, blank=True, db_index=True)
    extent = models.CharField(_("объём"), max_length=300, blank=True)
    series = models.TextField(_("серия"), blank=True)
    isbns = models.JSONField(_("ISBN"), default=list, blank=True)
    issns = models.JSONField(_("ISSN"), default=list, blank=True)
    languages = models.JSONField(_("языки"), default=list, blank=True)
    subjects = models.JSONField(_("предметные рубрики"), default=list, blank=True)
    udc = models.CharField(_("УДК"), max_length=200, blank=True)
    bbk = models.CharField(_("ББК"), max_length=200, blank=True)
    author_mark = models.CharField(_("авторский знак"), max_length=20, blank=True)
    annotation = models.TextField(_("аннотация"), blank=True)
    age_mark = models.CharField(
        _("знак информационной продукции"), max_length=3, choices=AgeMark.choices, blank=True
    )
    material_type = models.CharField(
        _("вид материала"), max_length=20, choices=MaterialType.choices, default=MaterialType.BOOK
    )
    links = models.JSONField(_("электронные ресурсы"), default=list, blank=True)
    # Editions of one work share it (polka.catalog.works): search groups them, the record page
    # lists them. Computed from the mapping whenever the record is stored.
    work_key = models.CharField(_("ключ произведения"), max_length=255, blank=True, default="")

    edited = models.BooleanField(_("изменена после импорта"), default=False)
    created_at = models.DateTimeField(_("создана"))
    updated_at = models.DateTimeField(_("изменена"))

    class Meta:
        verbose_name = _("библиографическая запись")
        verbose_name_plural = _("библиографические записи")
        # New arrivals (home page, browse) read the newest rows straight off this index
        # instead of sorting the whole catalogue.
        indexes = [
            models.Index(fields=["created_at", "id"], name="catalog_record_created"),
            # A work's editions newest first, the latest catalogued first within a year, read
            # off the index unsorted (SQLite appends the id itself; PostgreSQL needs it named,
            # and reads a second index with the undated last: catalog migration 0010).
            models.Index(fields=["work_key", "year", "id"], name="catalog_record_work_year_id"),
        ]

    def __str__(self) -> str:
        return self.title


PERSON_KEY_LENGTH = 400


def work_digest(key: str) -> int:
    """A record's work key as a signed 64-bit number (0 without one), small enough for the
    authorships' index: a person's records of another work are told apart there, without
    reading each record (RecordAuthor.work_digest)."""
    if not key:
        return 0
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


def person_key(name: str, dates: str = "") -> str:
    """How two headings are known to name one person: the name without case, punctuation or
    ё/е difference, plus the dates' digits ("Толстой, Лев Николаевич, 1828-1910.")."""
    normal = unicodedata.normalize("NFKC", name).casefold().replace("ё", "е")
    normal = " ".join(re.split(r"[\W_]+", normal)).strip()
    digits = re.sub(r"[^\d-]+", "", dates).strip("-")
    return f"{normal}|{digits}"[:PERSON_KEY_LENGTH]


class Person(models.Model):
    """A person authority: a name and its variant forms; dates feed the literary calendar."""

    # Normalised name + dates (see importing.person_key): one row per person however many
    # records name them, found in one query per import batch.
    key = models.CharField(_("ключ"), max_length=PERSON_KEY_LENGTH, unique=True)
    name = models.CharField(_("имя"), max_length=300, db_index=True)
    name_forms = models.JSONField(_("варианты имени"), default=list, blank=True)
    dates = models.CharField(_("даты (как в записи)"), max_length=100, blank=True)
    birth_year = models.SmallIntegerField(_("год рождения"), null=True, blank=True)
    birth_date = models.DateField(_("дата рождения"), null=True, blank=True)
    death_year = models.SmallIntegerField(_("год смерти"), null=True, blank=True)
    death_date = models.DateField(_("дата смерти"), null=True, blank=True)
    # A body (110/710, RUSMARC 710-712) rather than a person: no dates for the calendar.
    corporate = models.BooleanField(_("организация"), default=False)

    class Meta:
        verbose_name = _("персона")
        verbose_name_plural = _("персоны")
        ordering = ["name"]
        indexes = [
            # The literary calendar's round anniversaries: the people born (died) in a list of
            # years, read off these instead of every person (polka.litcal.selectors._people).
            models.Index(fields=["birth_year"], name="catalog_person_birth_year"),
            models.Index(fields=["death_year"], name="catalog_person_death_year"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Rows made without the services (fixtures, the admin) still get their dedup key.
        if not self.key:
            self.key = person_key(self.name, self.dates)
        super().save(*args, **kwargs)


class RecordAuthor(models.Model):
    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="authorships")
    # No index of its own: catalog_author_person_year begins with it. A second one cost an
    # import another page written a row at random once the catalogue is large.
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, related_name="authorships", db_index=False
    )
    role = models.CharField(_("роль"), max_length=50, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # The record's year, written with the authorships (services._links_store rewrites them
    # whenever the record is stored): an author page reads a person's records newest first off
    # catalog_author_person_year instead of reading and sorting every one of them (96,460 for
    # one heading of the 1,000,000-record bench: 0.5 s for the first page, 5.7 s for the 2,000th).
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    # The record's work key as work_digest() gives it, written with the year: "other books by
    # these authors" passes over the editions of the record's own work inside the index,
    # instead of reading each of them to leave it out (an author whose newest 200 records were
    # editions of one work had no other books listed).
    work_digest = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["position"]
        indexes = [
            # A person's records newest first without reading the others (the author page,
            # "other books" on a record page). As the migrations write it: on PostgreSQL in the
            # order NULLS LAST asks for, which SQLite's indexes cannot say, with the work digest
            # INCLUDEd; on SQLite, which has no INCLUDE, with the digest as a fourth column
            # (0013, 0014).
            models.Index(fields=["person", "year", "record"], name="catalog_author_person_year"),
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ({self.role})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Rows made without the services (fixtures, tests) still carry their record's year and
        # work.
        if self.record_id is not None and (self.year is None or not self.work_digest):
            for name, value in self.copied_from(self.record).items():
                setattr(self, name, value)
        super().save(*args, **kwargs)

    @staticmethod
    def copied_from(record: Record) -> dict[str, Any]:
        """What an authorship copies from its record (year, work_digest): the services write
        it with every authorship, save() for rows made otherwise."""
        return {"year": record.year, "work_digest": work_digest(record.work_key)}


class RecordIsbn(models.Model):
    """One normalised ISBN of a record, indexed, so that --match isbn is one query per batch."""

    # Looked up by the unique constraint's index, which begins with the record.
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="isbn_keys", db_index=False
    )
    isbn = models.CharField(_("ISBN"), max_length=13, db_index=True)

    class Meta:
        verbose_name = _("ISBN записи")
        verbose_name_plural = _("ISBN записей")
        constraints = [
            models.UniqueConstraint(fields=["record", "isbn"], name="catalog_isbn_once_per_record")
        ]

    def __str__(self) -> str:
        return self.isbn


class ItemStatus(models.TextChoices):
    AVAILABLE = "available", _("на полке")
    ON_LOAN = "on_loan", _("выдан")
    IN_TRANSIT = "in_transit", _("в пути")
    ON_HOLD = "on_hold", _("ждёт читателя")
    REFERENCE = "reference", _("только в читальном зале")
    PROCESSING = "processing", _("в обработке")
    LOST = "lost", _("утерян")
    DAMAGED = "damaged", _("повреждён")
    WITHDRAWN = "withdrawn", _("списан")


class AcquisitionSource(models.TextChoices):
    """Where a copy came from, as the accession register («книга суммарного учёта») counts."""

    PURCHASE = "purchase", _("покупка")
    GIFT = "gift", _("дар")
    LEGAL_DEPOSIT = "deposit", _("обязательный экземпляр")
    GRANT = "grant", _("грант, целевая программа")
    OTHER = "other", _("иное")


class Carrier(models.TextChoices):
    """The carrier types of form 6-НК (section 2)."""

    PRINT = "print", _("печатные издания")
    MANUSCRIPT = "manuscript", _("рукописи")
    AUDIOVISUAL = "av", _("аудиовизуальные документы")
    MICROFORM = "microform", _("микроформы")
    ELECTRONIC = "electronic", _("документы на съёмных носителях")
    ACCESSIBLE = "accessible", _("в доступных форматах (шрифт Брайля, «говорящие книги»)")
    OTHER = "other", _("иные документы")


class Item(models.Model):
    """A physical copy held by a branch."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="items")
    branch = models.ForeignKey(Branch, on_delete=models.PROTECT, related_name="items")
    barcode = models.CharField(_("штрихкод"), max_length=50, unique=True)
    inventory_number = models.CharField(_("инвентарный номер"), max_length=50, blank=True)
    shelf_mark = models.CharField(_("шифр хранения"), max_length=100, blank=True)
    location = models.CharField(_("место в библиотеке"), max_length=100, blank=True)
    item_type = models.CharField(_("тип экземпляра"), max_length=50, blank=True)
    status = models.CharField(
        _("статус"),
        max_length=20,
        choices=ItemStatus.choices,
        default=ItemStatus.AVAILABLE,
        db_index=True,
    )
    price = models.DecimalField(_("цена"), max_digits=10, decimal_places=2, null=True, blank=True)
    acquired_on = models.DateField(_("дата поступления"), null=True, blank=True)
    acquisition_source = models.CharField(
        _("источник поступления"), max_length=10, choices=AcquisitionSource.choices, blank=True
    )
    acquisition_act = models.CharField(_("номер записи КСУ"), max_length=50, blank=True)
    carrier = models.CharField(
        _("вид носителя"), max_length=12, choices=Carrier.choices, default=Carrier.PRINT
    )
    language = models.CharField(_("язык экземпляра"), max_length=10, blank=True)
    note = models.TextField(_("служебная заметка"), blank=True)
    withdrawn_at = models.DateTimeField(_("списан"), null=True, blank=True)
    withdrawal_reason = models.CharField(_("причина списания"), max_length=300, blank=True)
    withdrawal_act = models.CharField(_("номер акта списания"), max_length=50, blank=True)
    created_at = models.DateTimeField(_("создан"), null=True, blank=True)

    class Meta:
        verbose_name = _("экземпляр")
        verbose_name_plural = _("экземпляры")
        indexes = [
            models.Index(fields=["record", "status"]),
            models.Index(fields=["branch", "acquired_on"], name="catalog_item_accession"),
            models.Index(fields=["branch", "withdrawn_at"], name="catalog_item_withdrawal"),
        ]

    def __str__(self) -> str:
        return self.barcode


class ItemEvent(models.Model):
    """The history of a copy: added, moved between branches, withdrawn."""

    class Action(models.TextChoices):
        ADDED = "added", _("добавлен")
        MOVED = "moved", _("перемещён")
        WITHDRAWN = "withdrawn", _("списан")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("действие"), max_length=20, choices=Action.choices)
    at = models.DateTimeField(_("когда"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("кто"),
    )
    from_branch = models.ForeignKey(
        Branch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    to_branch = models.ForeignKey(
        Branch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.CharField(_("примечание"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("событие экземпляра")
        verbose_name_plural = _("события экземпляров")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class RevisionAction(models.TextChoices):
    CREATED = "created", _("создана")
    UPDATED = "updated", _("изменена")
    IMPORTED = "imported", _("обновлена импортом")
    REVERTED = "reverted", _("возвращена к версии")


class RecordRevision(models.Model):
    """Who changed a record, when, and the source it had before (for history and revert)."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="revisions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    at = models.DateTimeField()
    action = models.CharField(max_length=20, choices=RevisionAction.choices)
    summary = models.TextField(blank=True)
    source_before = models.BinaryField(null=True, blank=True)
    encoding_before = models.CharField(max_length=20, blank=True)
    edited_before = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("версия записи")
        verbose_name_plural = _("версии записей")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"


class ImportStatus(models.TextChoices):
    RUNNING = "running", _("идёт")
    FINISHED = "finished", _("завершён")
    FAILED = "failed", _("прерван ошибкой")


class ImportRun(models.Model):
    """One `polka import` run, for auditing: what was read, when, and what came of it.

    A run killed halfway stays "running"; the batches it committed are complete records and
    a new run over the same files finds them by fingerprint.
    """

    files = models.JSONField(_("файлы"), default=list)
    options = models.JSONField(_("параметры"), default=dict, blank=True)
    started_at = models.DateTimeField(_("начат"))
    finished_at = models.DateTimeField(_("завершён"), null=True, blank=True)
    status = models.CharField(
        _("состояние"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.RUNNING
    )
    read = models.PositiveIntegerField(_("прочитано"), default=0)
    created = models.PositiveIntegerField(_("создано"), default=0)
    updated = models.PositiveIntegerField(_("обновлено"), default=0)
    unchanged = models.PositiveIntegerField(_("без изменений"), default=0)
    skipped = models.PositiveIntegerField(_("пропущено"), default=0)
    repaired = models.PositiveIntegerField(_("исправлено"), default=0)
    error = models.TextField(_("ошибка"), blank=True)

    class Meta:
        verbose_name = _("импорт")
        verbose_name_plural = _("импорты")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {', '.join(self.files)}"


class AnnotatedBook(models.Model):
    """A catalogue book on a curated list (an exhibition, «the librarian recommends»): with
    an annotation (sanitised HTML) and its place on the list. The list is the subclass's
    foreign key."""

    record = models.ForeignKey(Record, on_delete=models.CASCADE, related_name="+")
    annotation = models.TextField(_("аннотация"), blank=True)  # sanitised HTML
    position = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return str(self.record)
