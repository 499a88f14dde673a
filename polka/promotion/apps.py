from django.apps import AppConfig


class PromotionConfig(AppConfig):
    name = "polka.promotion"
    label = "promotion"

    def ready(self) -> None:
        from polka.notices.services import register_courier, register_producer
        from polka.promotion.services import posts_deliver, posts_queue

        register_producer("promotion", posts_queue)
        register_courier("promotion", posts_deliver)
