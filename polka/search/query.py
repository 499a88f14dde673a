"""Parse what a reader types into clauses the engines compile: words, "exact phrases", field
prefixes (автор:, заглавие:, тема:, isbn:, год:1990-2000). Pure; no Django.

Every clause is an OR of variants, each variant a sequence of stems (a phrase when longer than
one). The first parse has the words' stems and, for names, their name keys (analysis.name_key);
the retry after no hits adds the keyboard layout and transliteration spellings as further
variants.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from polka.search.analysis import (
    STOPWORDS,
    fix_layout,
    isbn_forms,
    normalize,
    query_variants,
    tokenize,
    transliterate_variants,
)

FIELD_ALIASES = {
    "автор": "authors",
    "author": "authors",
    "заглавие": "title",
    "название": "title",
    "title": "title",
    "тема": "subjects",
    "subject": "subjects",
    "isbn": "isbn",
    "год": "year",
    "year": "year",
}
# How a field is written back into a query string (corrected queries are shown to people).
_FIELD_PREFIX = {"authors": "автор", "title": "заглавие", "subjects": "тема", "other": "isbn"}

_PIECE = re.compile(
    r'(?P<field>[^\s:"]+):(?:"(?P<fphrase>[^"]*)"?|(?P<fvalue>[^\s"]+))'
    r'|"(?P<phrase>[^"]*)"?'
    r"|(?P<word>[^\s\"]+)"
)
_YEARS = re.compile(r"(\d{4})?\s*(?:[-–—.]+\s*(\d{4})?)?")


@dataclass(frozen=True)
class Clause:
    raw: str
    words: tuple[str, ...]
    variants: tuple[tuple[str, ...], ...]
    field: str | None = None  # title, authors, subjects, other; None: any field
    phrase: bool = False
    literal: bool = False  # an ISBN: matched as typed, never respelled

    @property
    def is_stopword(self) -> bool:
        return not self.phrase and len(self.words) == 1 and self.words[0] in STOPWORDS

    def text(self) -> str:
        body = " ".join(self.words)
        if self.phrase:
            body = f'"{body}"'
        if self.field:
            body = f"{_FIELD_PREFIX[self.field]}:{body}"
        return body


@dataclass(frozen=True)
class ParsedQuery:
    raw: str
    clauses: tuple[Clause, ...] = ()
    year_from: int | None = None
    year_to: int | None = None

    def active_clauses(self) -> tuple[Clause, ...]:
        """Clauses to match: stopwords are left out unless nothing else remains."""
        meaningful = tuple(c for c in self.clauses if not c.is_stopword)
        return meaningful or self.clauses

    def text(self) -> str:
        parts = [clause.text() for clause in self.clauses]
        if self.year_from and self.year_from == self.year_to:
            parts.append(f"год:{self.year_from}")
        elif self.year_from or self.year_to:
            parts.append(f"год:{self.year_from or ''}-{self.year_to or ''}")
        return " ".join(parts)


def _word_clause(raw: str, word: str, field_name: str | None) -> Clause:
    return Clause(raw=raw, words=(word,), variants=query_variants([word]), field=field_name)


def _text_clauses(raw: str, field_name: str | None, phrase: bool) -> list[Clause]:
    words = tokenize(raw)
    if not words:
        return []
    if (phrase or " " not in raw.strip()) and len(words) > 1:
        # Quoted words, or one typed word that punctuation splits ("O'Brien", "т.1", or
        # ",tccs" — бесы in the wrong layout, kept whole so that it can be retyped).
        variants = query_variants(words)
        return [Clause(raw, tuple(words), variants, field=field_name, phrase=True)]
    return [_word_clause(word if len(words) > 1 else raw, word, field_name) for word in words]


def _isbn_clause(raw: str, forms: list[str]) -> Clause:
    return Clause(
        raw=raw,
        words=(forms[0].lower(),),
        variants=tuple((form.lower(),) for form in forms),
        field="other",
        literal=True,
    )


def parse_query(raw: str) -> ParsedQuery:
    clauses: list[Clause] = []
    year_from = year_to = None
    for match in _PIECE.finditer(raw):
        prefix = match.group("field")
        field_name = FIELD_ALIASES.get(normalize(prefix)) if prefix else None
        if prefix and field_name is None:  # "Война:" is a word followed by a colon
            value = match.group("fphrase") if match.group("fphrase") is not None else ""
            clauses.extend(
                _text_clauses(prefix + " " + (value or match.group("fvalue") or ""), None, False)
            )
            continue
        if field_name:
            value = match.group("fphrase") or match.group("fvalue") or ""
            if field_name == "year":
                years = _YEARS.fullmatch(value.strip())
                if years and (years.group(1) or years.group(2)):
                    year_from = int(years.group(1)) if years.group(1) else None
                    single = "-" not in value and "–" not in value and "—" not in value
                    year_to = (
                        int(years.group(2)) if years.group(2) else (year_from if single else None)
                    )
                continue
            if field_name == "isbn":
                forms = isbn_forms(value)
                if forms:
                    clauses.append(_isbn_clause(value, forms))
                else:
                    clauses.extend(_text_clauses(value, "other", True))
                continue
            clauses.extend(_text_clauses(value, field_name, match.group("fphrase") is not None))
            continue
        if match.group("phrase") is not None:
            clauses.extend(_text_clauses(match.group("phrase"), None, True))
            continue
        word = match.group("word")
        forms = isbn_forms(word)
        clauses.append(_isbn_clause(word, forms)) if forms else clauses.extend(
            _text_clauses(word, None, False)
        )
    return ParsedQuery(raw=raw, clauses=tuple(clauses), year_from=year_from, year_to=year_to)


def respelling_words(clause: Clause) -> list[list[str]]:
    """The clause's words typed in the other keyboard layout, then in the other alphabet."""
    spellings: list[list[str]] = [tokenize(fix_layout(clause.raw))]
    if len(clause.words) == 1:
        spellings.extend([v] for v in transliterate_variants(clause.words[0]))
    else:
        spellings.append([transliterate_variants(w)[0] for w in clause.words])
    return spellings


def _respellings(clause: Clause) -> list[tuple[str, ...]]:
    """Stem sequences for the same clause typed in the wrong layout or the other alphabet."""
    variants: list[tuple[str, ...]] = []
    for words in respelling_words(clause):
        for stems in query_variants(words) if words else ():
            if stems not in clause.variants and stems not in variants:
                variants.append(stems)
    return variants


def with_respellings(parsed: ParsedQuery) -> ParsedQuery:
    """The same query where every word may also be its layout-fixed or transliterated form."""
    clauses = tuple(
        clause
        if clause.literal
        else replace(clause, variants=clause.variants + tuple(_respellings(clause)))
        for clause in parsed.clauses
    )
    return replace(parsed, clauses=clauses)


def with_words(parsed: ParsedQuery, new_words: dict[int, list[str]]) -> ParsedQuery:
    """The query with the words of some clauses (by position) replaced: a spelling fix or
    the respelling that found something, shown back to the reader."""
    clauses = list(parsed.clauses)
    for index, words in new_words.items():
        clause = clauses[index]
        clauses[index] = replace(
            clause,
            words=tuple(words),
            variants=query_variants(words),
            phrase=clause.phrase and len(words) > 1,
        )
    return replace(parsed, clauses=tuple(clauses))
