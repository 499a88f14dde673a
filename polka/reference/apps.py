from django.apps import AppConfig


class ReferenceConfig(AppConfig):
    name = "polka.reference"
    label = "reference"

    def ready(self) -> None:
        from polka.notices.services import register_producer
        from polka.reference.models import CONTENT_KIND
        from polka.reference.selectors import questions_content_texts
        from polka.reference.services import reminders_queue
        from polka.search.content import register_content_source

        register_producer("reference.reminders", reminders_queue)
        register_content_source(CONTENT_KIND, questions_content_texts)
