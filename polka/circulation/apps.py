from django.apps import AppConfig


class CirculationConfig(AppConfig):
    name = "polka.circulation"
    label = "circulation"

    def ready(self) -> None:
        from polka.circulation import services
        from polka.notices.services import register_producer
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
