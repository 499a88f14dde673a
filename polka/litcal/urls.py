from django.urls import path

from polka.litcal import views

app_name = "litcal"
urlpatterns = [
    path("", views.current, name="current"),
    path("staff/", views.staff, name="staff"),
    path("<int:year>/", views.year_page, name="year"),
    path("<int:year>/<int:month>/", views.month_page, name="month"),
]
