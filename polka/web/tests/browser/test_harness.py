"""The accessibility check itself can fail: it reports serious violations and ignores minor ones."""

import pytest

pytestmark = pytest.mark.browser


def test_axe_fails_a_page_with_an_unlabelled_input_and_names_the_rule(page, axe):
    page.set_content('<!doctype html><html lang="ru"><title>t</title><main><input></main></html>')
    with pytest.raises(pytest.fail.Exception, match="label"):
        axe(page)


def test_axe_passes_a_page_whose_only_problems_are_minor(page, axe):
    # A missing <main> landmark is "moderate": reported, but it does not fail the check.
    page.set_content('<!doctype html><html lang="ru"><title>t</title><p>текст</p></html>')
    violations = axe(page)
    assert {v["impact"] for v in violations} <= {"minor", "moderate"}
    assert violations
