"""ISBN and ISSN validation and normalisation (ISBN-13 without hyphens; ISSN as NNNN-NNNC)."""

from __future__ import annotations

import re

# The number is the first run of digits, hyphens and spaces (an X may end it); anything after it
# is a qualifier such as "(pbk.)" or ": 150 р.".
_ISBN_TOKEN = re.compile(r"(?:[0-9][0-9\- ]*[0-9Xx]|[0-9])(?![0-9Xx])")
_ISSN_TOKEN = re.compile(r"(\d{4})\s*-?\s*(\d{3}[\dXx])")


def isbn10_check_digit(first9: str) -> str:
    total = sum((10 - i) * int(d) for i, d in enumerate(first9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def isbn13_check_digit(first12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first12))
    return str((10 - total % 10) % 10)


def normalise_isbn(raw: str) -> str | None:
    """The ISBN in `raw` as 13 digits, or None when it is not a valid ISBN-10 or ISBN-13.

    >>> normalise_isbn("5-7443-0043-0")
    '9785744300430'
    """
    match = _ISBN_TOKEN.search(raw)
    if match is None:
        return None
    digits = match.group().replace("-", "").replace(" ", "").upper()
    if len(digits) == 10:
        if not digits[:9].isdigit() or isbn10_check_digit(digits[:9]) != digits[9]:
            return None
        first12 = "978" + digits[:9]
        return first12 + isbn13_check_digit(first12)
    if len(digits) == 13 and digits.isdigit() and digits[:3] in ("978", "979"):
        return digits if isbn13_check_digit(digits[:12]) == digits[12] else None
    return None


def normalise_issn(raw: str) -> str | None:
    """The ISSN in `raw` as "NNNN-NNNC", or None when the check digit is wrong."""
    match = _ISSN_TOKEN.search(raw)
    if match is None:
        return None
    digits = (match.group(1) + match.group(2)).upper()
    total = sum((8 - i) * int(d) for i, d in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    if digits[7] != ("X" if check == 10 else str(check)):
        return None
    return f"{digits[:4]}-{digits[4:]}"
