from django.urls import path

from polka.programmes import views

app_name = "programmes"
urlpatterns = [
    path("", views.project_list, name="list"),
    path("exhibitions/<slug:slug>/", views.exhibition_detail, name="exhibition"),
    path("programmes/<slug:slug>/", views.programme_detail, name="programme"),
    path("reading/<str:token>/", views.progress, name="progress"),
    path("reading/<str:token>/certificate/", views.certificate, name="certificate"),
    path("staff/", views.staff_index, name="staff"),
    path("staff/projects/new/", views.staff_project, name="staff-project-new"),
    path("staff/projects/<int:pk>/", views.staff_project, name="staff-project"),
    path("staff/projects/<int:pk>/materials/", views.staff_materials, name="staff-materials"),
    path("staff/exhibitions/new/", views.staff_exhibition, name="staff-exhibition-new"),
    path("staff/exhibitions/<int:pk>/", views.staff_exhibition, name="staff-exhibition"),
    path(
        "staff/exhibitions/<int:pk>/books/",
        views.staff_exhibition_books,
        name="staff-exhibition-books",
    ),
    path(
        "staff/exhibitions/<int:pk>/books/<int:item_id>/remove/",
        views.staff_exhibition_book_remove,
        name="staff-exhibition-book-remove",
    ),
    path("staff/programmes/new/", views.staff_programme, name="staff-programme-new"),
    path("staff/programmes/<int:pk>/", views.staff_programme, name="staff-programme"),
    path(
        "staff/programmes/<int:pk>/participants/",
        views.staff_participants,
        name="staff-participants",
    ),
    path("<slug:slug>/", views.project_detail, name="project"),
]
