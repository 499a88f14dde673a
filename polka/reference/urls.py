from django.urls import path

from polka.reference import views

app_name = "reference"
urlpatterns = [
    path("", views.ask, name="ask"),
    path("thanks/", views.thanks, name="thanks"),
    path("q/<str:token>/", views.private, name="private"),
    path("q/<str:token>/follow-up/", views.follow_up, name="follow-up"),
    path("q/<str:token>/rate/", views.rate, name="rate"),
    path("archive/", views.archive, name="archive"),
    path("archive/<int:question_id>/", views.archive_detail, name="archive-detail"),
    path("staff/", views.inbox, name="inbox"),
    path("staff/catalog/", views.catalog_search, name="catalog-search"),
    path("staff/stats/", views.stats, name="stats"),
    path("staff/<int:question_id>/", views.staff_question, name="staff-question"),
    path("staff/<int:question_id>/<slug:action>/", views.staff_action, name="staff-action"),
]
