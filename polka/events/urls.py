from django.urls import path

from polka.events import views

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
]
