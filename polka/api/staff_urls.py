from django.urls import path

from polka.api import staff_views

app_name = "api-staff"
urlpatterns = [
    path("readers/<int:reader_id>/tokens/", staff_views.reader_tokens, name="reader-tokens"),
]
