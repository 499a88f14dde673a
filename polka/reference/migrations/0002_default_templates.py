"""Every library starts with the refusal every reference service needs, and an answer opening."""

from django.db import migrations

TEMPLATES = [
    (
        "Домашние задания и курсовые работы",
        "<p>Здравствуйте! К сожалению, мы не можем выполнить этот запрос: по правилам службы "
        "«Спросить библиотекаря» (п. 3) библиотекари не решают задачи, не пишут рефераты, "
        "курсовые и другие учебные работы за читателей. Мы с радостью подберём литературу по "
        "теме работы — задайте, пожалуйста, такой вопрос.</p>",
        True,
    ),
    (
        "Вне профиля службы",
        "<p>Здравствуйте! К сожалению, ответ на этот вопрос выходит за рамки справочной службы "
        "библиотеки (п. 4 правил: юридические, медицинские и финансовые консультации не "
        "даются). Подскажем, где найти литературу по этой теме.</p>",
        True,
    ),
    (
        "Список литературы",
        "<p>Здравствуйте! По вашему запросу мы нашли следующие источники:</p>\n<ol>\n<li></li>\n"
        "</ol>\n<p>Книги можно получить в библиотеке или заказать на сайте.</p>",
        False,
    ),
]


def create(apps, schema_editor):
    AnswerTemplate = apps.get_model("reference", "AnswerTemplate")
    for title, body, is_decline in TEMPLATES:
        AnswerTemplate.objects.get_or_create(
            title=title, defaults={"body": body, "is_decline": is_decline}
        )


def remove(apps, schema_editor):
    AnswerTemplate = apps.get_model("reference", "AnswerTemplate")
    AnswerTemplate.objects.filter(title__in=[t[0] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("reference", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
