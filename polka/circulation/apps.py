from django.apps import AppConfig


class CirculationConfig(AppConfig):
    name = "polka.circulation"
    label = "circulation"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from polka.circulation import services
        from polka.circulation.cache import circulation_cache_clear
        from polka.circulation.models import LoanRule
        from polka.notices.services import register_producer
        from polka.org.models import CalendarException, OpeningHours
        from polka.readers import registry

        register_producer("circulation.daily", services.circulation_daily)
        registry.erasure_blocker_register(services.erasure_blocker)
        registry.erasure_cleaner_register(services.erasure_cleaner)
        registry.loans_importer_register(services.loans_import)
        registry.export_section_register(
            name="circulation",
            covers=("circulation.Loan", "circulation.Hold"),
            rows=services.export_rows,
        )
        # The rules matrix and the calendars are cached per process (polka.circulation.cache).
        for model in (LoanRule, CalendarException, OpeningHours):
            for signal in (post_save, post_delete):
                uid = f"circulation-cache-{model.__name__}-{signal is post_save}"
                signal.connect(circulation_cache_clear, sender=model, dispatch_uid=uid)
