"""Text analysis shared by indexing and querying: normalise, tokenise, stem, transliterate.

Pure functions (no Django). Both engines index the stems produced here, so SQLite and
PostgreSQL see exactly the same terms.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence

import Stemmer

# Combining marks are dropped (é → e, ё → е) except the breve that makes й out of и.
_MARKS = re.compile(r"(?<![иИ])[\u0300-\u036f]|[\u0300-\u0305\u0307-\u036f]")
_TOKEN = re.compile(r"[^\W_]+")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LATIN = re.compile(r"[a-z]")

_STOPWORDS = (
    "а в во и или к ко на не но о об обо от по с со у за из до для же ли бы "
    "a an the of and or in on to for with by at from"
)
STOPWORDS = frozenset(_STOPWORDS.split())


# Text made only of ASCII and the basic Russian alphabet needs no Unicode decomposition: the
# fast path for most catalogue text (indexing speed depends on it).
_NOT_PLAIN = re.compile(r"[^\x00-\x7f\u0410-\u044f\u0401\u0451«»–—№]")


# What a stored index was built with. Raise it when a change here makes words index otherwise
# (stems, name keys, facets): `polka upgrade` then rebuilds an index built with another one.
# 1: before versions were kept; 2 (6 December 2026): other texts carry name keys too;
# 3 (6 December 2026): a record's facet values once each (documents.py).
ANALYSIS_VERSION = 3


def tokenize(text: str) -> list[str]:
    """Normalised words: lowercase, ё folded to е and accents away, compatibility forms
    unified, split on everything that is not a letter or digit."""
    if _NOT_PLAIN.search(text):
        text = unicodedata.normalize("NFKD", text)
        text = unicodedata.normalize("NFC", _MARKS.sub("", text))
    return _TOKEN.findall(text.lower().replace("ё", "е"))


def normalize(text: str) -> str:
    return " ".join(tokenize(text))


def script_of(word: str) -> str:
    """'cyrillic', 'latin' or 'other' (digits, other alphabets)."""
    if _CYRILLIC.search(word):
        return "cyrillic"
    if _LATIN.search(word):
        return "latin"
    return "other"


@functools.cache
def _stemmer(language: str) -> Stemmer.Stemmer:
    stemmer = Stemmer.Stemmer(language)
    stemmer.maxCacheSize = 50_000
    return stemmer


@functools.lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem of one normalised word, the language picked by its script."""
    script = script_of(word)
    if script == "cyrillic":
        return str(_stemmer("russian").stemWord(word))
    if script == "latin":
        return str(_stemmer("english").stemWord(word))
    return word


def stem_words(words: Sequence[str]) -> list[str]:
    return [stem(word) for word in words]


# --- names ---------------------------------------------------------------------------------

# Snowball treats the surname suffix -ов/-ев as the genitive plural ending: «Обломов» stems to
# «облом» but «Обломова», «Обломову» to «обломов»; «Иван» to «ива», «Ивану» to «иван»; «Льва» keeps
# its fleeting vowel out. A name key is the base every case form of a Russian surname or given
# name shares, from the declension endings alone (no dictionary). Words of no name shape get none.
_CONSONANT = "бвгджзклмнпрстфхцчшщ"
_C = f"[{_CONSONANT}]"
_NAME_RULES = tuple(
    re.compile(rule)
    for rule in (
        # Достоевский/-ого/-ому/-им/-ом, Достоевская/-ой/-ую, Достоевские/-их; -цкий the same.
        r"(.{2,}[сц]к)(?:ий|ой|ого|ому|им|ом|ая|ую|ою|ие|их|ими)",
        # Обломов/-а/-у/-ым/-е, Обломова/-ой/-у, Обломовы/-ых; -ев, -ин, -ын the same.
        r"(.{2,}(?:ов|ев|ин|ын))(?:а|у|ым|ом|е|ой|ою|ы|ых|ыми)?",
        # Adjectival surnames: Толстой/-ого/-ому/-ым/-ом, Толстая/-ую; Горький; Юрий.
        rf"(.{{1,}}{_C})(?:ой|ый|ий|ая|ое|ые|ие|ого|ому|ым|им|ом|ую|ою|ых|их|ыми|ими)",
        # Юрия/-ю/-ем/-и, Мария/-и/-ей (the nominative -ий is the rule above).
        rf"(.{{1,}}{_C})и(?:я|ю|ем|и|е|ей)",
        # Наталья/-и/-е/-ей/-ю; Игорь/-я/-ю/-ем/-е; Сергей/-я/-ю/-ем/-е; Николай/-я/-ю/-ем/-е.
        rf"(.{{2,}}{_C})(?:ья|ьи|ье|ьей|ью|ь|я|ю|ем|е|ей|ея|ею|еем|ее|ай|ая|аю|аем|ае)",
        # Consonant stems and -а names: Иван/-а/-у/-ом/-е, Анна/-ы/-е/-у/-ой, Николаевич/-ем.
        rf"(.{{2,}}?{_C})(?:а|ы|и|у|ом|ем|е|ой|ою)?",
    )
)
# Given names with a fleeting vowel: Лев — Льва, Павел — Павла.
_FLEETING = {"льв": "лев", "павл": "павел"}
_FLEETING_ENDINGS = ("а", "у", "ом", "е")


@functools.lru_cache(maxsize=200_000)
def name_key(word: str) -> str | None:
    """The base shared by every case form of a Russian name (`обломов` for Обломов, Обломова,
    Обломову; `лев` for Лев, Льва), or None for a word of no name shape or not Cyrillic."""
    if len(word) < 3 or not _CYRILLIC.search(word):
        return None
    for base, nominative in _FLEETING.items():
        if word == nominative or (word.startswith(base) and word[len(base) :] in _FLEETING_ENDINGS):
            return nominative
    if len(word) < 4:
        return None
    for rule in _NAME_RULES:
        match = rule.fullmatch(word)
        if match:
            base = match.group(1)
            # A fleeting е before ц: Кравец — Кравца, Кравцу, Кравцом (the key puts it back).
            return base[:-1] + "ец" if base[-2] in _CONSONANT and base[-1] == "ц" else base
    return None


@functools.lru_cache(maxsize=200_000)
def stem_and_name_key(word: str) -> tuple[str, str | None]:
    """The word's stem, and its name key when there is one that differs from the stem."""
    stemmed = stem(word)
    key = name_key(word)
    return stemmed, (key if key != stemmed else None)


def query_variants(words: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    """The stem sequences words typed in a query can match: as stemmed, and (for names) as name
    keys, which match the keys indexed beside the stems (documents.py)."""
    stems = tuple(stem_words(words))
    keys = tuple(name_key(word) or stemmed for word, stemmed in zip(words, stems, strict=True))
    return (stems,) if keys == stems else (stems, keys)


def stems_with_name_keys(
    words: Sequence[str], vocabulary: dict[str, str] | None = None
) -> list[str]:
    """Stems of free text, then the name keys that differ from them (appended, so that phrases
    of stems stay intact): a text with «Обломов» is found by «Обломова» and «Обломову». With a
    `vocabulary`, the words go into it with their stems (the spelling vocabulary)."""
    stems: list[str] = []
    keys: list[str] = []
    for word in words:
        stemmed, key = stem_and_name_key(word)
        stems.append(stemmed)
        if key:
            keys.append(key)
        if vocabulary is not None and len(word) > 2 and not word.isdigit():
            vocabulary[word] = stemmed
    return stems + list(dict.fromkeys(keys)) if keys else stems


def analyze(text: str) -> list[str]:
    """Normalised, tokenised and stemmed, with the name keys: what goes into the index."""
    return stems_with_name_keys(tokenize(text))


# --- keyboard layout -------------------------------------------------------------------

_QWERTY = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`"
_JCUKEN = "йцукенгшщзхъфывапролджэячсмитьбюё"


def _layout_table(source: str, target: str) -> dict[int, str]:
    pairs = dict(zip(source, target, strict=True))
    # Capitals only where the key is a letter on both sides: "[" stays "х", never "Х".
    pairs.update(
        {
            a.upper(): b.upper()
            for a, b in zip(source, target, strict=True)
            if a.isalpha() and b.isalpha()
        }
    )
    return {ord(a): b for a, b in pairs.items()}


_TO_CYRILLIC = _layout_table(_QWERTY, _JCUKEN)
_TO_LATIN = _layout_table(_JCUKEN, _QWERTY)


def fix_layout(text: str) -> str:
    """Retype text as if the other keyboard layout (ЙЦУКЕН ↔ QWERTY) had been on.

    Works per whitespace-separated word on the raw input, before punctuation is stripped,
    because `,.;'[]` are letters on the Russian layout.
    """
    words = []
    for word in text.split():
        table = _TO_LATIN if _CYRILLIC.search(word) else _TO_CYRILLIC
        words.append(word.translate(table))
    return " ".join(words)


# --- transliteration -------------------------------------------------------------------

# Latin → Cyrillic, covering GOST 7.79 (system B), passport (ICAO) and the usual English
# spellings of Russian names. Keys ending in "$" only match at the end of a word, keys
# starting with "^" only at its start. Several alternatives: the first is the most likely.
# fmt: off
_LATIN_RULES: dict[str, tuple[str, ...]] = {
    "shch": ("щ",), "sch": ("щ", "ш"), "shh": ("щ",),
    "iya$": ("ия",), "iia$": ("ия",), "aia$": ("ая",), "oia$": ("оя",), "eia$": ("ея",),
    "zh": ("ж",), "kh": ("х",), "ch": ("ч",), "sh": ("ш",), "ts": ("ц", "тс"), "cz": ("ц",),
    "ya": ("я",), "ia$": ("ия",), "ia": ("я", "иа"), "ja": ("я",),
    "yu": ("ю",), "ju": ("ю",), "iu": ("ю",),
    "yye$": ("ые",), "ye$": ("ые", "е"), "oye$": ("ое",), "aye$": ("ае",), "eye$": ("ее",),
    "yo": ("е",), "jo": ("е",), "ye": ("е",), "je": ("е",),
    "iy$": ("ий",), "ij$": ("ий",), "ii$": ("ий",), "yy$": ("ый",), "yj$": ("ый",),
    "ay$": ("ай",), "ey$": ("ей",), "oy$": ("ой",), "uy$": ("уй",),
    "ai$": ("ай",), "ei$": ("ей",), "oi$": ("ой",),
    "y$": ("ий", "ы"), "y": ("ы",), "^e": ("е", "э"),
    "a": ("а",), "b": ("б",), "v": ("в",), "w": ("в",), "g": ("г",), "d": ("д",), "e": ("е",),
    "z": ("з",), "i": ("и",), "j": ("й",), "k": ("к",), "l": ("л",), "m": ("м",),
    "n": ("н",), "o": ("о",), "p": ("п",), "r": ("р",), "s": ("с",), "t": ("т",),
    "u": ("у",), "f": ("ф",), "h": ("х",), "c": ("ц", "к"), "x": ("кс", "х"), "q": ("к",),
}

# Cyrillic → Latin, the common English/passport spelling first.
_CYRILLIC_RULES: dict[str, tuple[str, ...]] = {
    "ий$": ("y", "iy", "ii"), "ый$": ("y", "yi"), "ой$": ("oy", "oi"),
    "кс": ("x", "ks"),
    "а": ("a",), "б": ("b",), "в": ("v",), "г": ("g",), "д": ("d",), "е": ("e",),
    "ё": ("e",), "ж": ("zh",), "з": ("z",), "и": ("i",), "й": ("y", "i"), "к": ("k",),
    "л": ("l",), "м": ("m",), "н": ("n",), "о": ("o",), "п": ("p",), "р": ("r",),
    "с": ("s",), "т": ("t",), "у": ("u",), "ф": ("f",), "х": ("kh", "h"), "ц": ("ts", "c"),
    "ч": ("ch",), "ш": ("sh",), "щ": ("shch", "sch"), "ъ": ("",), "ы": ("y",), "ь": ("",),
    "э": ("e",), "ю": ("yu", "iu"), "я": ("ya", "ia"),
}
# fmt: on

_MAX_VARIANTS = 6


_VOWELS = "aeiouy"
_SHORT_I = ("y", "i", "j")


def _short_i(word: str, i: int) -> tuple[str, ...] | None:
    """A Latin y, i or j after a vowel and before a consonant is й: voyna (BGN/PCGN), voina
    (passport/ICAO), vojna (ГОСТ 7.79 B and informal) all → война; Andreyevich, Aitmatov."""
    before, after = word[i - 1 : i], word[i + 1 : i + 2]
    if before and before in _VOWELS and after and after not in _VOWELS:
        return ("й", "и") if word[i] == "i" else ("й",)
    return None


def _transliterate(word: str, rules: dict[str, tuple[str, ...]]) -> list[str]:
    outputs = [""]
    i, n = 0, len(word)
    while i < n:
        for length in (4, 3, 2, 1):
            chunk = word[i : i + length]
            if len(chunk) < length:
                continue
            alternatives = (
                (_short_i(word, i) if chunk in _SHORT_I and rules is _LATIN_RULES else None)
                or (rules.get(chunk + "$") if i + length == n else None)
                or (rules.get("^" + chunk) if i == 0 else None)
                or rules.get(chunk)
            )
            if alternatives:
                break
        else:
            alternatives, length = (word[i],), 1
        outputs = [out + alt for out in outputs for alt in alternatives][:_MAX_VARIANTS]
        i += length
    return outputs


def transliterate_variants(word: str) -> list[str]:
    """Spellings of one normalised word in the other alphabet, most likely first."""
    script = script_of(word)
    if script == "latin":
        return _transliterate(word, _LATIN_RULES)
    if script == "cyrillic":
        return _transliterate(word, _CYRILLIC_RULES)
    return [word]


def transliterate(text: str) -> str:
    """The most likely spelling of the text in the other alphabet (Latin ↔ Cyrillic)."""
    return " ".join(transliterate_variants(word)[0] for word in tokenize(text))


# --- spelling ----------------------------------------------------------------------------


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance counting a swap of neighbours as one edit; stops past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


# --- ISBN ----------------------------------------------------------------------------------

_ISBN_CHARS = re.compile(r"[\s\-‐‑–]")


def _isbn13_check(digits12: str) -> str:
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return str((10 - total % 10) % 10)


def _isbn10_check(digits9: str) -> str:
    total = sum(int(d) * (10 - i) for i, d in enumerate(digits9))
    check = (11 - total % 11) % 11
    return "X" if check == 10 else str(check)


def isbn_forms(text: str) -> list[str]:
    """The ISBN-13 and (for 978 numbers) ISBN-10 spellings of an ISBN typed any way; [] if
    the text is not shaped like one. Check digits are recomputed, not trusted."""
    compact = _ISBN_CHARS.sub("", text).upper()
    if compact.startswith("ISBN"):
        compact = compact[4:].lstrip(":")
    if re.fullmatch(r"\d{9}[\dX]", compact):
        core = compact[:9]
        isbn13 = "978" + core + _isbn13_check("978" + core)
        return [isbn13, core + _isbn10_check(core)]
    if re.fullmatch(r"97[89]\d{10}", compact):
        forms = [compact[:12] + _isbn13_check(compact[:12])]
        if compact.startswith("978"):
            core = compact[3:12]
            forms.append(core + _isbn10_check(core))
        return forms
    return []


def isbn_tokens(isbns: Iterable[str]) -> list[str]:
    """Index tokens for stored ISBNs: every form, lowercased like any other token."""
    tokens: list[str] = []
    for isbn in isbns:
        forms = isbn_forms(isbn) or [_ISBN_CHARS.sub("", isbn)]
        tokens.extend(form.lower() for form in forms if form)
    return tokens
