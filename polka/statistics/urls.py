"""Staff pages of the statistics, mounted at staff/reports/ (namespace "reports")."""

from django.urls import path

from polka.statistics import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("6nk/<int:year>/", views.network_form, name="form-network"),
    path("6nk/<int:year>/cell/<str:cell>/", views.network_cell, name="cell-network"),
    path("6nk/<int:year>/<slug:code>/", views.branch_form, name="form"),
    path("6nk/<int:year>/<slug:code>/cell/<str:cell>/", views.branch_cell, name="cell"),
    path("diary/<slug:code>/<int:year>-<int:month>/", views.diary, name="diary"),
    path("register/<slug:code>/<int:year>/", views.register, name="register"),
]
