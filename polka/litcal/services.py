"""Staff additions to the literary calendar (news.publish, the portal's publishing right)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from polka.catalog.models import Person
from polka.core.sanitize import clean_text
from polka.litcal.models import ExtraPerson, PersonNote
from polka.org.policies import AnyUser, staff_require


@transaction.atomic
def extra_person_save(*, person: ExtraPerson | None, by: AnyUser, **fields: Any) -> ExtraPerson:
    staff_require(user=by, action="news.publish")
    person = person or ExtraPerson()
    for name, value in fields.items():
        if isinstance(value, str):
            value = clean_text(value, multiline=name == "note")
        setattr(person, name, value)
    if person.birth_date and not person.birth_year:
        person.birth_year = person.birth_date.year
    if person.death_date and not person.death_year:
        person.death_year = person.death_date.year
    person.save()
    return person


@transaction.atomic
def person_note_set(*, person: Person, note: str, hidden: bool, by: AnyUser) -> PersonNote:
    staff_require(user=by, action="news.publish")
    row, _created = PersonNote.objects.update_or_create(
        person=person, defaults={"note": clean_text(note), "hidden": hidden}
    )
    return row
