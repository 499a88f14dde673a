"""Public catalogue pages under /catalog/ (`urlpatterns`) and the staff editor (`staff_patterns`).

config/urls.py mounts both: `catalog/` → this module, `staff/catalog/` → staff_patterns.
"""

from django.urls import path

from polka.catalog import staff_views, views

app_name = "catalog"
urlpatterns = [
    path("", views.browse, name="browse"),
    path("records/<int:record_id>/", views.record_detail, name="record"),
    path("authors/<int:person_id>/", views.author_detail, name="author"),
    path("new/", views.new_arrivals, name="new-arrivals"),
    path("new/<slug:code>/", views.new_arrivals, name="new-arrivals-branch"),
    path("covers/<str:isbn>/", views.cover_image, name="cover"),
    path("selection/", views.selection, name="selection"),
    path("selection.txt", views.selection_text, name="selection-text"),
    path("selection/update/", views.selection_update, name="selection-update"),
    path("selection/clear/", views.selection_empty, name="selection-clear"),
]

staff_patterns = [
    path("", staff_views.desk, name="index"),
    path("records/new/", staff_views.record_new, name="new"),
    path("records/<int:record_id>/edit/", staff_views.record_edit, name="edit"),
    path("records/<int:record_id>/marc/", staff_views.record_marc, name="marc"),
    path("records/<int:record_id>/history/", staff_views.record_history_page, name="history"),
    path(
        "records/<int:record_id>/history/<int:revision_id>/revert/",
        staff_views.record_revert,
        name="revert",
    ),
    path("records/<int:record_id>/items/", staff_views.record_items, name="items"),
    path("records/<int:record_id>/items/add/", staff_views.item_add, name="item-add"),
    path(
        "records/<int:record_id>/items/<int:item_id>/move/",
        staff_views.item_move,
        name="item-move",
    ),
    path(
        "records/<int:record_id>/items/<int:item_id>/withdraw/",
        staff_views.item_withdraw,
        name="item-withdraw",
    ),
]
