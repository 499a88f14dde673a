from django.urls import path

from polka.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("staff/", views.staff_home, name="staff-home"),
    path("staff/<slug:role>/", views.staff_role, name="staff-role"),
    path("branches/", views.branch_list, name="branches"),
    path("branches/<slug:code>/", views.branch_detail, name="branch"),
]
