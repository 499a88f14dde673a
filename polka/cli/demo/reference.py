"""Demo questions for «Спросить библиотекаря»: a few answered and published, a few open."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from polka.cli.demo.extras import DemoContext, DemoExtra
from polka.reference import services
from polka.reference.models import Question, Topic

QUESTIONS = (
    # (question, type, answer or "", public title, topic)
    (
        "Подберите, пожалуйста, литературу об истории Светлоярска для доклада в школе.",
        "literature",
        "<p>Здравствуйте! Об истории города есть краеведческие сборники в центральной "
        "библиотеке (отдел краеведения) и подшивки городской газеты с 1956 года.</p>",
        "История Светлоярска: что почитать школьнику",
        "Краеведение",
    ),
    (
        "В каком году впервые издан роман «Обломов» Гончарова?",
        "factual",
        "<p>Отдельным изданием роман вышел в 1859 году; в 1859 году он же печатался в журнале "
        "«Отечественные записки» (№ 1–4).</p>",
        "Когда вышел «Обломов»",
        "Литература",
    ),
    (
        "Где можно прочитать стихи Тютчева о природе для урока?",
        "location",
        "<p>Сборники стихотворений Ф. И. Тютчева есть во всех библиотеках сети; в детской "
        "библиотеке — издания с иллюстрациями.</p>",
        "Стихи Тютчева о природе",
        "Литература",
    ),
    ("Нужны книги о народных промыслах Поволжья для выставки.", "literature", "", "", ""),
    ("Как правильно оформить ссылку на статью из сборника?", "citation", "", "", ""),
)


def load(context: DemoContext) -> int:
    librarian = get_user_model().objects.get(username="bibliograf")
    branch = context.branches["cgb"]
    topics: dict[str, Topic] = {}
    for n, (text, kind, answer, title, topic_name) in enumerate(QUESTIONS):
        at = context.at - dt.timedelta(days=len(QUESTIONS) - n)
        question = services.question_ask(
            text=text,
            question_type=kind,
            purpose="study",
            depth="few",
            email=f"reader{n}@mail.example",
            name="Читатель",
            branch=branch,
            allow_publication=bool(answer),
            at=at,
        )
        if not answer:
            continue
        services.question_answer(question=question, body=answer, by=librarian, at=at)
        if topic_name not in topics:
            slug = "kraevedenie" if topic_name == "Краеведение" else "literatura"
            topics[topic_name] = Topic.objects.create(name=topic_name, slug=slug)
        services.question_publish(
            question=question,
            title=title,
            public_question=text,
            public_answer=answer,
            topic=topics[topic_name],
            by=librarian,
            at=at,
        )
    return len(QUESTIONS)


def wipe() -> None:
    from polka.consents.models import ConsentRecord
    from polka.search.content import content_unindex

    for pk in Question.objects.filter(published=True).values_list("pk", flat=True):
        content_unindex(kind=services.CONTENT_KIND, object_id=pk)
    consents = list(Question.objects.values_list("consent_id", flat=True))
    Question.objects.all().delete()
    ConsentRecord.objects.filter(pk__in=consents).delete()
    Topic.objects.all().delete()


EXTRA = DemoExtra(name="reference", label=_("вопросов библиотекарю"), load=load, wipe=wipe)
