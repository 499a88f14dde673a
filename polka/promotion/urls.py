from django.urls import path, register_converter

from polka.promotion import views


class SubjectConverter:
    """What a post is about: "news" or "event" (so "partners/" stays its own page)."""

    regex = "news|event"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(SubjectConverter, "subject")

app_name = "promotion"
urlpatterns = [
    path("staff/", views.staff_index, name="staff"),
    path("staff/channels/new/", views.staff_channel, name="staff-channel-new"),
    path("staff/channels/<int:pk>/", views.staff_channel, name="staff-channel"),
    path("staff/<subject:subject>/<int:object_id>/", views.staff_item, name="staff-item"),
    path("staff/posts/<int:pk>/retry/", views.staff_retry, name="staff-retry"),
    path("staff/partners/", views.staff_partners, name="staff-partners"),
    path("staff/partners/new/", views.staff_partner, name="staff-partner-new"),
    path("staff/partners/<int:pk>/", views.staff_partner, name="staff-partner"),
]
