"""Demo projects, a summer reading programme, a book exhibition and a course for librarians."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from polka.catalog.models import Record
from polka.cli.demo.extras import DemoContext, DemoExtra
from polka.cli.demo.news import news_load
from polka.courses import services as courses
from polka.courses.models import Course
from polka.elibrary import services as elibrary
from polka.elibrary.models import LocalDocument, Platform
from polka.events.models import Event
from polka.news.models import Comment, NewsItem
from polka.programmes import services as programmes
from polka.programmes.models import Exhibition, Participant, Programme, Project
from polka.recommendations import services as recommendations
from polka.recommendations.models import ReadingList

CHILDREN = (("Маша", 9), ("Артём", 10), ("Зарина", 8), ("Тимур", 11))
SEASONS = ("Зима", "Весна", "Лето", "Осень")  # by month % 12 // 3


def load(context: DemoContext) -> int:
    methodist = get_user_model().objects.get(username="metodist")
    today = timezone.localdate(context.at)
    project = programmes.project_save(
        project=None,
        by=methodist,
        slug="obshchiy-dom",
        title="Россия — общий дом",
        summary="Проект адаптации семей, переехавших в Светлоярск: разговорный клуб русского "
        "языка, экскурсии по городу, книги на родных языках.",
        description="<p>Библиотеки сети помогают новым жителям города освоиться: учим язык, "
        "знакомим с городом и его историей, собираем книги на узбекском, таджикском и "
        "киргизском языках.</p>",
        funder="Фонд президентских грантов",
        partners="Дом дружбы народов г. Светлоярска\nЦентр занятости населения",
    )
    # Some of the planned events belong to the project: the conversation club and the tours.
    Event.objects.filter(title__icontains="клуб").update(project=project)
    summer = programmes.programme_save(
        programme=None,
        by=methodist,
        slug="chitaem-vmeste",
        title=f"{SEASONS[today.month % 12 // 3]} с книгой",
        starts_on=today - dt.timedelta(days=14),
        ends_on=today + dt.timedelta(days=60),
        description="<p>Программа чтения для детей 7–12 лет: читаем, рассказываем, "
        "приходим на встречи — и получаем сертификат.</p>",
        min_books=3,
        min_meetings=0,
        project=project,
    )
    # The children's reading-aloud club is the programme's meetings: staff mark who came.
    Event.objects.filter(title__icontains="Сказка за сказкой").update(programme=summer)
    books = list(Record.objects.filter(age_mark__in=["0+", "6+"]).order_by("pk")[:12])
    for n, (child, age) in enumerate(CHILDREN):
        participant = programmes.participant_join(
            programme=summer,
            child_name=child,
            child_age=age,
            guardian_name="Родитель",
            guardian_email=f"parent{n}@mail.example",
            at=context.at,
        )
        for k, record in enumerate(books[n : n + 2 + n % 3]):
            programmes.book_record(
                participant=participant, record=record, read_on=today - dt.timedelta(days=k + 1)
            )
    exhibition = programmes.exhibition_save(
        exhibition=None,
        by=methodist,
        slug="klassika-detyam",
        title="Классика — детям",
        theme="Русская классическая литература для детей",
        branch=context.branches["cdb"],
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=30),
        project=None,
        description="<p>Книги, с которых начинается чтение.</p>",
    )
    for record in books[:6]:
        programmes.exhibition_item_add(
            exhibition=exhibition, record=record, annotation="", by=methodist
        )
    course = courses.course_save(
        course=None,
        by=methodist,
        slug="rabota-s-migrantami",
        title="Библиотека для новых жителей города",
        description="<p>Курс для коллег из библиотек области: как помогать мигрантам и их "
        "детям, разговорные клубы, книги на родных языках.</p>",
        hours=16,
        project=project,
        min_attendance=75,
        signer_name="Соколова И. П.",
        signer_position="директор ЦБС г. Светлоярска",
    )
    # The sessions were planned on the central library's calendar with the events.
    for n, planned in enumerate(context.schedule.course_sessions, start=1):
        courses.session_add(
            course=course,
            title=f"Занятие {n}",
            speaker="Громова Т. А.",
            starts_at=planned.starts_at,
            ends_at=planned.ends_at,
            by=methodist,
            branch=context.branches[planned.branch_code],
        )
    for n, (name, town) in enumerate(
        (("Смирнова Ольга", "Озёрск"), ("Ахмедова Дилноза", "Заречный"))
    ):
        courses.application_submit(
            course=course,
            name=name,
            position="библиотекарь",
            organisation=f"ЦБС г. {town}",
            city=town,
            email=f"colleague{n}@mail.example",
            at=context.at,
        )
    lists = (
        ("chitaem-letom", "Читаем летом", "children", "Приключения и сказки", ["0+", "6+"]),
        (
            "klassika-dlya-vzroslyh",
            "Перечитывая классику",
            "adults",
            "Русская классика",
            ["12+", "16+"],
        ),
    )
    for slug, title, audience, theme, marks in lists:
        reading_list = recommendations.list_save(
            reading_list=None, by=methodist, at=context.at, slug=slug, title=title,
            audience=audience, theme=theme, compiler="Громова Т. А.", is_published=True,
            intro="<p>Книги, которые мы советуем прочитать.</p>",
        )  # fmt: skip
        for record in Record.objects.filter(age_mark__in=marks).order_by("pk")[:6]:
            recommendations.item_add(
                reading_list=reading_list, record=record, annotation="", by=methodist, at=context.at
            )
    Platform.objects.create(
        slug="litres",
        name="ЛитРес: Библиотека",
        site_url="https://biblio.litres.example/",
        how_to="логин выдают в любой библиотеке сети по читательскому билету",
    )
    elibrary.local_document_add(
        by=get_user_model().objects.get(username="admin"),  # e-library: administrators
        at=context.at,
        title="Светлоярск: страницы истории",
        author="Отдел краеведения ЦГБ",
        year=1998,
        subject="История города",
        description="Очерки об истории города и его улиц.",
        file=ContentFile(_demo_pdf(), name="svetloyarsk.pdf"),
    )
    news_load(context, by=methodist)
    return 10


def _demo_pdf() -> bytes:
    """A small valid one-page PDF, written by hand (no PDF library needed for the demo)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
        b"<< /Length 0 >>\nstream\n\nendstream",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer << /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def wipe() -> None:
    from polka.consents.models import ConsentRecord

    consents = list(Participant.objects.values_list("consent_id", flat=True))
    consents += list(Course.objects.values_list("applications__consent_id", flat=True))
    Comment.objects.filter(reply_to__isnull=False).delete()
    consents += [
        c
        for pair in Comment.objects.values_list("consent_data_id", "consent_name_id")
        for c in pair
    ]
    NewsItem.objects.all().delete()
    ReadingList.objects.all().delete()
    LocalDocument.objects.all().delete()
    Platform.objects.all().delete()
    Course.objects.all().delete()
    Programme.objects.all().delete()
    Exhibition.objects.all().delete()
    Event.objects.update(project=None, programme=None)
    Project.objects.all().delete()
    ConsentRecord.objects.filter(pk__in=[c for c in consents if c]).delete()


EXTRA = DemoExtra(
    name="public_life",
    label=_("проектов, программ, выставок, курсов, списков, документов и новостей"),
    load=load,
    wipe=wipe,
)
