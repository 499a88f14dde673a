"""On PostgreSQL a rebuild merges what it wrote into the GIN indexes before it commits:
entries left in an index's pending list would slow every search until a vacuum."""

import pytest
from django.db import connection

from polka.search.indexing import reindex_all
from polka.search.tests.factories import make_record

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN is PostgreSQL's"),
]


@pytest.mark.parametrize("index", ["search_document_tsv", "search_term_trgm"])
def test_nothing_is_left_in_the_pending_list(index):
    make_record("Война и мир", authors=("Толстой, Лев Николаевич",), index=False)
    make_record("Мёртвые души", authors=("Гоголь, Николай Васильевич",), index=False)
    reindex_all()
    with connection.cursor() as cursor:
        # The number of pending-list pages it had to merge.
        cursor.execute("SELECT gin_clean_pending_list(CAST(%s AS regclass))", [index])
        assert cursor.fetchone()[0] == 0
