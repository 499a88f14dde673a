from django.urls import path

from polka.elibrary import views

app_name = "elibrary"
urlpatterns = [
    path("", views.index, name="index"),
    path("local/<int:pk>/", views.document, name="document"),
    path("opds/", views.opds_root, name="opds"),
    path("opds/new/", views.opds_new, name="opds-new"),
    path("opds/subject/<str:subject>/", views.opds_subject, name="opds-subject"),
    path("staff/", views.staff, name="staff"),
    path("staff/access/<int:pk>/", views.staff_access, name="staff-access"),
]
