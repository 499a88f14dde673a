"""Text rules of ГОСТ Р 7.0.100-2018: name forms ("Толстой, Л. Н.") and ISBD punctuation."""

from __future__ import annotations

import re

_HAS_DIGIT = re.compile(r"\d")


def _parts(name: str) -> tuple[str, str, list[str]]:
    """Surname, given names, and trailing qualifiers ("Jr."); dates are dropped."""
    pieces = [p.strip() for p in name.split(",")]
    family = pieces[0]
    given = pieces[1] if len(pieces) > 1 else ""
    rest = [p for p in pieces[2:] if p and not _HAS_DIGIT.search(p)]
    return family, given, rest


def _initial(word: str) -> str:
    if "-" in word.strip("-"):
        return "-".join(_initial(w) for w in word.split("-") if w)
    if word.endswith(".") or word.startswith("(") or word[:1].islower():
        # Already an initial ("Дж."), a qualifier ("(отец)") or a particle ("van").
        return word
    return word[0] + "."


def initials(given: str) -> str:
    # "Л.Н." written without spaces is two initials.
    words = given.replace(".", ". ").split()
    return " ".join(_initial(w) for w in words)


def surname(name: str) -> str:
    return _parts(name)[0]


def initials_inverted(name: str) -> str:
    """Heading form: surname, comma, initials ("Толстой, Л. Н.")."""
    family, given, rest = _parts(name)
    text = f"{family}, {initials(given)}" if given else family
    return ", ".join([text, *rest])


def initials_direct(name: str) -> str:
    """Statement-of-responsibility form: initials before the surname ("Л. Н. Толстой")."""
    family, given, rest = _parts(name)
    text = f"{initials(given)} {family}" if given else family
    return ", ".join([text, *rest])


_TRAILING_ISBD = re.compile(r"[\s:/;=,]+$")
# Words whose full stop is part of the word: a final "." after them stays.
_ABBREVIATED = (
    "др ил изд доп испр перераб вып кн ред пер сост англ нем фр франц авт ун-та гг вв обл "
    "учеб науч портр табл факс карт схем цв илл прил etc ed eds rev enl ill pp vol jr"
)
ABBREVIATIONS = frozenset(_ABBREVIATED.split())


def clean(value: str | None) -> str:
    """Strip the ISBD punctuation MARC leaves at the end of a subfield ("Заглавие :", "Т. 1.").

    A final full stop goes too, unless it closes an initial or an abbreviation ("и др.").
    """
    text = " ".join((value or "").split())
    text = _TRAILING_ISBD.sub("", text)
    if text.endswith(".") and not text.endswith(".."):
        last = text.rsplit(" ", 1)[-1][:-1]
        if not ((len(last) == 1 and last.isalpha()) or last.lower() in ABBREVIATIONS):
            text = text[:-1]
    return text


AREA_SEPARATOR = ". – "
# Abbreviations, ellipses and question marks already close an element: no second full stop.
CLOSING = (".", "?", "!", "…")


def join_areas(areas: list[str]) -> str:
    """Areas joined by «. – », the full stop left out after one that already ends with it."""
    text = ""
    for area in (a for a in areas if a):
        if text:
            text += " – " if text.endswith(CLOSING) else AREA_SEPARATOR
        text += area
    return text
