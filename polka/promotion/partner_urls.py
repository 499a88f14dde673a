from django.urls import path

from polka.promotion import views

app_name = "partners"
urlpatterns = [path("", views.partners_page, name="list")]
