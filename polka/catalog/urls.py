"""Public catalogue pages under /catalog/ (`urlpatterns`) and the staff editor (`staff_patterns`).

config/urls.py mounts both: `catalog/` → this module, `staff/catalog/` → staff_patterns.
"""

from django.urls import path

from polka.catalog import views

app_name = "catalog"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("records/<int:record_id>/", views.record_detail, name="record"),
    path("selection/", views.selection, name="selection"),
    path("selection/update/", views.selection_update, name="selection-update"),
    path("selection/clear/", views.selection_empty, name="selection-clear"),
]
