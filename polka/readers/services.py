"""Changes to readers: registration under recorded consents (a guardian's for a child), edits,
yearly re-registration, the reader's own account, erasure.

`by` is the member of staff acting (checked against polka.org.policies: "readers.register" in the
reader's home branch), or None for the system (import, demo) and for the reader acting on their
own record from their account.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone

from polka.accounts.models import User
from polka.consents.models import Channel, ConsentRecord
from polka.consents.services import consent_record, consent_withdraw
from polka.consents.texts import NOTIFICATIONS, PERSONAL_DATA, TEXTS
from polka.org.models import Branch
from polka.org.policies import AnyUser, staff_require
from polka.readers import policies
from polka.readers.errors import (
    BirthDateInFuture,
    CardNumberInvalid,
    CardNumberTaken,
    ConsentNotFound,
    EmailTaken,
    ErasureBlocked,
    GuardianInvalid,
    GuardianRequired,
    IdentityNotChecked,
    PersonalDataConsentMissing,
    PersonalDataConsentNeedsErasure,
    PossibleDuplicates,
    PreRegistrationExpired,
    ReaderNotFound,
    UnknownCategory,
)
from polka.readers.models import (
    Erasure,
    Guardian,
    PreRegistration,
    Reader,
    ReaderCategory,
    ReaderConsent,
    RecordView,
    Registration,
)
from polka.readers.registry import erasure_blockers, erasure_cleaners
from polka.readers.selectors import name_normalise, reader_duplicates

# Kept for callers that name the purposes through readers.
CONSENT_PERSONAL_DATA = PERSONAL_DATA
CONSENT_NOTIFICATIONS = NOTIFICATIONS

REGISTER = "readers.register"
VIEW = "readers.view"


@dataclass(frozen=True, slots=True)
class GuardianData:
    """A child's parent or legal representative: a reader (by record) or a person by name."""

    reader: Reader | None = None
    full_name: str = ""
    phone: str = ""
    email: str = ""
    relation: str = ""


def _require_aware(at: dt.datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("`at` must be an aware datetime")


def _require_staff(by: AnyUser | None, branch: Branch, action: str = REGISTER) -> None:
    if by is not None:
        staff_require(user=by, action=action, branch=branch)


def _category(code: str) -> ReaderCategory:
    category = ReaderCategory.objects.filter(code=code).first()
    if category is None:
        raise UnknownCategory()
    return category


def reader_categories_ensure() -> int:
    """Store the default categories that are missing (a fresh or flushed database); returns how
    many were added."""
    added = 0
    for position, (code, name) in enumerate(policies.DEFAULT_CATEGORIES):
        _category, created = ReaderCategory.objects.get_or_create(
            code=code, defaults={"name": name, "position": position}
        )
        added += created
    return added


def _check_email_free(email: str, *, exclude: Reader | None = None) -> None:
    if not email:
        return
    taken = Reader.objects.filter(email__iexact=email)
    if exclude is not None:
        taken = taken.exclude(pk=exclude.pk)
    if taken.exists():
        raise EmailTaken()


def _check_birth_date(birth_date: dt.date | None, on: dt.date) -> None:
    if birth_date is not None and birth_date > on:
        raise BirthDateInFuture()


def _card_generate() -> str:
    """The next free generated number of the configured format."""
    prefix = policies.card_prefix()
    pattern = "^" + re.escape(prefix) + r"[0-9]+$"
    highest = 0
    for number in Reader.objects.filter(card_number__regex=pattern).values_list(
        "card_number", flat=True
    ):
        sequence = policies.card_number_sequence(number)
        if sequence is not None and sequence > highest:
            highest = sequence
    candidate = policies.card_number_compose(highest + 1)
    while Reader.objects.filter(card_number=candidate).exists():
        highest += 1
        candidate = policies.card_number_compose(highest + 1)
    return candidate


def _card_number(value: str) -> str:
    number = policies.card_number_normalise(value)
    if not number:
        return _card_generate()
    if not policies.card_number_valid(number):
        raise CardNumberInvalid()
    if Reader.objects.filter(card_number=number).exists():
        raise CardNumberTaken(number)
    return number


def _local_date(at: dt.datetime) -> dt.date:
    return timezone.localdate(at)


def _guardian_store(*, child: Reader, data: GuardianData, at: dt.datetime) -> Guardian:
    on = _local_date(at)
    if data.reader is not None:
        birth = data.reader.birth_date
        if data.reader.pk == child.pk or (
            birth is not None
            and policies.age_on(birth_date=birth, on=on) < policies.GUARDIAN_MIN_AGE
        ):
            raise GuardianInvalid()
    elif not data.full_name.strip():
        raise GuardianRequired()
    return Guardian.objects.create(
        child=child,
        reader=data.reader,
        full_name="" if data.reader is not None else data.full_name.strip()[:300],
        phone=data.phone.strip(),
        email=data.email.strip(),
        relation=data.relation.strip()[:100],
        added_at=at,
    )


def _consent_store(
    *,
    reader: Reader,
    purpose: str,
    at: dt.datetime,
    by: AnyUser | None,
    channel: str,
    ip_address: str | None,
    guardian: Guardian | None = None,
) -> ReaderConsent:
    giver_name = guardian.display_name if guardian is not None else reader.full_name
    giver_email = guardian.email if guardian is not None else reader.email
    record = consent_record(
        purpose=purpose,
        at=at,
        ip_address=ip_address,
        name=giver_name,
        email=giver_email,
        user=reader.user if guardian is None and by is None else None,
        context=f"readers.reader:{reader.pk}",
        channel=channel,
        taken_by=by,
    )
    return ReaderConsent.objects.create(reader=reader, record=record, guardian=guardian)


@transaction.atomic
def reader_register(
    *,
    last_name: str,
    first_name: str,
    home_branch: Branch,
    consents: Sequence[str],
    at: dt.datetime,
    by: AnyUser | None = None,
    card_number: str = "",
    middle_name: str = "",
    birth_date: dt.date | None = None,
    email: str = "",
    phone: str = "",
    address: str = "",
    category: str = "adult",
    guardians: Sequence[GuardianData] = (),
    channel: str = Channel.DESK,
    ip_address: str | None = None,
    duplicates_confirmed: bool = False,
    consents_given: Sequence[ConsentRecord] = (),
) -> Reader:
    """Register a reader with the consents (purposes) they gave, all at `at`; an empty
    `card_number` gets a generated one; `consents_given` are records already taken (online,
    at pre-registration) that become this reader's. A child under 14 needs a guardian, who gives the
    consents on the child's behalf. Nothing is stored unless everything is.

    Raises PossibleDuplicates (unless `duplicates_confirmed`), CardNumberTaken, CardNumberInvalid,
    EmailTaken, BirthDateInFuture, GuardianRequired, PersonalDataConsentMissing, UnknownCategory.
    """
    _require_aware(at)
    _require_staff(by, home_branch)
    last_name, first_name = name_normalise(last_name), name_normalise(first_name)
    middle_name = name_normalise(middle_name)
    email, phone = email.strip(), phone.strip()
    if not last_name or not first_name:
        raise ValueError("a reader needs a surname and a first name")
    on = _local_date(at)
    _check_birth_date(birth_date, on)
    if PERSONAL_DATA not in consents and not any(
        r.purpose == PERSONAL_DATA for r in consents_given
    ):
        raise PersonalDataConsentMissing()
    unknown = [p for p in consents if p not in TEXTS]
    if unknown:
        raise ValueError(f"unknown consent purposes {unknown!r}")
    child = birth_date is not None and policies.needs_guardian(birth_date=birth_date, on=on)
    if child and not guardians:
        raise GuardianRequired()
    cat = _category(category)
    number = _card_number(card_number)
    _check_email_free(email)
    if not duplicates_confirmed:
        candidates = reader_duplicates(
            last_name=last_name,
            first_name=first_name,
            birth_date=birth_date,
            phone=phone,
            email=email,
        )
        if candidates:
            raise PossibleDuplicates(candidates)
    reader = Reader.objects.create(
        card_number=number,
        last_name=last_name,
        first_name=first_name,
        middle_name=middle_name,
        birth_date=birth_date,
        email=email,
        phone=phone,
        address=address.strip(),
        category=cat,
        home_branch=home_branch,
        registered_at=at,
        registered_by_id=by.pk if by is not None and by.is_authenticated else None,
    )
    stored = [_guardian_store(child=reader, data=g, at=at) for g in guardians]
    giver = stored[0] if child else None
    for purpose in dict.fromkeys(consents):
        _consent_store(
            reader=reader,
            purpose=purpose,
            at=at,
            by=by,
            channel=channel,
            ip_address=ip_address,
            guardian=giver,
        )
    for record in consents_given:
        ReaderConsent.objects.create(reader=reader, record=record, guardian=giver)
    _registration_store(reader=reader, branch=home_branch, at=at, by=by, is_new=True)
    return reader


def _registration_store(
    *, reader: Reader, branch: Branch, at: dt.datetime, by: AnyUser | None, is_new: bool
) -> Registration:
    return Registration.objects.create(
        reader=reader,
        year=policies.registration_year(at=at),
        at=at,
        branch=branch,
        category=reader.category_id,
        is_new=is_new,
        # Kept on the fact itself, so the statistics' age bands survive the reader's erasure.
        age=policies.age_on(birth_date=reader.birth_date, on=timezone.localdate(at))
        if reader.birth_date
        else None,
        by_id=by.pk if by is not None and by.is_authenticated else None,
    )


@transaction.atomic
def guardian_add(
    *, child: Reader, guardian: GuardianData, at: dt.datetime, by: AnyUser | None = None
) -> Guardian:
    _require_aware(at)
    _require_staff(by, child.home_branch)
    return _guardian_store(child=child, data=guardian, at=at)


# Fields the desk may change; contacts are also the reader's own to change.
STAFF_EDITABLE = (
    "last_name",
    "first_name",
    "middle_name",
    "birth_date",
    "email",
    "phone",
    "address",
    "category",
    "home_branch",
)
READER_EDITABLE = ("email", "phone", "address")


def _apply(reader: Reader, changes: dict[str, Any], allowed: Sequence[str]) -> list[str]:
    extra = set(changes) - set(allowed)
    if extra:
        raise ValueError(f"not editable here: {sorted(extra)}")
    if "email" in changes:
        changes["email"] = str(changes["email"]).strip()
        _check_email_free(changes["email"], exclude=reader)
    if "category" in changes and not isinstance(changes["category"], ReaderCategory):
        changes["category"] = _category(str(changes["category"]))
    changed = []
    for name, value in changes.items():
        if name in ("last_name", "first_name", "middle_name"):
            value = name_normalise(str(value))
        elif isinstance(value, str) and name != "email":
            value = value.strip()
        if getattr(reader, name) != value:
            setattr(reader, name, value)
            changed.append(name)
    return changed


@transaction.atomic
def reader_update(
    *, reader: Reader, changes: dict[str, Any], at: dt.datetime, by: AnyUser | None
) -> list[str]:
    """The desk corrects a reader's record; returns the names of the fields changed."""
    _require_aware(at)
    reader = Reader.objects.select_for_update().get(pk=reader.pk)
    _require_staff(by, reader.home_branch)
    if isinstance(changes.get("home_branch"), Branch):
        _require_staff(by, changes["home_branch"])
    if "birth_date" in changes:
        _check_birth_date(changes["birth_date"], _local_date(at))
    changed = _apply(reader, dict(changes), STAFF_EDITABLE)
    if changed:
        reader.save(update_fields=changed)
        _user_email_sync(reader)
    return changed


@transaction.atomic
def reader_contacts_update(
    *, reader: Reader, changes: dict[str, Any], at: dt.datetime
) -> list[str]:
    """The reader changes their own contacts from their account."""
    _require_aware(at)
    reader = Reader.objects.select_for_update().get(pk=reader.pk)
    changed = _apply(reader, dict(changes), READER_EDITABLE)
    if changed:
        reader.save(update_fields=changed)
        _user_email_sync(reader)
    return changed


def _user_email_sync(reader: Reader) -> None:
    if reader.user_id is not None:
        User.objects.filter(pk=reader.user_id).update(email=reader.email)


@transaction.atomic
def reader_consent_give(
    *,
    reader: Reader,
    purpose: str,
    at: dt.datetime,
    by: AnyUser | None = None,
    channel: str = Channel.DESK,
    ip_address: str | None = None,
    guardian: Guardian | None = None,
) -> ReaderConsent:
    """Record one more consent; at 14 the reader's own consent to personal data replaces the
    guardian's (the desk is reminded until it is given)."""
    _require_aware(at)
    if by is not None:
        _require_staff(by, reader.home_branch)
    if purpose not in TEXTS:
        raise ValueError(f"unknown consent purpose {purpose!r}")
    if guardian is not None and guardian.child_id != reader.pk:
        raise GuardianInvalid()
    return _consent_store(
        reader=reader,
        purpose=purpose,
        at=at,
        by=by,
        channel=channel,
        ip_address=ip_address,
        guardian=guardian,
    )


@transaction.atomic
def reader_consent_withdraw(
    *, reader: Reader, record_id: int, at: dt.datetime, by: AnyUser | None = None
) -> ConsentRecord:
    _require_aware(at)
    if by is not None:
        _require_staff(by, reader.home_branch)
    link = (
        ReaderConsent.objects.select_related("record").filter(reader=reader, record_id=record_id)
    ).first()
    if link is None:
        raise ConsentNotFound()
    if link.record.purpose == PERSONAL_DATA:
        raise PersonalDataConsentNeedsErasure()
    consent_withdraw(record=link.record, at=at)
    return link.record


@transaction.atomic
def reader_reregister(
    *,
    reader: Reader,
    branch: Branch,
    at: dt.datetime,
    by: AnyUser | None,
    changes: dict[str, Any] | None = None,
) -> tuple[Registration, bool]:
    """The yearly re-registration at the desk: data confirmed (and corrected), recorded for the
    year's statistics. Once a year: a second time returns the year's registration, False."""
    _require_aware(at)
    _require_staff(by, reader.home_branch)
    _require_staff(by, branch)
    if changes:
        reader_update(reader=reader, changes=changes, at=at, by=by)
        reader.refresh_from_db()
    existing = Registration.objects.filter(
        reader=reader, year=policies.registration_year(at=at)
    ).first()
    if existing is not None:
        return existing, False
    return _registration_store(reader=reader, branch=branch, at=at, by=by, is_new=False), True


@transaction.atomic
def reader_record_open(*, reader_id: int, by: AnyUser, at: dt.datetime) -> Reader:
    """Staff open a reader's record: allowed only in their branches, and logged (who, when)."""
    _require_aware(at)
    reader = (
        Reader.objects.select_related("category", "home_branch", "user")
        .filter(pk=reader_id)
        .first()
    )
    if reader is None:
        raise ReaderNotFound()
    staff_require(user=by, action=VIEW, branch=reader.home_branch)
    RecordView.objects.create(reader=reader, viewer_id=by.pk, at=at)
    return reader


def _reader_username(reader: Reader) -> str:
    return f"reader-{reader.pk}"


@transaction.atomic
def reader_account_ensure(*, reader: Reader) -> User:
    """The reader's login (created without a usable password: they set one by email)."""
    if reader.user_id is not None:
        return User.objects.get(pk=reader.user_id)
    user = User(username=_reader_username(reader), email=reader.email, full_name=reader.full_name)
    user.set_unusable_password()
    user.save()
    reader.user = user
    reader.save(update_fields=["user"])
    return user


@transaction.atomic
def reader_password_set(*, reader: Reader, password: str) -> User:
    """Set the reader's password (validated; raises django's ValidationError)."""
    user = reader_account_ensure(reader=reader)
    validate_password(password, user)
    user.set_password(password)
    user.save(update_fields=["password"])
    return user


def reader_keep_history_set(*, reader: Reader, keep: bool) -> None:
    if reader.keep_history != keep:
        reader.keep_history = keep
        reader.save(update_fields=["keep_history"])


@transaction.atomic
def reader_erase(
    *, reader: Reader, at: dt.datetime, by: AnyUser | None, on_request: bool = False
) -> Erasure:
    """Erase everything held about the reader, irreversibly, keeping only anonymous statistical
    facts (registrations without the reader) and an audit row that says what was erased.

    Raises ErasureBlocked while something is on loan or owed.
    """
    _require_aware(at)
    reader = Reader.objects.select_for_update().get(pk=reader.pk)
    _require_staff(by, reader.home_branch)
    reasons = erasure_blockers(reader)
    if reasons:
        raise ErasureBlocked(reasons)
    removed: dict[str, int] = {}
    for cleaner in erasure_cleaners():
        for label, count in cleaner(reader).items():
            removed[label] = removed.get(label, 0) + count
    records = ConsentRecord.objects.filter(reader_link__reader=reader)
    removed["consents.ConsentRecord"] = records.count()
    # Consents given as a guardian of another reader name this reader: anonymise them.
    as_guardian = ConsentRecord.objects.filter(reader_link__guardian__reader=reader)
    removed["consents.ConsentRecord (guardian)"] = as_guardian.update(name="", email="")
    removed["readers.Registration"] = Registration.objects.filter(reader=reader).update(reader=None)
    records.delete()
    for label, count in Guardian.objects.filter(reader=reader).delete()[1].items():
        removed[label] = removed.get(label, 0) + count
    user_id = reader.user_id
    pk = reader.pk
    for label, count in reader.delete()[1].items():
        removed[label] = removed.get(label, 0) + count
    if user_id is not None:
        removed["accounts.User"] = User.objects.filter(pk=user_id).delete()[0]
    return Erasure.objects.create(
        at=at,
        by_id=by.pk if by is not None and by.is_authenticated else None,
        reader_id_erased=pk,
        removed={k: v for k, v in removed.items() if v},
        on_request=on_request,
    )


@transaction.atomic
def reader_erasure_request(*, reader: Reader, at: dt.datetime) -> Erasure | None:
    """The reader asks to be erased: done now when nothing is on loan or owed, else recorded
    and carried out by readers_erase_pending once it is settled (returns None then)."""
    _require_aware(at)
    if not erasure_blockers(reader):
        return reader_erase(reader=reader, at=at, by=None, on_request=True)
    if reader.erasure_requested_at is None:
        reader.erasure_requested_at = at
        reader.save(update_fields=["erasure_requested_at"])
    return None


def readers_erase_pending(*, at: dt.datetime) -> int:
    """Carry out the erasures readers asked for whose loans and debts are now settled."""
    done = 0
    for reader in Reader.objects.filter(erasure_requested_at__isnull=False).order_by("pk"):
        try:
            reader_erase(reader=reader, at=at, by=None, on_request=True)
        except ErasureBlocked:
            continue
        done += 1
    return done


def _preregistration_number() -> str:
    while True:
        number = "P" + "".join(secrets.choice("0123456789") for _ in range(7))
        if not PreRegistration.objects.filter(number=number).exists():
            return number


@transaction.atomic
def preregistration_create(
    *,
    last_name: str,
    first_name: str,
    birth_date: dt.date,
    home_branch: Branch,
    at: dt.datetime,
    ip_address: str | None,
    middle_name: str = "",
    email: str = "",
    phone: str = "",
    address: str = "",
    guardian_name: str = "",
) -> PreRegistration:
    """A person fills the form on the site, consenting online; a child's parent gives their
    name and the consent is theirs. Returns the pre-registration with its temporary number."""
    _require_aware(at)
    _check_birth_date(birth_date, _local_date(at))
    child = policies.needs_guardian(birth_date=birth_date, on=_local_date(at))
    if child and not guardian_name.strip():
        raise GuardianRequired()
    last_name, first_name = name_normalise(last_name), name_normalise(first_name)
    consent = consent_record(
        purpose=PERSONAL_DATA,
        at=at,
        ip_address=ip_address,
        name=guardian_name.strip() if child else f"{last_name} {first_name}",
        email=email.strip(),
        context="readers.preregistration",
        channel=Channel.ONLINE,
    )
    return PreRegistration.objects.create(
        number=_preregistration_number(),
        last_name=last_name,
        first_name=first_name,
        middle_name=name_normalise(middle_name),
        birth_date=birth_date,
        email=email.strip(),
        phone=phone.strip(),
        address=address.strip(),
        guardian_name=guardian_name.strip()[:300] if child else "",
        home_branch=home_branch,
        consent=consent,
        created_at=at,
        expires_at=at + dt.timedelta(days=policies.PREREGISTRATION_DAYS),
    )


@transaction.atomic
def preregistration_complete(
    *,
    preregistration: PreRegistration,
    at: dt.datetime,
    by: AnyUser | None,
    identity_checked: bool,
    **registration: Any,
) -> Reader:
    """The desk checked the identity document and registers the reader from the
    pre-registration (with corrections in `registration`, passed on to reader_register); the
    online consent becomes the reader's; the pre-registration is removed."""
    _require_aware(at)
    if not identity_checked:
        raise IdentityNotChecked()
    prereg = PreRegistration.objects.select_for_update().get(pk=preregistration.pk)
    if prereg.expires_at <= at:
        raise PreRegistrationExpired()
    values: dict[str, Any] = {
        "last_name": prereg.last_name,
        "first_name": prereg.first_name,
        "middle_name": prereg.middle_name,
        "birth_date": prereg.birth_date,
        "email": prereg.email,
        "phone": prereg.phone,
        "address": prereg.address,
        "home_branch": prereg.home_branch,
        "consents": [],
    }
    if prereg.guardian_name and not registration.get("guardians"):
        values["guardians"] = [GuardianData(full_name=prereg.guardian_name)]
    values.update(registration)
    reader = reader_register(at=at, by=by, consents_given=[prereg.consent], **values)
    prereg.delete()
    return reader


@transaction.atomic
def preregistrations_purge(*, at: dt.datetime) -> int:
    """Erase the pre-registrations nobody confirmed in time, with their consent records."""
    expired = PreRegistration.objects.filter(expires_at__lte=at)
    consent_ids = list(expired.values_list("consent_id", flat=True))
    count = expired.delete()[0]
    ConsentRecord.objects.filter(pk__in=consent_ids).delete()
    return count
