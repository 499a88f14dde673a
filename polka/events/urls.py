from django.urls import path

from polka.events import staff_views, views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:event_id>/", views.event_detail, name="detail"),
    path("<int:event_id>/register/", views.register, name="register"),
    path("<int:event_id>/event.ics", views.event_ics, name="ics"),
    path("registrations/<str:token>/", views.cancel, name="cancel"),
    path("feeds/events.ics", views.feed_all, name="feed"),
    path("feeds/branch/<slug:code>.ics", views.feed_branch, name="feed-branch"),
    path("feeds/programme/<slug:slug>.ics", views.feed_programme, name="feed-programme"),
    path("staff/", staff_views.staff_list, name="staff-list"),
    path("staff/new/", staff_views.staff_new, name="staff-new"),
    path("staff/series/", staff_views.staff_series, name="staff-series"),
    path("staff/plan.xlsx", staff_views.staff_export, name="staff-export"),
    path("staff/plan/print/", staff_views.staff_print, name="staff-print"),
    path("staff/<int:event_id>/", staff_views.staff_edit, name="staff-edit"),
    path("staff/<int:event_id>/copy/", staff_views.staff_copy, name="staff-copy"),
    path("staff/<int:event_id>/attendance/", staff_views.staff_attendance, name="staff-attendance"),
]
