from django.urls import path

from polka.api.api import api

urlpatterns = [path("", api.urls)]
