"""Russian first: the language is the one the visitor chose with the switch, else Russian."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers

from polka.core.errors import PermissionRefused, PolkaError, error_message, http_status


class ChosenLanguageMiddleware:
    """Like LocaleMiddleware, but the browser's Accept-Language is not consulted.

    A Russian municipal library's portal speaks Russian to everyone who has not picked another
    language on the page; an English-language browser must not turn half the page English (dates,
    numbers) while the text stays Russian. The switch (Django's set_language) stores the choice
    in the language cookie.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME, "")
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response (Referrer-Policy and
    nosniff come from Django's SecurityMiddleware). Scripts only from our own origin: no
    inline script, no eval, so injected markup cannot run. A view may set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.csp = settings.POLKA_CONTENT_SECURITY_POLICY
        self.permissions = settings.POLKA_PERMISSIONS_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault("Permissions-Policy", self.permissions)
        return response


class DomainErrorMiddleware:
    """The one place a page turns a domain error no view handled into a response: a refusal is
    Django's 403 (with its message), any other PolkaError its status with the message shown.
    Views that keep the visitor on a form use polka.core.errors.form_error instead."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, PermissionRefused):
            raise PermissionDenied(error_message(exception)) from exception
        if isinstance(exception, PolkaError):
            context = {"message": error_message(exception)}
            return render(request, "web/domain_error.html", context, status=http_status(exception))
        return None
