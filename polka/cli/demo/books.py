"""Demo catalogue records as MARC (mostly RUSMARC, some MARC21), built from the vocabularies."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from decimal import Decimal

from polka.cli.demo import vocabulary as v
from polka.interop.marc.record import Field, MarcFlavour, MarcRecord, Subfield

RUSMARC_SHARE = 0.85
FICTION_SHARE = 0.78
COPIES_WEIGHTS = (35, 30, 20, 10, 5)  # 1..5 copies
# Copies "on loan" in the demo are due on this day (there are no loans behind them yet).
LOAN_DUE = dt.date(v.REFERENCE_YEAR + 1, 1, 31)
STATUS_WEIGHTS = (("available", 80), ("on_loan", 16), ("reference", 2), ("processing", 2))


@dataclass(frozen=True, slots=True)
class Person:
    surname: str
    forenames: str
    initials: str
    dates: str = ""
    role: str = "aut"  # relator: aut, ill, trl

    @property
    def heading(self) -> str:
        return f"{self.surname}, {self.forenames}"

    @property
    def short(self) -> str:
        """The form used in a statement of responsibility: "Л. Н. Толстой"."""
        return f"{self.initials} {self.surname}"


@dataclass(frozen=True, slots=True)
class Book:
    """What a record describes, before it is written as MARC."""

    number: int
    title: str
    remainder: str
    authors: tuple[Person, ...]
    contributors: tuple[Person, ...]
    responsibility_note: str  # "пер. с англ."
    language: str
    original_language: str
    edition: str
    place: str
    publisher: str
    year: int
    pages: int
    illustrated: bool
    series: str
    isbn: str
    price: Decimal
    annotation: str
    age_mark: str
    subjects: tuple[str, ...]
    udc: str
    bbk: str
    author_mark: str
    children: bool
    literary_form: str  # a vocabulary form, or "" for non-fiction
    entered: dt.date

    @property
    def control_number(self) -> str:
        return f"{v.CONTROL_NUMBER_PREFIX}{self.number:06d}"


@dataclass(frozen=True, slots=True)
class PlannedItem:
    branch_code: str
    barcode: str
    inventory_number: str
    shelf_mark: str
    item_type: str
    status: str
    price: Decimal
    acquired_on: dt.date


@dataclass(frozen=True, slots=True)
class PlannedRecord:
    book: Book
    flavour: MarcFlavour
    marc: MarcRecord
    items: tuple[PlannedItem, ...]


def isbn13(digits12: str) -> str:
    """Complete twelve digits with the ISBN-13 check digit."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(digits12))
    return digits12 + str((10 - total % 10) % 10)


def ean13(digits12: str) -> str:
    """The same check digit rule serves EAN-13 barcodes."""
    return isbn13(digits12)


def hyphenate_isbn(isbn: str, prefix: str) -> str:
    """Hyphenate a 978-5 ISBN after its registrant prefix: 978-5-04-123456-7."""
    registrant = prefix[4:]
    rest = isbn[len(prefix) : -1]
    return f"978-5-{registrant}-{rest}-{isbn[-1]}"


def author_mark(surname: str) -> str:
    """A stand-in for the Khavkina table mark: first letter plus two digits from the name."""
    return f"{surname[0]}{sum(map(ord, surname)) % 90 + 10}"


def _split_heading(name: str) -> tuple[str, str]:
    surname, _, forenames = name.partition(", ")
    return surname, forenames


def _initials(forenames: str) -> str:
    return " ".join(f"{part[0]}." for part in forenames.split())


def fictional_name(rng: random.Random, female_share: float) -> tuple[str, str, str]:
    """An invented Russian surname, first name and patronymic, in agreement for gender."""
    female = rng.random() < female_share
    surname = rng.choice(v.SURNAMES) + ("а" if female else "")
    first = rng.choice(v.FEMALE_FIRST if female else v.MALE_FIRST)
    patronymic = rng.choice(v.PATRONYMICS)
    if female:
        patronymic = patronymic[:-2] + "на"
    return surname, first, patronymic


def _fictional_person(rng: random.Random) -> Person:
    surname, first, patronymic = fictional_name(rng, 0.5)
    forenames = f"{first} {patronymic}"
    return Person(surname, forenames, _initials(forenames))


class BookFactory:
    """Draws books one after another from one random stream, so a seed fixes all of them."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.isbns: set[str] = set()
        by_surname = {a.surname: a for a in v.AUTHORS}
        self.co_authors = {a.surname: by_surname[a.co_author] for a in v.AUTHORS if a.co_author}
        self.children_publishers = [p for p in v.PUBLISHERS if p.children]
        self.adult_publishers = [p for p in v.PUBLISHERS if not p.children]

    def book(self, number: int) -> Book:
        if self.rng.random() < FICTION_SHARE:
            return self._fiction(number)
        return self._nonfiction(number)

    def new_edition(self, book: Book, number: int) -> Book:
        """Another edition of `book`'s work: another year, publisher and ISBN, so that even a
        small demo shows search gathering the editions of one work into one entry."""
        publisher = self._publisher(book.children)
        year = self.rng.choice([y for y in range(1975, v.REFERENCE_YEAR) if y != book.year])
        series, isbn, price, entered = self._common(publisher, year)
        return replace(
            book,
            number=number,
            edition="2-е изд.",
            place=publisher.place,
            publisher=publisher.name,
            year=year,
            series=series,
            isbn=isbn,
            price=price,
            entered=entered,
        )

    def _publisher(self, children: bool) -> v.Publisher:
        pool = self.children_publishers if children else self.adult_publishers
        if self.rng.random() < 0.2:  # children's classics come out from general houses too
            pool = list(v.PUBLISHERS)
        return self.rng.choice(pool)

    def _isbn(self, publisher: v.Publisher) -> str:
        while True:
            body = publisher.isbn_prefix + "".join(
                str(self.rng.randrange(10)) for _ in range(12 - len(publisher.isbn_prefix))
            )
            isbn = isbn13(body)
            if isbn not in self.isbns:
                self.isbns.add(isbn)
                return hyphenate_isbn(isbn, publisher.isbn_prefix)

    def _common(self, publisher: v.Publisher, year: int) -> tuple[str, str, Decimal, dt.date]:
        rng = self.rng
        series = rng.choice(publisher.series) if publisher.series and rng.random() < 0.5 else ""
        isbn = self._isbn(publisher) if year >= 1995 else ""
        price = Decimal(rng.randrange(120, 950)) if year >= 2000 else Decimal(rng.randrange(1, 5))
        entered = dt.date(
            min(year + rng.randrange(0, 3), v.REFERENCE_YEAR - 1),
            rng.randrange(1, 13),
            rng.randrange(1, 29),
        )
        return series, isbn, price, entered

    def _fiction(self, number: int) -> Book:
        rng = self.rng
        author = rng.choice(v.AUTHORS)
        work = rng.choice(author.works)
        children = author.children or work.age_mark in ("0+", "6+")
        publisher = self._publisher(children)
        year = rng.randrange(1975, v.REFERENCE_YEAR)
        series, isbn, price, entered = self._common(publisher, year)
        authors = [Person(author.surname, author.forenames, author.initials, author.dates)]
        if author.surname in self.co_authors and work.form == v.NOVEL:
            co = self.co_authors[author.surname]
            authors.append(Person(co.surname, co.forenames, co.initials, co.dates))
        contributors: list[Person] = []
        illustrated = children or rng.random() < 0.2
        if children and rng.random() < 0.6:
            surname, forenames = _split_heading(rng.choice(v.ILLUSTRATORS))
            contributors.append(Person(surname, forenames, _initials(forenames), role="ill"))
        language = author.original_language
        century = 19 if author.death < 1920 and author.birth < 1860 else 20
        bbk = v.BBK_LITERATURE.get((language, century), v.BBK_LITERATURE.get((language, 0), ""))
        if children and language == "rus":
            bbk = v.BBK_CHILDREN
        subjects = [v.FORM_SUBJECTS[work.form] if language == "rus" else v.FOREIGN_SUBJECT]
        if children:
            subjects.append(v.CHILDREN_SUBJECT)
        template = rng.choice(v.ANNOTATIONS[work.form])
        edition = rng.choice(("", "", "", "", "2-е изд.", "Изд. испр. и доп.", "3-е изд."))
        low, high = v.FORM_EXTENT[work.form]
        return Book(
            number=number,
            title=work.title,
            remainder=work.remainder,
            authors=tuple(authors),
            contributors=tuple(contributors),
            responsibility_note=v.ORIGINAL_LANGUAGE_NOTE.get(language, ""),
            language="rus",
            original_language=language,
            edition=edition,
            place=publisher.place,
            publisher=publisher.name,
            year=year,
            pages=rng.randrange(low, high) // 8 * 8,
            illustrated=illustrated,
            series=series,
            isbn=isbn,
            price=price,
            annotation=template.format(title=work.title, author=f"{authors[0].short}"),
            age_mark=work.age_mark,
            subjects=tuple(subjects),
            udc=v.UDC_LITERATURE[language] + v.UDC_FORM[work.form],
            bbk=bbk,
            author_mark=author_mark(author.surname),
            children=children,
            literary_form=work.form,
            entered=entered,
        )

    def _nonfiction(self, number: int) -> Book:
        rng = self.rng
        topic = rng.choice(v.TOPICS)
        publisher = self._publisher(topic.children)
        year = rng.randrange(2005, v.REFERENCE_YEAR)
        series, isbn, price, entered = self._common(publisher, year)
        authors = tuple(_fictional_person(rng) for _ in range(rng.choice((1, 1, 1, 2))))
        title = rng.choice(topic.titles)
        return Book(
            number=number,
            title=title,
            remainder=rng.choice(v.NONFICTION_REMAINDERS),
            authors=authors,
            contributors=(),
            responsibility_note="",
            language="rus",
            original_language="rus",
            edition=rng.choice(("", "", "2-е изд., перераб.")),
            place=publisher.place,
            publisher=publisher.name,
            year=year,
            pages=rng.randrange(64, 400) // 8 * 8,
            illustrated=rng.random() < 0.6,
            series=series,
            isbn=isbn,
            price=price,
            annotation=f"Книга «{title}» — {topic.subject.lower()}: доступно и с примерами.",
            age_mark=topic.age_mark,
            subjects=(topic.subject,),
            udc=topic.udc,
            bbk=topic.bbk,
            author_mark=author_mark(authors[0].surname),
            children=topic.children,
            literary_form="",
            entered=entered,
        )


# --- MARC ------------------------------------------------------------------------------------


def _sf(*pairs: tuple[str, str]) -> list[Subfield]:
    return [Subfield(code, value) for code, value in pairs if value]


def _responsibility(book: Book) -> tuple[str, str]:
    first = ", ".join(a.short for a in book.authors)
    others = [f"худож. {c.short}" for c in book.contributors if c.role == "ill"]
    if book.responsibility_note:
        others.insert(0, book.responsibility_note)
    return first, " ; ".join(others)


def _subject_parts(subject: str) -> list[str]:
    return subject.split(" — ")


def rusmarc(book: Book) -> MarcRecord:
    audience = "a  " if book.children else "m  "
    f100 = f"{book.entered:%Y%m%d}d{book.year}    {audience}y0rusy50      ca"
    first, others = _responsibility(book)
    fields = [
        Field("001", data=book.control_number),
        Field("010", subfields=_sf(("a", book.isbn), ("d", f"{book.price} р."))),
        Field("100", subfields=_sf(("a", f100))),
        Field(
            "101",
            "1 " if book.original_language != "rus" else "0 ",
            _sf(
                ("a", book.language),
                ("c", book.original_language if book.original_language != "rus" else ""),
            ),
        ),
        Field("102", subfields=_sf(("a", "RU"))),
        Field(
            "200", "1 ", _sf(("a", book.title), ("e", book.remainder), ("f", first), ("g", others))
        ),
    ]
    if book.edition:
        fields.append(Field("205", subfields=_sf(("a", book.edition))))
    fields += [
        Field(
            "210", subfields=_sf(("a", book.place), ("c", book.publisher), ("d", str(book.year)))
        ),
        Field(
            "215",
            subfields=_sf(
                ("a", f"{book.pages} с."), ("c", "ил." if book.illustrated else ""), ("d", "21 см")
            ),
        ),
    ]
    if book.series:
        fields.append(Field("225", "2 ", _sf(("a", book.series))))
    fields += [
        Field("330", subfields=_sf(("a", book.annotation))),
        Field("333", subfields=_sf(("a", book.age_mark))),
    ]
    for subject in book.subjects:
        head, *rest = _subject_parts(subject)
        fields.append(Field("606", "1 ", _sf(("a", head), *(("x", part) for part in rest))))
    fields += [
        Field("675", subfields=_sf(("a", book.udc))),
        Field("686", subfields=_sf(("a", book.bbk), ("2", "rubbk"))),
    ]
    for position, person in enumerate(book.authors):
        tag = "700" if position == 0 else "701"
        fields.append(
            Field(
                tag,
                " 1",
                _sf(
                    ("a", person.surname),
                    ("b", person.initials),
                    ("g", person.forenames),
                    ("f", person.dates),
                    ("4", "070"),
                ),
            )
        )
    for person in book.contributors:
        fields.append(
            Field(
                "702",
                " 1",
                _sf(
                    ("a", person.surname),
                    ("b", person.initials),
                    ("g", person.forenames),
                    ("4", "440"),
                ),
            )
        )
    fields.append(Field("908", subfields=_sf(("a", book.author_mark))))
    return MarcRecord(leader="00000nam0 2200000   450 ", fields=fields)


LITERARY_FORM_008 = {
    v.NOVEL: "f",
    v.NOVELLA: "1",
    v.STORIES: "j",
    v.VERSE: "p",
    v.DRAMA: "d",
    v.TALES: "1",
}


def marc21(book: Book) -> MarcRecord:
    illustrations = "a   " if book.illustrated else "    "
    audience = "j" if book.children else " "
    literary = LITERARY_FORM_008.get(book.literary_form, "0")
    f008 = (
        f"{book.entered:%y%m%d}s{book.year}    ru {illustrations}{audience}      000 {literary} "
        f"{book.language} d"
    )
    first, others = _responsibility(book)
    responsibility = first + (f" ; {others}" if others else "")
    fields = [
        Field("001", data=book.control_number),
        Field("008", data=f008),
    ]
    if book.isbn:
        fields.append(Field("020", subfields=_sf(("a", book.isbn), ("c", f"{book.price} р."))))
    fields.append(Field("040", subfields=_sf(("a", "RU-SvCBS"), ("b", "rus"), ("e", "rda"))))
    if book.original_language != "rus":
        fields.append(Field("041", "1 ", _sf(("a", book.language), ("h", book.original_language))))
    fields += [
        Field("080", subfields=_sf(("a", book.udc))),
        Field("084", subfields=_sf(("a", book.bbk), ("2", "rubbk"))),
        # Local call number: classification and author mark, as Russian MARC21 users keep it.
        Field("090", subfields=_sf(("a", book.bbk), ("b", book.author_mark))),
    ]
    main, *added = book.authors
    fields.append(
        Field(
            "100",
            "1 ",
            _sf(
                ("a", f"{main.heading},"),
                ("d", f"{main.dates}." if main.dates else ""),
                ("e", "автор."),
            ),
        )
    )
    title_end = " :" if book.remainder else " /"
    fields.append(
        Field(
            "245",
            "10",
            _sf(
                ("a", book.title + title_end),
                ("b", f"{book.remainder} /" if book.remainder else ""),
                ("c", responsibility + "."),
            ),
        )
    )
    if book.edition:
        fields.append(Field("250", subfields=_sf(("a", book.edition))))
    fields += [
        Field(
            "264",
            " 1",
            _sf(("a", f"{book.place} :"), ("b", f"{book.publisher},"), ("c", f"{book.year}.")),
        ),
        Field(
            "300",
            subfields=_sf(
                ("a", f"{book.pages} с." + (" :" if book.illustrated else " ;")),
                ("b", "ил. ;" if book.illustrated else ""),
                ("c", "21 см."),
            ),
        ),
    ]
    if book.series:
        fields.append(Field("490", "0 ", _sf(("a", book.series))))
    fields += [
        Field("520", subfields=_sf(("a", book.annotation))),
        Field("521", subfields=_sf(("a", book.age_mark))),
    ]
    for subject in book.subjects:
        head, *rest = _subject_parts(subject)
        fields.append(Field("650", " 4", _sf(("a", head), *(("x", part) for part in rest))))
    for person in added:
        fields.append(
            Field(
                "700",
                "1 ",
                _sf(
                    ("a", f"{person.heading},"),
                    ("d", f"{person.dates}." if person.dates else ""),
                    ("e", "автор."),
                ),
            )
        )
    for person in book.contributors:
        fields.append(Field("700", "1 ", _sf(("a", f"{person.heading},"), ("e", "иллюстратор."))))
    return MarcRecord(leader="00000nam a2200000 i 4500", fields=fields)


# --- Holdings: how the copies travel inside the records ------------------------------------

# IRBIS 910 $a status codes, as Russian libraries' RUSMARC exports carry them.
IRBIS_STATUS = {"available": "0", "on_loan": "1", "processing": "2", "reference": "5"}


def holdings_910(item: PlannedItem) -> Field:
    """IRBIS 910: status, inventory number, date received, place, price, barcode, shelf mark."""
    return Field(
        "910",
        subfields=_sf(
            ("a", IRBIS_STATUS[item.status]),
            ("b", item.inventory_number),
            ("c", f"{item.acquired_on:%Y%m%d}"),
            ("d", item.branch_code),
            ("e", str(item.price)),
            ("h", item.barcode),
            ("r", item.shelf_mark),
        ),
    )


def holdings_952(item: PlannedItem, due: dt.date) -> Field:
    """Koha 952: a copy on loan has a due date ($q); $7 marks reference (1) or processing (-1)."""
    not_for_loan = {"reference": "1", "processing": "-1"}.get(item.status, "")
    return Field(
        "952",
        subfields=_sf(
            ("a", item.branch_code),
            ("b", item.branch_code),
            ("o", item.shelf_mark),
            ("p", item.barcode),
            ("i", item.inventory_number),
            ("y", item.item_type),
            ("g", str(item.price)),
            ("d", f"{item.acquired_on:%Y-%m-%d}"),
            ("q", f"{due:%Y-%m-%d}" if item.status == "on_loan" else ""),
            ("7", not_for_loan),
        ),
    )


# --- Copies ----------------------------------------------------------------------------------


class ItemFactory:
    """Spreads copies over branches: children's books mostly to children's libraries."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.barcode_counter = 0
        self.inventory: dict[str, int] = {b.code: 0 for b in v.BRANCHES}
        self.children_branches = [b.code for b in v.BRANCHES if b.children]
        self.adult_branches = [b.code for b in v.BRANCHES if not b.children]
        self.statuses = [status for status, _ in STATUS_WEIGHTS]
        self.status_weights = [weight for _, weight in STATUS_WEIGHTS]

    def items(self, book: Book) -> tuple[PlannedItem, ...]:
        rng = self.rng
        count = rng.choices(range(1, 6), weights=COPIES_WEIGHTS)[0]
        items = []
        for _ in range(count):
            # Children's books go mostly to children's libraries, a few adult ones too.
            to_children = rng.random() < (0.7 if book.children else 0.05)
            code = rng.choice(self.children_branches if to_children else self.adult_branches)
            self.barcode_counter += 1
            self.inventory[code] += 1
            status = rng.choices(self.statuses, weights=self.status_weights)[0]
            acquired = book.entered + dt.timedelta(days=rng.randrange(0, 60))
            items.append(
                PlannedItem(
                    branch_code=code,
                    barcode=ean13(f"{v.BARCODE_PREFIX}{self.barcode_counter:010d}"),
                    inventory_number=f"{code.upper()}-{self.inventory[code]:06d}",
                    shelf_mark=f"{book.bbk} {book.author_mark}",
                    item_type="читальный зал" if status == "reference" else "абонемент",
                    status=status,
                    price=book.price,
                    acquired_on=min(acquired, dt.date(v.REFERENCE_YEAR - 1, 12, 31)),
                )
            )
        return tuple(items)


def plan_records(*, seed: int, count: int) -> list[PlannedRecord]:
    """The catalogue part of the demo: `count` records with their copies, fixed by `seed`."""
    rng = random.Random(f"polka-demo-records-{seed}")  # noqa: S311 - reproducible, not secret
    books = BookFactory(rng)
    copies = ItemFactory(rng)
    planned: list[PlannedRecord] = []
    for number in range(1, count + 1):
        # The last record is a second edition of the first novel, poem … (see new_edition).
        fiction = (p.book for p in planned if p.book.literary_form)
        if number == count and (first := next(fiction, None)) is not None:
            book = books.new_edition(first, number)
        else:
            book = books.book(number)
        flavour: MarcFlavour = "rusmarc" if rng.random() < RUSMARC_SHARE else "marc21"
        items = copies.items(book)
        if flavour == "rusmarc":
            marc = rusmarc(book)
            marc.fields += [holdings_910(item) for item in items]
        else:
            marc = marc21(book)
            marc.fields += [holdings_952(item, LOAN_DUE) for item in items]
        planned.append(PlannedRecord(book, flavour, marc, items))
    return planned
