from django.http import HttpResponse


def reserve(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()


def account(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()


def renew(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()


def hold_change(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()
