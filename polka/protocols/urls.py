from django.urls import path

from polka.protocols import views

app_name = "protocols"
urlpatterns = [
    path("sru", views.sru_view, name="sru"),
    path("oai", views.oai_view, name="oai"),
    path("staff/catalog/copy/", views.copy_view, name="staff-copy"),
]
