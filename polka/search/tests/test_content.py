"""Other texts (reference answers, news) are found the way catalogue records are."""

import pytest
from django.db import transaction

from polka.search import content
from polka.search.content import ContentText, content_index, content_search, content_unindex
from polka.search.indexing import index_analysis_current, reindex_all
from polka.search.models import SearchIndexState

pytestmark = pytest.mark.django_db


def _index(object_id, title, body, kind="question", tags=()):
    content_index(kind=kind, object_id=object_id, title=title, body=body, tags=tags)


def test_another_word_form_finds_the_text():
    _index(1, "Книги о великой войне", "Список литературы для школьников")
    _index(2, "Сад и огород", "Как вырастить томаты")
    assert content_search(kind="question", text="книги о войне").ids == [1]
    assert content_search(kind="question", text="литературу").ids == [1]


def test_a_surname_is_found_in_any_case_as_in_the_catalogue():
    # Snowball files «Чехов» under «чех» and «Чехова» under «чехов»: the name keys join them.
    _index(1, "Вечер памяти", "Читаем рассказы Чехова")
    _index(2, "Чехов и театр", "Встреча в читальном зале")
    _index(3, "Гончаров: «Обломов»", "Обсуждение романа")
    assert sorted(content_search(kind="question", text="Чехов").ids) == [1, 2]
    assert sorted(content_search(kind="question", text="Чехова").ids) == [1, 2]
    assert content_search(kind="question", text="Обломову").ids == [3]
    assert content_search(kind="question", text="Гончарова").ids == [3]


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


def test_a_rebuild_indexes_each_registered_kind_afresh_and_leaves_the_others(monkeypatch):
    _index(1, "Снятый с публикации", "", kind="question")
    _index(5, "Праздник книги", "", kind="other")
    texts = [ContentText(2, "Вечер памяти Чехова", "Рассказы", ("краеведение",))]
    monkeypatch.setattr(content, "_sources", {"question": lambda: texts})
    SearchIndexState.objects.update_or_create(pk=1, defaults={"generation": "x", "analysis": 1})
    assert not index_analysis_current()
    reindex_all()
    assert content_search(kind="question", text="снятый").total == 0
    assert content_search(kind="question", text="Чехов", tag="краеведение").ids == [2]
    assert content_search(kind="other", text="праздник").ids == [5]
    assert index_analysis_current()
