"""polka.core.choices: every field with fixed choices shows its label through the fast
method, translated into the language active when it is shown; an unknown value shows as
itself; a model's own display method is left alone."""

from django.apps import apps
from django.utils import translation

from polka.catalog.models import Item, ItemStatus, MaterialType, Record
from polka.core.choices import fast_choice_labels_install


def test_a_label_follows_the_language_active_when_it_is_shown():
    record = Record(material_type=MaterialType.BOOK)
    with translation.override("ru"):
        russian = record.get_material_type_display()
    with translation.override("en"):
        english = record.get_material_type_display()
    assert russian == str(MaterialType.BOOK.label) != english
    with translation.override("en"):
        assert english == str(MaterialType.BOOK.label)
    assert Item(status=ItemStatus.ON_LOAN).get_status_display() == str(ItemStatus.ON_LOAN.label)


def test_an_unknown_value_shows_as_itself():
    assert Record(material_type="no-such-kind").get_material_type_display() == "no-such-kind"


def test_every_generated_display_method_is_replaced_and_a_models_own_kept():
    generated = [
        (model, f"get_{field.name}_display")
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if field.choices
    ]
    assert generated
    for model, name in generated:
        assert getattr(model, name).__qualname__.startswith("_display"), (model, name)

    class Own:
        def get_material_type_display(self) -> str:
            return "own"

    original = Record.get_material_type_display
    try:
        Record.get_material_type_display = Own.get_material_type_display  # type: ignore[method-assign]
        fast_choice_labels_install()
        assert Record(material_type=MaterialType.BOOK).get_material_type_display() == "own"
    finally:
        Record.get_material_type_display = original  # type: ignore[method-assign]
