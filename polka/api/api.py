"""The JSON API (django-ninja); each domain adds its router here. OpenAPI at /api/docs."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI

from polka.api.accounts import router as accounts_router
from polka.api.circulation import router as circulation_router
from polka.circulation.errors import CirculationError
from polka.core.errors import PolkaError, api_error
from polka.web.health import health_report

api = NinjaAPI(title="Polka API", version="1")
api.add_router("/v1", circulation_router)
api.add_router("/v1", accounts_router)


@api.exception_handler(CirculationError)
def circulation_refused(request: HttpRequest, exc: CirculationError) -> HttpResponse:
    """What the desk would show in red (404 unknown card or barcode, else 409), and whether an
    override may lend anyway."""
    status, body = api_error(exc)
    return api.create_response(request, {**body, "overridable": exc.overridable}, status=status)


@api.exception_handler(PolkaError)
def domain_error(request: HttpRequest, exc: PolkaError) -> HttpResponse:
    """The one place the API turns a domain error into a status and {"detail", "code"}."""
    status, body = api_error(exc)
    return api.create_response(request, body, status=status)


@api.get("/health", tags=["system"])
def health(request):  # type: ignore[no-untyped-def]
    return health_report()
