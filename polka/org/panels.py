"""What each role's panel in the staff area offers: a data table of sections and URL names.

A section whose page does not exist yet (its URL name does not resolve) is not shown, and a
section needing a right the user lacks is not shown either: a panel has no dead ends.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from polka.org.models import Role


@dataclass(frozen=True)
class Section:
    heading: Promise
    description: Promise
    url_name: str
    # The right the page checks, when it is narrower than the role's (see org.policies).
    action: str | None = None


ROLE_PANELS: dict[str, tuple[Section, ...]] = {
    Role.ADMINISTRATOR: (
        Section(
            _("Настройки сети"),
            _("Библиотеки, часы работы, особые дни и праздники, роли сотрудников."),
            "admin:index",
        ),
        Section(
            _("Библиотеки"),
            _("Адреса, контакты и часы работы, как их видят читатели."),
            "web:branches",
        ),
        Section(
            _("Состояние системы"),
            _("База данных, поиск, миграции, очередь писем, версии."),
            "web:staff-status",
        ),
    ),
    Role.CATALOGUER: (
        Section(
            _("Каталог"),
            _("Поиск и редактирование записей, последние изменения, импорт."),
            "catalog-staff:index",
        ),
        Section(
            _("Новая запись"),
            _("Описание издания в форме или в редакторе полей MARC."),
            "catalog-staff:new",
        ),
        Section(
            _("Импорт записей"),
            _("Загрузка файлов MARC21, RUSMARC и MARCXML с отчётом о пропущенных записях."),
            "catalog:import",
        ),
    ),
    Role.DESK: (
        Section(
            _("Выдача и возврат"),
            _("Штрихкод билета и книг: выдача, возврат, продление."),
            "circulation:desk",
        ),
        Section(
            _("Бронирование"),
            _("Заказы читателей, которые ждут на полке."),
            "circulation:holds",
        ),
        Section(
            _("Запись читателей"),
            _("Новый читатель, согласие на обработку данных, читательский билет."),
            "readers:register",
        ),
        Section(
            _("Электронная библиотека"),
            _("Запросы доступа к платформам, журнал логинов, отчёты о выдачах."),
            "elibrary:staff",
        ),
        Section(
            _("Поиск читателя"),
            _("Формуляр читателя: выданные книги, задолженности."),
            "readers:search",
        ),
    ),
    Role.REFERENCE: (
        Section(
            _("Вопросы читателей"),
            _("Виртуальная справочная служба: новые вопросы и сроки ответа."),
            "reference:inbox",
        ),
        Section(
            _("Каталог"),
            _("Поиск по каталогу для подбора литературы."),
            "search:search",
        ),
    ),
    Role.METHODIST: (
        Section(
            _("Мероприятия"),
            _("План мероприятий и клубов, запись участников."),
            "events:staff-list",
        ),
        Section(
            _("Проекты, программы, выставки"),
            _("Страницы проектов, программы чтения с дневниками участников, книжные выставки."),
            "programmes:staff",
        ),
        Section(
            _("Курсы для библиотекарей"),
            _("Программа, занятия, заявки, посещаемость, сертификаты."),
            "courses:staff",
        ),
        Section(
            _("Новости"),
            _("Публикация новостей и анонсов на портале, модерация комментариев."),
            "news:staff-list",
        ),
        Section(
            _("Соцсети и партнёры"),
            _("Публикации в Telegram и ВКонтакте, виджеты для сайтов партнёров, партнёры."),
            "promotion:staff",
        ),
        Section(
            _("Библиотекарь советует"),
            _("Рекомендательные списки для детей, подростков и взрослых."),
            "recommendations:staff",
        ),
        Section(
            _("Литературный календарь"),
            _("Юбилеи писателей: примечания, скрытые записи, персоны, которых нет в каталоге."),
            "litcal:staff",
        ),
        Section(
            _("Статистика"),
            _("Показатели для отчёта 6-НК."),
            "reports:index",
        ),
    ),
    Role.MANAGER: (
        Section(
            _("Правила выдачи"),
            _("Сроки, лимиты, продления, брони и блокировки по библиотекам и категориям."),
            "circulation:rules",
        ),
        Section(
            _("Отчёты"),
            _("Статистика выдачи, посещений и мероприятий по библиотекам."),
            "reports:index",
        ),
        Section(
            _("Мероприятия"),
            _("План мероприятий сети."),
            "events:staff-list",
        ),
        Section(
            _("Библиотеки"),
            _("Адреса, контакты и часы работы."),
            "web:branches",
        ),
    ),
}

ROLE_DESCRIPTIONS: dict[str, Promise] = {
    Role.ADMINISTRATOR: _("Настройка сети, библиотек, календаря и учётных записей сотрудников."),
    Role.CATALOGUER: _("Каталогизация, импорт записей и учёт экземпляров."),
    Role.DESK: _("Обслуживание читателей на абонементе."),
    Role.REFERENCE: _("Справочно-библиографическое обслуживание."),
    Role.METHODIST: _("Мероприятия, новости и статистика."),
    Role.MANAGER: _("Отчёты и работа сети в целом."),
}
