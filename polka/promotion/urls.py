from django.urls import path, re_path

from polka.promotion import views

app_name = "promotion"
urlpatterns = [
    path("staff/", views.staff_index, name="staff"),
    path("staff/channels/new/", views.staff_channel, name="staff-channel-new"),
    path("staff/channels/<int:pk>/", views.staff_channel, name="staff-channel"),
    re_path(
        r"^staff/(?P<subject>news|event)/(?P<object_id>[0-9]+)/$",
        views.staff_item,
        name="staff-item",
    ),
    path("staff/posts/<int:pk>/retry/", views.staff_retry, name="staff-retry"),
    path("staff/partners/", views.staff_partners, name="staff-partners"),
    path("staff/partners/new/", views.staff_partner, name="staff-partner-new"),
    path("staff/partners/<int:pk>/", views.staff_partner, name="staff-partner"),
]
