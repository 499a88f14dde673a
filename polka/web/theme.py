"""The network's identity from settings: name, logo and accent colour. The accent is darkened
until it keeps the design system's contrast (4.5:1 with white), so any colour a network picks
leaves links and buttons readable."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

DEFAULT_ACCENT = "#0b5394"
MIN_CONTRAST = 4.5


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[int, int, int]:
    text = colour.strip().lstrip("#")
    if len(text) == 3:
        text = "".join(ch * 2 for ch in text)
    if len(text) != 6:
        raise ValueError(colour)
    return int(text[0:2], 16), int(text[2:4], 16), int(text[4:6], 16)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def luminance(colour: str) -> float:
    r, g, b = _rgb(colour)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two colours."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def mix(colour: str, other: str, share: float) -> str:
    """`colour` moved `share` (0..1) of the way towards `other`."""
    a, b = _rgb(colour), _rgb(other)
    r, g, bl = (round(x + (y - x) * share) for x, y in zip(a, b, strict=True))
    return _hex((r, g, bl))


def readable_on_white(colour: str) -> str:
    """The colour itself if it reaches 4.5:1 on white, else the nearest darker shade that does."""
    try:
        current = _hex(_rgb(colour))
    except ValueError:
        return DEFAULT_ACCENT
    step = 0
    while contrast(current, "#ffffff") < MIN_CONTRAST and step < 20:
        step += 1
        current = mix(colour, "#000000", step * 0.05)
    return current


@dataclass(frozen=True)
class Theme:
    name: str
    logo: str
    accent: str
    accent_strong: str
    accent_soft: str

    @property
    def customised(self) -> bool:
        return self.accent != DEFAULT_ACCENT


def theme_current(*, network_name: str | None) -> Theme:
    """Name: POLKA_SITE_NAME, else the network's, else «Polka». Logo: POLKA_SITE_LOGO (a static
    path or an address; empty: the built-in mark). Accent: POLKA_ACCENT_COLOR."""
    accent = readable_on_white(getattr(settings, "POLKA_ACCENT_COLOR", "") or DEFAULT_ACCENT)
    return Theme(
        name=getattr(settings, "POLKA_SITE_NAME", "") or network_name or "Polka",
        logo=getattr(settings, "POLKA_SITE_LOGO", "") or "",
        accent=accent,
        accent_strong=mix(accent, "#000000", 0.3),
        accent_soft=mix(accent, "#ffffff", 0.9),
    )
