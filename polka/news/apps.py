from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "polka.news"
    label = "news"

    def ready(self) -> None:
        from polka.news.selectors import news_content_texts
        from polka.news.services import CONTENT_KIND
        from polka.search.content import register_content_source

        register_content_source(CONTENT_KIND, news_content_texts)
