"""Other texts (reference answers, news) are found the way catalogue records are."""

import pytest
from django.db import transaction

from polka.search.content import content_index, content_search, content_unindex

pytestmark = pytest.mark.django_db


def _index(object_id, title, body, kind="question", tags=()):
    content_index(kind=kind, object_id=object_id, title=title, body=body, tags=tags)


def test_another_word_form_finds_the_text():
    _index(1, "Книги о великой войне", "Список литературы для школьников")
    _index(2, "Сад и огород", "Как вырастить томаты")
    assert content_search(kind="question", text="книги о войне").ids == [1]
    assert content_search(kind="question", text="литературу").ids == [1]


def test_a_title_match_ranks_above_a_body_match():
    _index(1, "Вопрос о рыбалке", "Где найти книги о войне и мире")
    _index(2, "Война и мир: издания", "Какие есть издания")
    assert content_search(kind="question", text="война").ids == [2, 1]


def test_kinds_and_tags_keep_texts_apart():
    _index(1, "Праздник книги", "", kind="question", tags=("краеведение",))
    _index(1, "Праздник книги", "", kind="news")
    _index(2, "Праздник книги в филиале", "", kind="question", tags=("детям",))
    assert sorted(content_search(kind="question", text="праздник").ids) == [1, 2]
    assert content_search(kind="question", text="праздник", tag="детям").ids == [2]
    assert content_search(kind="news", text="праздник").ids == [1]


def test_the_wrong_keyboard_layout_and_latin_letters_are_understood():
    _index(1, "Достоевский в Петербурге", "")
    results = content_search(kind="question", text="ljcnjtdcrbq")
    assert results.ids == [1] and results.suggestion
    assert content_search(kind="question", text="dostoevsky").ids == [1]


def test_reindexing_replaces_the_text_and_unindexing_removes_it():
    _index(1, "Старое заглавие", "")
    _index(1, "Новое заглавие", "")
    assert content_search(kind="question", text="старое").total == 0
    assert content_search(kind="question", text="новое").ids == [1]
    content_unindex(kind="question", object_id=1)
    assert content_search(kind="question", text="новое").total == 0


def test_paging_counts_every_hit():
    for n in range(1, 6):
        _index(n, f"Вопрос номер {n} о краеведении", "")
    first = content_search(kind="question", text="краеведение", per_page=2)
    second = content_search(kind="question", text="краеведение", per_page=2, page=2)
    assert first.total == 5 and len(first.ids) == 2 and len(second.ids) == 2
    assert not set(first.ids) & set(second.ids)


@pytest.mark.django_db(transaction=True)
def test_an_index_change_that_rolls_back_leaves_nothing_behind():
    with pytest.raises(RuntimeError), transaction.atomic():
        _index(1, "Черновик", "")
        raise RuntimeError
    assert content_search(kind="question", text="черновик").total == 0
