"""Forms of the desk (registration, edits, re-registration) and of the reader's account.

Forms only parse; rules live in services, whose errors come back to the field they name
(`apply_error`), so the form keeps what was typed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from polka.accounts.models import User
from polka.consents.forms import ConsentField
from polka.consents.texts import NOTIFICATIONS, PERSONAL_DATA, PLATFORM_TRANSFER, PUBLISH_PHOTO
from polka.core.antispam import HoneypotMixin
from polka.org.models import Branch
from polka.readers.errors import ReaderError
from polka.readers.models import PreRegistration, Reader
from polka.readers.selectors import reader_categories
from polka.readers.services import reader_account_ensure

OPTIONAL_CONSENTS = (NOTIFICATIONS, PLATFORM_TRANSFER, PUBLISH_PHOTO)


def apply_error(form: forms.Form, error: ReaderError) -> None:
    """Show a service's refusal beside the field it is about (or above the form)."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))


# A birth date is typed as on a passport, whatever the browser's locale: digits and dots.
DATE_FORMATS = ["%d.%m.%Y", "%d%m%Y", "%Y-%m-%d"]


class DateInput(forms.DateInput):
    def __init__(self, **kwargs: Any) -> None:
        attrs = {"placeholder": _("ДД.ММ.ГГГГ"), "inputmode": "numeric", "autocomplete": "off"}
        super().__init__(format=DATE_FORMATS[0], attrs=attrs, **kwargs)


class PersonForm(forms.Form):
    """A person's data (tab order is the order of the fields) and the branch they belong to."""

    last_name = forms.CharField(label=_("Фамилия"), max_length=100)
    first_name = forms.CharField(label=_("Имя"), max_length=100)
    middle_name = forms.CharField(label=_("Отчество"), max_length=100, required=False)
    birth_date = forms.DateField(
        label=_("Дата рождения"), widget=DateInput(), input_formats=DATE_FORMATS
    )
    phone = forms.CharField(label=_("Телефон"), max_length=50, required=False)
    email = forms.EmailField(label=_("Электронная почта"), required=False)
    address = forms.CharField(
        label=_("Адрес"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    home_branch = forms.ModelChoiceField(
        label=_("Библиотека"), queryset=Branch.objects.none(), empty_label=None
    )

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        home = self.fields["home_branch"]
        assert isinstance(home, forms.ModelChoiceField)
        home.queryset = branches


class ReaderDataForm(PersonForm):
    """The reader's data, as the desk types it."""

    category = forms.ChoiceField(label=_("Категория"))
    field_order = [*(n for n in PersonForm.base_fields if n != "home_branch"), "category"]

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, branches=branches, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [(c.code, c.name) for c in reader_categories()]
        self.fields["last_name"].widget.attrs.update(autofocus=True, autocomplete="off")


class GuardianForm(forms.Form):
    """A child's parent or legal representative: a reader by card, or a person by name."""

    guardian_card = forms.CharField(
        label=_("Билет законного представителя (если он читатель)"),
        max_length=30,
        required=False,
    )
    guardian_name = forms.CharField(
        label=_("ФИО законного представителя"),
        max_length=300,
        required=False,
        help_text=_("Для читателей младше 14 лет: согласие даёт родитель или представитель."),
    )
    guardian_phone = forms.CharField(
        label=_("Телефон представителя"), max_length=50, required=False
    )
    guardian_relation = forms.CharField(label=_("Кем приходится"), max_length=100, required=False)


class RegistrationForm(ReaderDataForm):
    card_number = forms.CharField(
        label=_("Номер билета"),
        max_length=30,
        required=False,
        help_text=_("Отсканируйте штрихкод билета или оставьте пустым: номер будет создан."),
    )
    guardian_card = GuardianForm.base_fields["guardian_card"]
    guardian_name = GuardianForm.base_fields["guardian_name"]
    guardian_phone = GuardianForm.base_fields["guardian_phone"]
    guardian_relation = GuardianForm.base_fields["guardian_relation"]
    consent_personal_data = ConsentField(PERSONAL_DATA)
    consent_notifications = ConsentField(NOTIFICATIONS, required=False)
    consent_platform_transfer = ConsentField(PLATFORM_TRANSFER, required=False)
    consent_publish_photo = ConsentField(PUBLISH_PHOTO, required=False)
    confirm_duplicates = forms.BooleanField(
        label=_("Это другой человек: записать нового читателя"), required=False
    )
    # Completing an online pre-registration: its number, and the identity check.
    preregistration = forms.CharField(required=False, widget=forms.HiddenInput())
    identity_checked = forms.BooleanField(
        label=_("Документ, удостоверяющий личность, проверен"), required=False
    )

    @staticmethod
    def initial_from(pre: PreRegistration) -> dict[str, Any]:
        return {
            "last_name": pre.last_name,
            "first_name": pre.first_name,
            "middle_name": pre.middle_name,
            "birth_date": pre.birth_date,
            "email": pre.email,
            "phone": pre.phone,
            "address": pre.address,
            "home_branch": pre.home_branch_id,
            "guardian_name": pre.guardian_name,
            "preregistration": pre.number,
        }

    def consents(self) -> list[str]:
        chosen = [PERSONAL_DATA] if self.cleaned_data.get("consent_personal_data") else []
        return chosen + [p for p in OPTIONAL_CONSENTS if self.cleaned_data.get(f"consent_{p}")]


class ApplyForm(HoneypotMixin, PersonForm):
    """Online pre-registration: the site's form, under consent."""

    guardian_name = forms.CharField(
        label=_("ФИО родителя или законного представителя"),
        max_length=300,
        required=False,
        help_text=_("Обязательно, если записываете ребёнка младше 14 лет."),
    )
    consent_personal_data = ConsentField(PERSONAL_DATA)

    def __init__(self, *args: Any, branches: QuerySet[Branch], **kwargs: Any) -> None:
        super().__init__(*args, branches=branches, **kwargs)
        self.fields["home_branch"].label = _("Где удобнее получить билет")


class ReaderEditForm(ReaderDataForm):
    @staticmethod
    def initial_for(reader: Reader) -> dict[str, Any]:
        return {
            "last_name": reader.last_name,
            "first_name": reader.first_name,
            "middle_name": reader.middle_name,
            "birth_date": reader.birth_date,
            "phone": reader.phone,
            "email": reader.email,
            "address": reader.address,
            "category": reader.category_id,
            "home_branch": reader.home_branch_id,
        }


class CardForm(forms.Form):
    card = forms.CharField(
        label=_("Номер билета"),
        max_length=30,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Билет, фамилия, телефон или почта"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"autofocus": True, "type": "search"}),
    )


class ContactsForm(forms.Form):
    email = forms.EmailField(label=_("Электронная почта"), required=False)
    phone = forms.CharField(label=_("Телефон"), max_length=50, required=False)
    address = forms.CharField(
        label=_("Адрес"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class HistoryForm(forms.Form):
    keep_history = forms.BooleanField(label=_("Хранить историю чтения"), required=False)


class ReaderLoginForm(AuthenticationForm):
    """Card number or e-mail, and the password."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        assert isinstance(username, forms.CharField)
        username.label = _("Номер билета или электронная почта")
        username.max_length = 254
        username.widget.attrs["maxlength"] = 254


class ReaderPasswordResetForm(PasswordResetForm):
    """Readers set their first password the same way they reset it: a link by e-mail, sent to
    the address on their reader record (their login may have no usable password yet)."""

    def get_users(self, email: str) -> Iterator[User]:
        for reader in Reader.objects.filter(email__iexact=email).exclude(email=""):
            user = reader_account_ensure(reader=reader)
            if user.is_active:
                yield user
