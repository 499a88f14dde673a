"""The consent documents people agree to: one per purpose, each with a text version.

Change a text → bump its version; records keep the version that was agreed to. Apps add their
purposes here so the whole list of what the library asks people to agree to stays in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ConsentText:
    purpose: str
    version: str
    title: Promise
    text: Promise


PERSONAL_DATA = "personal_data"
EVENT_SIGNUP = "event_signup"
REFERENCE_QUESTION = "reference_question"
PUBLISH_NAME = "publish_name"
PLATFORM_TRANSFER = "platform_transfer"
COURSE_APPLICATION = "course_application"
PROGRAMME_PARTICIPATION = "programme_participation"
NOTIFICATIONS = "notifications"
PUBLISH_PHOTO = "publish_photo"

TEXTS: dict[str, ConsentText] = {
    t.purpose: t
    for t in (
        ConsentText(
            PERSONAL_DATA,
            "2026-1",
            _("Согласие на обработку персональных данных"),
            _(
                "Я даю согласие библиотеке на обработку моих персональных данных (фамилия, имя, "
                "контакты) для библиотечного обслуживания в соответствии с Федеральным законом "
                "№ 152-ФЗ «О персональных данных». Согласие действует до его отзыва; отозвать "
                "его можно в любой библиотеке сети или письмом."
            ),
        ),
        ConsentText(
            EVENT_SIGNUP,
            "2026-1",
            _("Согласие на обработку данных для записи на мероприятие"),
            _(
                "Я даю согласие библиотеке на обработку моего имени и контактов, чтобы записать "
                "меня на мероприятие, напомнить о нём и сообщить об изменениях. Данные удаляются "
                "через год после мероприятия."
            ),
        ),
        ConsentText(
            REFERENCE_QUESTION,
            "2026-1",
            _("Согласие на обработку данных для ответа на вопрос"),
            _(
                "Я даю согласие библиотеке на обработку моего адреса электронной почты и имени, "
                "чтобы получить ответ на мой вопрос. Адрес никогда не публикуется."
            ),
        ),
        ConsentText(
            PUBLISH_NAME,
            "2026-1",
            _("Согласие на публикацию имени"),
            _(
                "Я разрешаю библиотеке опубликовать на сайте имя, которое я указал(а), рядом с "
                "моим комментарием. Адрес электронной почты не публикуется."
            ),
        ),
        ConsentText(
            PLATFORM_TRANSFER,
            "2026-1",
            _("Согласие на передачу данных электронной библиотеке"),
            _(
                "Я даю согласие библиотеке передать мои фамилию, имя, номер читательского билета "
                "и адрес электронной почты платформе электронных книг, чтобы получить доступ к ней."
            ),
        ),
        ConsentText(
            COURSE_APPLICATION,
            "2026-1",
            _("Согласие на обработку данных участника курса"),
            _(
                "Я даю согласие библиотеке на обработку моих фамилии, имени, должности, места "
                "работы и контактов для участия в курсе и выдачи сертификата."
            ),
        ),
        ConsentText(
            PROGRAMME_PARTICIPATION,
            "2026-1",
            _("Согласие родителя (законного представителя) на участие ребёнка в программе"),
            _(
                "Я, родитель (законный представитель), даю согласие библиотеке на обработку "
                "имени ребёнка и моих контактов для участия в программе чтения и выдачи "
                "сертификата."
            ),
        ),
        ConsentText(
            NOTIFICATIONS,
            "2026-1",
            _("Согласие на получение уведомлений"),
            _(
                "Я даю согласие библиотеке присылать мне на электронную почту и по телефону "
                "уведомления о сроках возврата, о готовых заказах и о мероприятиях. Согласие "
                "можно отозвать в личном кабинете или в любой библиотеке сети."
            ),
        ),
        ConsentText(
            PUBLISH_PHOTO,
            "2026-1",
            _("Согласие на публикацию фотографий"),
            _(
                "Я разрешаю библиотеке публиковать на сайте и в социальных сетях фотографии с "
                "мероприятий, на которых я (или мой ребёнок) изображён(а). Согласие можно "
                "отозвать; опубликованные фотографии будут сняты."
            ),
        ),
    )
}
