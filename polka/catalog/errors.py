"""Named catalogue errors; messages are shown to people, so they are translated."""

from __future__ import annotations

from django.utils.translation import gettext as _

from polka.core.errors import PolkaError


class CatalogError(PolkaError):
    """Base of every catalogue error; `message` is ready to show to a person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ItemsWithoutBranch(CatalogError):
    def __init__(self, branch_codes: list[str]) -> None:
        super().__init__(
            _(
                "Для экземпляров не найдена библиотека (%(codes)s), "
                "а библиотека по умолчанию не задана."
            )
            % {"codes": ", ".join(code or "—" for code in branch_codes)}
        )
        self.branch_codes = branch_codes


class BarcodeTaken(CatalogError):
    def __init__(self, barcode: str) -> None:
        super().__init__(_("Штрихкод %(barcode)s уже занят.") % {"barcode": barcode})
        self.barcode = barcode


class BarcodeRequired(CatalogError):
    def __init__(self) -> None:
        super().__init__(_("У экземпляра должен быть штрихкод."))


class ItemAlreadyWithdrawn(CatalogError):
    def __init__(self, barcode: str) -> None:
        super().__init__(_("Экземпляр %(barcode)s уже списан.") % {"barcode": barcode})
        self.barcode = barcode


class ItemOnLoan(CatalogError):
    def __init__(self, barcode: str) -> None:
        super().__init__(
            _("Экземпляр %(barcode)s выдан читателю; сначала оформите возврат.")
            % {"barcode": barcode}
        )
        self.barcode = barcode


class RevisionHasNoSource(CatalogError):
    def __init__(self) -> None:
        super().__init__(_("У этой версии нет сохранённой записи, вернуться к ней нельзя."))


class UnknownBranch(CatalogError):
    def __init__(self, code: str) -> None:
        super().__init__(_("Библиотека с кодом «%(code)s» не найдена.") % {"code": code})
        self.code = code


class ImportFileMissing(CatalogError):
    def __init__(self, path: str) -> None:
        super().__init__(_("Файл не найден: %(path)s") % {"path": path})
        self.path = path


class ImportOptionInvalid(CatalogError):
    pass


class ExportMixedFlavours(CatalogError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "В выборке есть записи MARC21 и RUSMARC; один файл MARCXML вмещает только "
                "одну схему. Укажите --flavour marc21 или --flavour rusmarc."
            )
        )


class PersonDatesInvalid(CatalogError):
    def __init__(self, name: str) -> None:
        super().__init__(
            _(
                "Даты жизни «%(name)s» противоречат друг другу или году в записи: проверьте год "
                "рождения и год смерти."
            )
            % {"name": name}
        )


class ImportReaderFailed(CatalogError):
    """The process reading a large import ahead stopped; the batches stored so far stay."""

    def __init__(self, detail: str) -> None:
        super().__init__(_("Чтение файлов импорта прервалось: %(detail)s") % {"detail": detail})
        self.detail = detail
