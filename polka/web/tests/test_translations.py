"""The gettext catalogues: they compile, English is complete, public pages speak every language.

Russian is the source language. English translates every string; Uzbek, Tajik and Kyrgyz
translate at least what a visitor meets on the public pages (PUBLIC below, see docs/i18n.md);
staff strings missing there fall back to Russian.
"""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.LOCALE_PATHS[0])
# Apps that keep their own catalogues (polka/APP/locale) are checked the same way.
APP_LOCALES = sorted(LOCALE.parent.glob("*/locale"))
TRANSLATED = ("en", "uz", "tg", "ky")

# What a visitor meets without signing in, by page. Every one must be translated in every language.
PUBLIC = {
    "layout": [
        "Перейти к содержанию",
        "Основные разделы",
        "Главная",
        "Каталог",
        "Поиск",
        "Афиша",
        "Библиотеки",
        "Язык",
        "Выбрать",
        "Вход для сотрудников и читателей",
        "Рабочее место",
    ],
    "home": [
        "Разделы",
        "Ближайшие мероприятия",
        "Ближайших мероприятий пока нет.",
        "Новые поступления",
        "Весь каталог",
        "Вся афиша",
        "Библиотеки сегодня",
        "Сегодня открыта с %(opens)s до %(closes)s",
        "Сегодня закрыта",
        "Телефон",
        "Возрастной знак",
        "Книги и журналы для взрослых и детей, читальные залы, клубы, лекции и праздники — "
        "в центральной библиотеке и её филиалах. Записаться в библиотеку можно бесплатно.",
        "Библиотеки и часы работы",
        "Спросить библиотекаря",
        "Новости",
    ],
    "branches": [
        "Все библиотеки",
        "Навигационная цепочка",
        "Тип",
        "Адрес",
        "Электронная почта",
        "Состояние",
        "Временно не работает",
        "Часы работы",
        "Режим работы",
        "Доступная среда",
        "выходной",
        "Сегодня открыта: %(opens)s–%(closes)s",
        "Ближайшие нерабочие дни",
        "центральная библиотека",
        "центральная детская библиотека",
        "библиотека-филиал",
        "детская библиотека-филиал",
        "санитарный день",
        "праздничный день",
    ],
    "events": [
        "Когда",
        "Где",
        "Для кого",
        "Мест",
        "Справки по телефону",
        "Показать",
        "Подходящих мероприятий пока нет.",
        "для всех",
        "все библиотеки",
        "дети",
        "подростки",
        "взрослые",
        "старшее поколение",
        "мигранты и переселенцы",
    ],
    "search": [
        "Поиск в каталоге",
        "Что искать",
        "Найти",
        "Порядок",
        "сначала подходящие",
        "сначала новые",
        "по заглавию",
        "Год издания с",
        "по",
        "Уточнить",
        "Уточнить поиск",
        "снять отбор:",
        "Автор",
        "Тема",
        "Годы издания",
        "Вид материала",
        "На полке сейчас",
        "Показаны результаты по запросу",
        "Возможно, вы имели в виду",
        "Ничего не найдено. Проверьте написание или уберите часть слов.",
        "Подсказки:",
        "Экземпляров нет",
        "на полке",
        "Страницы",
        "Предыдущая страница",
        "Следующая страница",
        "Страница %(number)s из %(total)s",
    ],
    "record": [
        "Библиографическое описание",
        "Описание",
        "Аннотация",
        "Экземпляры",
        "Где находятся экземпляры",
        "Библиотека",
        "Шифр хранения",
        "Статус",
        "выдан",
        "Бронирование",
        "Забронировать",
        "выбрать",
        "Сохранить выбор",
        "Выбранные записи",
        "Копировать список",
        "Список пуст. Отметьте «выбрать» у нужных записей в каталоге.",
        "Вернуться в каталог",
        "книга",
        "автор",
        "сведения об ответственности",
        "сведения об издании",
        "место издания",
        "издательство",
        "год издания",
        "объём",
        "серия",
        "языки",
        "предметные рубрики",
        "знак информационной продукции",
        "вид материала",
        "Новые поступления: последние добавленные записи.",
        "В каталоге пока нет записей.",
    ],
    "login": [
        "Вход",
        "Имя пользователя",
        "Пароль",
        "Войти",
        "Вход временно заблокирован",
        "Слишком много неудачных попыток входа под этим именем или с этого адреса. "
        "Попробуйте снова через 15 минут.",
    ],
}
PUBLIC_MSGIDS = sorted({msgid for strings in PUBLIC.values() for msgid in strings})

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


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_public_page_string_is_translated(language):
    translated = {
        e["msgid"]: all(_translations(e)) and "fuzzy" not in e["flags"] for e in _entries(language)
    }
    not_extracted = [msgid for msgid in PUBLIC_MSGIDS if msgid not in translated]
    untranslated = [msgid for msgid in PUBLIC_MSGIDS if not translated.get(msgid, True)]
    assert not_extracted == [], "a public string left the templates: update PUBLIC and docs/i18n.md"
    assert untranslated == []


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
