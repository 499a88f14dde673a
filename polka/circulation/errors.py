"""Named errors of circulation; messages are shown at the desk and to readers, so translated.

`overridable` errors are library rules a librarian may set aside with a reason (logged);
the others are facts (no such copy, already on loan, branch closed) that no one can override.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import formats
from django.utils.translation import gettext as _

from polka.core.errors import PolkaError


class CirculationError(PolkaError):
    message: str = ""
    overridable = False
    http_status = 409  # the reader or copy is not in a state that allows it

    def __str__(self) -> str:
        return self.message


class TransitionNotAllowed(CirculationError):
    def __init__(self, *, action: str, state: str) -> None:
        self.action, self.state = action, state
        self.message = _("Это действие сейчас недоступно (состояние «%(state)s»).") % {
            "state": state or "—"
        }


class ItemNotFound(CirculationError):
    http_status = 404

    def __init__(self, barcode: str) -> None:
        self.barcode = barcode
        self.message = _("Экземпляра со штрихкодом %(barcode)s нет в каталоге.") % {
            "barcode": barcode
        }


class ReaderNotFound(CirculationError):
    http_status = 404

    def __init__(self, card: str) -> None:
        self.card = card
        self.message = _("Читателя с билетом %(card)s нет.") % {"card": card}


class ItemNotLendable(CirculationError):
    def __init__(self, *, barcode: str, status: str) -> None:
        self.barcode, self.status = barcode, status
        self.message = _("Экземпляр %(barcode)s выдать нельзя: он «%(status)s».") % {
            "barcode": barcode,
            "status": status,
        }


class ItemDamaged(CirculationError):
    def __init__(self, barcode: str) -> None:
        self.barcode = barcode
        self.message = _(
            "Экземпляр %(barcode)s отмечен повреждённым: после ремонта отметьте его "
            "отремонтированным, тогда он вернётся в фонд."
        ) % {"barcode": barcode}


class ItemAlreadyOnLoan(CirculationError):
    def __init__(self, barcode: str) -> None:
        self.barcode = barcode
        self.message = _("Экземпляр %(barcode)s уже выдан. Сначала примите его (возврат).") % {
            "barcode": barcode
        }


class ItemHeldForAnother(CirculationError):
    def __init__(self, barcode: str) -> None:
        self.barcode = barcode
        self.message = _("Экземпляр %(barcode)s отложен для другого читателя.") % {
            "barcode": barcode
        }


class ItemNotOnLoan(CirculationError):
    def __init__(self, barcode: str) -> None:
        self.barcode = barcode
        self.message = _("Экземпляр %(barcode)s не выдан.") % {"barcode": barcode}


class BranchClosed(CirculationError):
    def __init__(self, *, branch: str, on: dt.date) -> None:
        self.message = _("%(branch)s %(date)s не работает: выдача не оформляется.") % {
            "branch": branch,
            "date": formats.date_format(on, "j E"),
        }


class ReaderBlocked(CirculationError):
    overridable = True

    def __init__(self, reasons: Sequence[str]) -> None:
        self.reasons = list(reasons)
        self.message = _("Выдача заблокирована: %(reasons)s.") % {"reasons": "; ".join(reasons)}


class LoanLimitReached(CirculationError):
    overridable = True

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.message = _("У читателя уже %(limit)s книг на руках: больше по правилам нельзя.") % {
            "limit": limit
        }


class ReadingRoomOnly(CirculationError):
    overridable = True

    def __init__(self, barcode: str) -> None:
        self.barcode = barcode
        self.message = _("Экземпляр %(barcode)s выдаётся только в читальном зале.") % {
            "barcode": barcode
        }


class AgeRestricted(CirculationError):
    """The record's age mark (436-FZ) is above the reader's age."""

    overridable = True

    def __init__(self, *, mark: str, age: int) -> None:
        self.mark, self.age = mark, age
        self.message = _(
            "Издание с отметкой %(mark)s, а читателю %(age)s: нужно решение библиотекаря."
        ) % {"mark": mark, "age": age}


class RenewalRefused(CirculationError):
    overridable = True

    def __init__(self, message: str) -> None:
        self.message = message


class HoldRefused(CirculationError):
    def __init__(self, message: str) -> None:
        self.message = message


class HoldNotFound(CirculationError):
    def __init__(self) -> None:
        self.message = _("Такой брони нет.")
