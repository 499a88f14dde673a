from django.urls import path

from polka.readers import views

app_name = "readers"
urlpatterns = [path("join/", views.join, name="join")]
