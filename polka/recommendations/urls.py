from django.urls import path

from polka.recommendations import views

app_name = "recommendations"
urlpatterns = [
    path("", views.list_index, name="index"),
    path("staff/", views.staff_index, name="staff"),
    path("staff/new/", views.staff_list, name="staff-new"),
    path("staff/<int:pk>/", views.staff_list, name="staff-edit"),
    path("staff/<int:pk>/books/", views.staff_books, name="staff-books"),
    path("staff/<int:pk>/books/<int:item_id>/remove/", views.staff_remove, name="staff-remove"),
    path("<slug:slug>/", views.list_detail, name="detail"),
    path("<slug:slug>/print/", views.list_print, name="print"),
]
