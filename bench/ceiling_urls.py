"""The project's URLs plus the ceiling: a minimal Django view (no database, tiny template)
served through the same middleware and gunicorn set-up as the pages it is compared with."""

from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path

TINY = engines["django"].from_string("<!doctype html><title>{{ title }}</title><p>{{ title }}</p>")


def ceiling(request: HttpRequest) -> HttpResponse:
    return HttpResponse(TINY.render({"title": "ceiling"}, request))


urlpatterns = [path("__ceiling__/", ceiling), path("", include("config.urls"))]
