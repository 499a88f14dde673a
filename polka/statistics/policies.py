"""The age bands the statistics count in: form 6-НК's (up to 14 inclusive, 15–30, older) and the
finer ones a library's diary may choose (settings.POLKA_DIARY_AGE_BANDS, lower bounds)."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

# The lower bounds of the diary's bands when the settings name none: 0–6, 7–9, 10–14, 15–17,
# 18–35, 36–55, 56 and older.
DEFAULT_DIARY_BANDS = (0, 7, 10, 15, 18, 36, 56)
FORM_BANDS = (0, 15, 31)
# The 6-НК band codes the circulation facts carry when they have no age.
FORM_BAND_CODES = ("0-14", "15-30", "31+")
UNKNOWN = "?"


@dataclass(frozen=True)
class Bands:
    """Age bands by their lower bounds; a band's label is "7–9" or "56+"."""

    bounds: tuple[int, ...]

    @functools.cached_property
    def labels(self) -> list[str]:
        out = []
        for i, low in enumerate(self.bounds):
            high = self.bounds[i + 1] - 1 if i + 1 < len(self.bounds) else None
            out.append(f"{low}–{high}" if high is not None else f"{low}+")
        return out

    def label_of(self, age: int | None, form_band: str = "") -> str:
        """The band of an age; without an age, a 6-НК band code is enough for the 6-НК bands
        (and for any band that contains it whole)."""
        if age is None:
            if form_band in FORM_BAND_CODES:
                return self._containing(FORM_BAND_CODES.index(form_band))
            return UNKNOWN
        index = 0
        for i, low in enumerate(self.bounds):
            if age >= low:
                index = i
        return self.labels[index]

    def _containing(self, form_index: int) -> str:
        low = FORM_BANDS[form_index]
        high = FORM_BANDS[form_index + 1] - 1 if form_index + 1 < len(FORM_BANDS) else 999
        for i, label in enumerate(self.labels):
            start = self.bounds[i]
            end = self.bounds[i + 1] - 1 if i + 1 < len(self.bounds) else 999
            if start <= low and high <= end:
                return label
        return UNKNOWN


def form_bands() -> Bands:
    return Bands(FORM_BANDS)


def diary_bands(bounds: Sequence[int] | None = None) -> Bands:
    chosen = bounds or getattr(settings, "POLKA_DIARY_AGE_BANDS", None) or DEFAULT_DIARY_BANDS
    cleaned = sorted({int(b) for b in chosen} | {0})
    return Bands(tuple(cleaned))


def form_band_of(*, age_from: int | None, age_to: int | None) -> str:
    """The 6-НК band code of a hand entry's age range, when the range falls in one band."""
    if age_from is None:
        return ""
    top = age_to if age_to is not None else 999
    for i, low in enumerate(FORM_BANDS):
        high = FORM_BANDS[i + 1] - 1 if i + 1 < len(FORM_BANDS) else 999
        if low <= age_from and top <= high:
            return FORM_BAND_CODES[i]
    return ""
