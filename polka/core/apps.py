from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "polka.core"
    label = "core"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from polka.core.choices import fast_choice_labels_install
        from polka.core.csrf import fast_csrf_install
        from polka.core.pagecache import content_write

        fast_choice_labels_install()
        fast_csrf_install()

        # Every model's writes, filtered in content_write (its QUIET lists).
        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(content_write, dispatch_uid=f"polka.core.pagecache.{id(signal)}")
