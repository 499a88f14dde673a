from django.urls import path

from polka.promotion import widgets

app_name = "widgets"
urlpatterns = [
    path("", widgets.widgets_help, name="help"),
    path("events/", widgets.events_widget, name="events"),
    path("new/", widgets.new_arrivals_widget, name="new-arrivals"),
    path("search/", widgets.search_widget, name="search"),
    path("events.json", widgets.events_feed, name="events-feed"),
]
