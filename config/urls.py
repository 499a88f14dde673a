"""Root URL configuration: each app mounts its own urls."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import URLPattern, URLResolver, include, path
from django.views.generic import RedirectView

from polka.catalog.urls import staff_patterns as catalog_staff_patterns

urlpatterns: list[URLPattern | URLResolver] = [
    path("i18n/", include("django.conf.urls.i18n")),
    # One login page for everything, so the second factor is asked wherever one logs in.
    path(
        "admin/login/",
        RedirectView.as_view(pattern_name="accounts:login", query_string=True),
    ),
    path("admin/", admin.site.urls),
    path("accounts/", include("polka.accounts.urls")),
    path("api/", include("polka.api.urls")),
    path("catalog/", include("polka.catalog.urls")),
    path("staff/catalog/", include((catalog_staff_patterns, "catalog-staff"))),
    path("search/", include("polka.search.urls")),
    path("events/", include("polka.events.urls")),
    path("consents/", include("polka.consents.urls")),
    path("projects/", include("polka.programmes.urls")),
    path("courses/", include("polka.courses.urls")),
    path("ask/", include("polka.reference.urls")),
    path("news/", include("polka.news.urls")),
    path("recommends/", include("polka.recommendations.urls")),
    path("calendar/", include("polka.litcal.urls")),
    path("elibrary/", include("polka.elibrary.urls")),
    path("promotion/", include("polka.promotion.urls")),
    path("widgets/", include("polka.promotion.widget_urls")),
    path("partners/", include("polka.promotion.partner_urls")),
    path("staff/reports/", include("polka.statistics.urls")),
    path("staff/api/", include("polka.api.staff_urls")),
    # The home page first among the unprefixed: resolving "/" tried every pattern of the
    # three before it (74 checks, 14% of a kept home page's CPU). None of web's patterns
    # matches theirs (tested).
    path("", include("polka.web.urls")),
    path("", include("polka.protocols.urls")),
    path("", include("polka.circulation.urls")),
    path("", include("polka.readers.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
