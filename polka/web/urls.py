from django.conf import settings
from django.urls import path

from polka.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("low-vision/", views.low_vision_settings, name="low-vision"),
    path("low-vision/off/", views.low_vision_off, name="low-vision-off"),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/status/", views.staff_status, name="staff-status"),
    path("staff/two-factor/", views.staff_two_factor, name="staff-two-factor"),
    path("staff/<slug:role>/", views.staff_role, name="staff-role"),
    path("branches/", views.branch_list, name="branches"),
    path("branches/<slug:code>/", views.branch_detail, name="branch"),
]
if settings.POLKA_METRICS:
    urlpatterns.append(path("metrics", views.metrics, name="metrics"))
