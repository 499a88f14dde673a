"""The JSON API (django-ninja); each domain adds its router here. OpenAPI at /api/docs."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from polka.api.accounts import router as accounts_router
from polka.api.circulation import router as circulation_router
from polka.circulation.errors import CirculationError, ItemNotFound, ReaderNotFound
from polka.org.errors import NotPermitted
from polka.web.health import health_report

api = NinjaAPI(title="Polka API", version="1")
api.add_router("/v1", circulation_router)
api.add_router("/v1", accounts_router)


@api.exception_handler(CirculationError)
def circulation_refused(request: HttpRequest, exc: CirculationError) -> HttpResponse:
    """What the desk would show in red: 404 for an unknown card or barcode, else 409 (the
    reader or copy is not in a state that allows it; `overridable` says an override may)."""
    status = 404 if isinstance(exc, ItemNotFound | ReaderNotFound) else 409
    return api.create_response(
        request, {"detail": exc.message, "overridable": exc.overridable}, status=status
    )


@api.exception_handler(NotPermitted)
def not_permitted(request: HttpRequest, exc: NotPermitted) -> HttpResponse:
    return api.create_response(request, {"detail": exc.message}, status=403)


@api.get("/health", tags=["system"])
def health(request):  # type: ignore[no-untyped-def]
    return health_report()
