from django.http import HttpResponse


def desk(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()


def checkout(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()


def checkin(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()


def renew(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()


def use(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()


def visit(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()


def receipt(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()


def transit_slip(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()


def holds_list(request, *args, **kwargs):  # type: ignore[no-untyped-def]
    return HttpResponse()
