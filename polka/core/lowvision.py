"""The low-vision version («версия для слабовидящих», ГОСТ Р 52872-2019): text size, colour
scheme, images, spacing and font chosen by the reader, kept in a cookie and applied on the
server as classes on <body>, so it works without JavaScript."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

COOKIE = "polka_low_vision"
# Each setting: its choices in order (the first is the default) with their labels.
SETTINGS: dict[str, tuple[tuple[str, object], ...]] = {
    "size": (
        ("130", _("крупный (130 %)")),
        ("160", _("очень крупный (160 %)")),
        ("200", _("наибольший (200 %)")),
    ),
    "scheme": (
        ("bw", _("чёрным по белому")),
        ("wb", _("белым по чёрному")),
        ("blue", _("тёмно-синим по голубому")),
        ("brown", _("коричневым по бежевому")),
    ),
    "images": (("on", _("показывать")), ("grey", _("чёрно-белые")), ("off", _("не показывать"))),
    "spacing": (("normal", _("обычные")), ("wide", _("увеличенные"))),
    "font": (("sans", _("без засечек")), ("serif", _("с засечками"))),
}
LABELS = {
    "size": _("Размер шрифта"),
    "scheme": _("Цвета"),
    "images": _("Изображения"),
    "spacing": _("Интервалы между буквами и строками"),
    "font": _("Шрифт"),
}


def parse(value: str) -> dict[str, str]:
    """Settings from the cookie; anything unknown falls back to the default."""
    given = dict(part.split("=", 1) for part in value.split(";") if "=" in part)
    return {
        name: given[name] if given.get(name) in {c for c, _label in choices} else choices[0][0]
        for name, choices in SETTINGS.items()
    }


def from_form(data: dict[str, str]) -> dict[str, str]:
    """The settings a submitted form chose (unknown values: the defaults)."""
    return parse(";".join(f"{name}={data.get(name, '')}" for name in SETTINGS))


def serialise(chosen: dict[str, str]) -> str:
    return ";".join(f"{name}={value}" for name, value in chosen.items())


def low_vision(request: HttpRequest) -> dict[str, str] | None:
    value = request.COOKIES.get(COOKIE)
    return parse(value) if value else None


def body_classes(chosen: dict[str, str] | None) -> str:
    if chosen is None:
        return ""
    return " ".join(["lv", *(f"lv-{name}-{value}" for name, value in chosen.items())])
