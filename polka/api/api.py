"""The JSON API (django-ninja); each domain adds its router here. OpenAPI at /api/docs."""

from ninja import NinjaAPI

from polka.api.circulation import router as circulation_router
from polka.web.health import health_report

api = NinjaAPI(title="Polka API", version="1")
api.add_router("/v1", circulation_router)


@api.get("/health", tags=["system"])
def health(request):  # type: ignore[no-untyped-def]
    return health_report()
