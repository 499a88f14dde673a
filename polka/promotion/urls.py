from django.urls import path

from polka.promotion import views

app_name = "promotion"
urlpatterns = [
    path("staff/", views.staff_index, name="staff"),
    path("staff/channels/new/", views.staff_channel, name="staff-channel-new"),
    path("staff/channels/<int:pk>/", views.staff_channel, name="staff-channel"),
    path("staff/<str:subject>/<int:object_id>/", views.staff_item, name="staff-item"),
    path("staff/posts/<int:pk>/retry/", views.staff_retry, name="staff-retry"),
]
