from django.urls import path

from polka.courses import views

app_name = "courses"
urlpatterns = [
    path("", views.course_list, name="list"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:number>/", views.verify, name="verify-number"),
    path("certificates/<str:number>.pdf", views.certificate_pdf, name="certificate-pdf"),
    path("staff/", views.staff_list, name="staff"),
    path("staff/new/", views.staff_course_form, name="staff-new"),
    path("staff/<int:pk>/", views.staff_course, name="staff-course"),
    path("staff/<int:pk>/edit/", views.staff_course_form, name="staff-edit"),
    path(
        "staff/<int:pk>/applications/<int:application_id>/decide/",
        views.staff_decide,
        name="staff-decide",
    ),
    path(
        "staff/<int:pk>/sessions/<int:session_id>/attendance/",
        views.staff_attendance,
        name="staff-attendance",
    ),
    path(
        "staff/<int:pk>/applications/<int:application_id>/certificate/",
        views.staff_certificate,
        name="staff-certificate",
    ),
    path("<slug:slug>/", views.course_detail, name="detail"),
]
