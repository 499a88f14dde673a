"""The gettext catalogues: they compile, English is complete, public pages speak every language.

Russian is the source language. English translates every string; Uzbek, Tajik and Kyrgyz
translate at least what a visitor meets on the public pages (PUBLIC_TEMPLATES below, see
docs/i18n.md); staff strings missing there fall back to Russian.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

LOCALE = Path(settings.LOCALE_PATHS[0])
# Apps that keep their own catalogues (polka/APP/locale) are checked the same way.
APP_LOCALES = sorted(LOCALE.parent.glob("*/locale"))
TRANSLATED = ("en", "uz", "tg", "ky")

# Templates a visitor or a reader meets: every template of polka/*/templates/ (pages and the
# emails to readers, .txt) except staff ones: a path part named `staff…` (staff/, staff_home.html,
# _staff_scope.html) or one of STAFF_TEMPLATES — the rule docs/i18n.md writes down.
TEMPLATES = sorted(
    path
    for path in LOCALE.parent.glob("*/templates/**/*")
    if path.suffix in {".html", ".txt"} and "tests" not in path.parts
)
STAFF_TEMPLATES = {
    # The circulation desk's screens, which predate the staff/ folder rule.
    "circulation/desk.html",
    "circulation/_desk_update.html",
    "circulation/_results.html",
    "circulation/_summary.html",
    "circulation/holds_list.html",
    "circulation/rules.html",
    "circulation/rule_edit.html",
    "circulation/transit_slip.html",
    # Letters to staff: the reference service's reminder, a news comment to moderate.
    "reference/notices/due_body.txt",
    "reference/notices/due_subject.txt",
    "news/notices/comment_body.txt",
    "news/notices/comment_subject.txt",
}


def _template_name(path: Path) -> str:
    return "/".join(path.parts[path.parts.index("templates") + 1 :])


def _is_public(path: Path) -> bool:
    name = _template_name(path)
    staff_part = any(part.lstrip("_").startswith("staff") for part in name.split("/"))
    return not staff_part and name not in STAFF_TEMPLATES


PUBLIC_TEMPLATES = [path for path in TEMPLATES if _is_public(path)]

_LITERAL = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
_CALL = re.compile(
    rf"\b(gettext|_|pgettext|ngettext|npgettext)\(\s*({_LITERAL})(?:\s*,\s*({_LITERAL}))?"
)


def _template_msgids(path: Path) -> set[str]:
    """The msgids of a template, found the way makemessages finds them (templatize)."""
    code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
    found = set()
    for match in _CALL.finditer(code):
        function, first, second = match.groups()
        literals = [ast.literal_eval(text) for text in (first, second) if text]
        found.add(literals[-1] if function.startswith("p") else literals[0])
    return found


# The navigation as a visitor reads it after choosing the language: Home, Events, Libraries.
NAVIGATION = {
    "en": ("Home", "Catalogue", "Events", "Libraries", "Skip to content"),
    "uz": ("Bosh sahifa", "Katalog", "Tadbirlar", "Kutubxonalar", "Asosiy mazmunga oʻtish"),
    "tg": ("Саҳифаи асосӣ", "Феҳрист", "Чорабиниҳо", "Китобхонаҳо", "Гузариш ба мундариҷа"),
    "ky": ("Башкы бет", "Издөө", "Иш-чаралар", "Китепканалар", "Мазмунга өтүү"),
}


def _po(language: str, locale: Path = LOCALE) -> Path:
    return locale / language / "LC_MESSAGES" / "django.po"


def _unquote(line: str) -> str:
    text = line[line.index('"') + 1 : line.rindex('"')]
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m[1], m[1]), text)


def _entries(language: str, locale: Path = LOCALE) -> list[dict[str, str]]:
    """The .po's entries as {"flags", "msgid", "msgid_plural", "msgstr", "msgstr[1]", ...}."""
    entries: list[dict[str, str]] = []
    for block in _po(language, locale).read_text(encoding="utf-8").split("\n\n"):
        entry: dict[str, str] = {"flags": ""}
        key = ""
        for line in block.splitlines():
            if line.startswith("#,"):
                entry["flags"] += line[2:]
            elif line.startswith("#"):
                continue
            elif line.startswith('"'):
                entry[key] += _unquote(line)
            else:
                key = line.split(" ", 1)[0]
                entry[key] = _unquote(line)
        if "msgid" in entry:
            entries.append(entry)
    return entries


def _translations(entry: dict[str, str]) -> list[str]:
    return [value for key, value in entry.items() if key.startswith("msgstr")]


@pytest.fixture(scope="module")
def msgfmt() -> str:
    found = shutil.which("msgfmt")
    if found is None:
        if os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}:
            pytest.fail("CI: msgfmt is missing (Debian package gettext)", pytrace=False)
        pytest.skip("msgfmt is missing (Debian package gettext; `make test` installs it)")
    return found


ALL_LOCALES = [LOCALE, *APP_LOCALES]
LOCALE_IDS = [str(path.relative_to(LOCALE.parent.parent)) for path in ALL_LOCALES]


@pytest.mark.parametrize("locale", ALL_LOCALES, ids=LOCALE_IDS)
@pytest.mark.parametrize("language", TRANSLATED)
def test_every_catalogue_compiles_with_its_placeholders_intact(language, locale, msgfmt, tmp_path):
    # --check: python-format placeholders, plural forms and the header, as compilemessages does.
    result = subprocess.run(
        [msgfmt, "--check", "-o", str(tmp_path / "django.mo"), str(_po(language, locale))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_committed_compiled_catalogue_is_there_for_machines_without_gettext(language):
    compiled = _po(language).with_suffix(".mo")
    with compiled.open("rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    assert catalog.gettext("Главная") != "Главная"


@pytest.mark.parametrize("locale", ALL_LOCALES, ids=LOCALE_IDS)
@pytest.mark.parametrize("language", TRANSLATED)
def test_no_catalogue_has_a_fuzzy_translation(language, locale):
    fuzzy = [e["msgid"] for e in _entries(language, locale) if "fuzzy" in e["flags"]]
    assert fuzzy == []


@pytest.mark.parametrize("locale", ALL_LOCALES, ids=LOCALE_IDS)
def test_the_english_catalogue_translates_every_string(locale):
    missing = [
        e["msgid"] for e in _entries("en", locale) if e["msgid"] and not all(_translations(e))
    ]
    assert missing == []


@pytest.fixture(scope="module")
def public_msgids() -> dict[str, set[str]]:
    """Each msgid of a public template, with the templates that use it."""
    by_msgid: dict[str, set[str]] = {}
    for path in PUBLIC_TEMPLATES:
        for msgid in _template_msgids(path):
            by_msgid.setdefault(msgid, set()).add(_template_name(path))
    return by_msgid


def test_the_rule_finds_public_and_staff_templates():
    names = {_template_name(path) for path in PUBLIC_TEMPLATES}
    assert {"web/home.html", "courses/course_list.html", "readers/account/home.html"} <= names
    assert {"circulation/account.html", "circulation/notices/overdue_body.txt"} <= names
    assert "readers/staff/register.html" not in names
    assert "web/staff_home.html" not in names
    assert "circulation/desk.html" not in names
    assert {_template_name(path) for path in TEMPLATES} >= STAFF_TEMPLATES


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_string_of_a_public_template_is_translated(language, public_msgids):
    # Django merges polka/locale and the apps' catalogues: a translation in any one counts.
    translated = set()
    for locale in ALL_LOCALES:
        for entry in _entries(language, locale):
            if all(_translations(entry)) and "fuzzy" not in entry["flags"]:
                translated.add(entry["msgid"])
    missing = sorted(
        f"{sorted(templates)[0]}: {msgid}"
        for msgid, templates in public_msgids.items()
        if msgid not in translated
    )
    assert not missing, "untranslated (run make messages if new):\n" + "\n".join(missing)


def test_english_counts_records_in_two_plural_forms():
    with translation.override("en"):
        one = translation.ngettext("Найдена %(total)s запись", "Найдено записей: %(total)s", 1)
        many = translation.ngettext("Найдена %(total)s запись", "Найдено записей: %(total)s", 5)
    assert one % {"total": 1} == "1 record found"
    assert many % {"total": 5} == "5 records found"


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_the_home_page_speaks_the_language_chosen_with_the_switch(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get("/")
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert response["Content-Language"] == language
    for words in NAVIGATION[language]:
        assert words in html
    assert "Афиша" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_the_login_and_search_pages_speak_the_chosen_language_too(client, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(language):
        expected = [translation.gettext("Войти"), translation.gettext("Поиск в каталоге")]
    html = client.get("/accounts/login/").content.decode() + client.get("/search/").content.decode()
    assert "Войти" not in html
    assert "Поиск в каталоге" not in html
    for text in expected:
        assert text in html


@pytest.mark.django_db
@pytest.mark.parametrize("language", TRANSLATED)
def test_the_language_switch_accepts_every_translated_language(client, language):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == language
