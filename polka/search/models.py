"""Search tables both engines share: one document row per record (sort keys, filters), its
facet values, and the vocabulary of indexed words for "did you mean".

The text index itself is engine-specific and created by migration 0002 only on its engine:
an FTS5 table on SQLite, a tsvector column with a GIN index on PostgreSQL.
"""

from __future__ import annotations

from django.db import models

from polka.catalog.models import Record
from polka.core.fields import RowidOneToOneField
from polka.search.analysis import ANALYSIS_VERSION


class SearchDocument(models.Model):
    # The rowid on SQLite: a search looks up the document of each hit it ranks or counts.
    record = RowidOneToOneField(
        Record, on_delete=models.CASCADE, primary_key=True, related_name="search_document"
    )
    title_sort = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(null=True, db_index=True)
    # A copy is on the shelf somewhere now: the ranking tiebreak.
    available = models.BooleanField(default=False)
    # The record's search_facet rows as one text (documents.Document.facet_list): a hit list's
    # facets are counted from the hits' own rows, not from a lookup of each hit in search_facet.
    facet_list = models.TextField(default="", db_default="")

    class Meta:
        db_table = "search_document"
        # A plain index for sorting by title: db_index would add PostgreSQL's second,
        # LIKE-prefix index, which no query uses and every rebuild paid for.
        indexes = [models.Index(fields=["title_sort"], name="search_document_title_sort")]

    def __str__(self) -> str:
        return self.title_sort


class SearchFacet(models.Model):
    """One facet value of one record (author, subject, language, decade, material, …)."""

    # No constraint in the database: checking each of a rebuild's ~5 facets a record against
    # the records took about a seventh of a PostgreSQL rebuild. Facets are written and deleted
    # with their record's search document (indexing.py), whose own key is still checked, and
    # Django still deletes them with a record.
    record = models.ForeignKey(
        Record, on_delete=models.CASCADE, related_name="+", db_index=False, db_constraint=False
    )
    field = models.CharField(max_length=20)
    value = models.CharField(max_length=200)

    class Meta:
        db_table = "search_facet"
        indexes = [
            models.Index(fields=["field", "value", "record"], name="search_facet_lookup"),
            # Covering index: counting facets of a hit list reads only this index.
            models.Index(fields=["record", "field", "value"], name="search_facet_record"),
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.value}"


class SearchTerm(models.Model):
    """A word as it appears in indexed titles, authors and subjects (normalised, not stemmed)."""

    term = models.CharField(max_length=100, unique=True)
    stem = models.CharField(max_length=100, db_index=True)
    length = models.PositiveSmallIntegerField()
    head = models.CharField(max_length=2)
    tail = models.CharField(max_length=2)
    freq = models.PositiveIntegerField(default=1)

    class Meta:
        db_table = "search_term"
        indexes = [
            models.Index(fields=["length", "head"], name="search_term_head"),
            models.Index(fields=["length", "tail"], name="search_term_tail"),
        ]

    def __str__(self) -> str:
        return self.term


class ContentDocument(models.Model):
    """Other texts searched with the catalogue's engines (polka.search.content): answered
    reference questions, news. The stemmed text lives in the engine's own index (migration
    0004): an FTS5 table on SQLite, the tsv column on PostgreSQL."""

    kind = models.CharField(max_length=30)
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=500)
    # "|tag one|tag two|": a tag filter is one LIKE, on both engines.
    tags = models.TextField(blank=True)

    class Meta:
        db_table = "search_content"
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id"], name="search_content_object")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id}"


class SearchIndexState(models.Model):
    """One row: the index generation, a random token replaced inside every transaction that
    changes the index and by a restore. Cached search answers are keyed by it (with the
    database's identity, polka.search.cache), so an answer cached for one database, or for
    an index state that was rolled back or restored over, is never served for another."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    generation = models.CharField(max_length=32)
    # The analysis the index was built with (search.analysis.ANALYSIS_VERSION).
    analysis = models.PositiveSmallIntegerField(default=ANALYSIS_VERSION)

    class Meta:
        db_table = "search_index_state"

    def __str__(self) -> str:
        return self.generation
