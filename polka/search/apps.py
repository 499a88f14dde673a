from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "polka.search"
    label = "search"

    def ready(self) -> None:
        from polka.catalog.indexer import register_indexer
        from polka.search.indexing import index_records, unindex_records

        # Catalog sits below search: its writes reach the index through this hook.
        register_indexer(index=index_records, unindex=unindex_records)
