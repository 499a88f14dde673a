from django.urls import path

from polka.news import feeds, views

app_name = "news"
urlpatterns = [
    path("", views.news_list, name="list"),
    path("<int:pk>/", views.news_detail, name="detail"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("branch/<slug:code>/", views.news_list, name="branch"),
    path("tag/<str:tag>/", views.news_list, name="tag"),
    path("feed/rss/", feeds.NewsFeed(), name="rss"),
    path("feed/atom/", feeds.NewsAtomFeed(), name="atom"),
    path("branch/<slug:code>/rss/", feeds.NewsFeed(), name="branch-rss"),
    path("branch/<slug:code>/atom/", feeds.NewsAtomFeed(), name="branch-atom"),
    path("staff/", views.staff_list, name="staff-list"),
    path("staff/new/", views.staff_edit, name="staff-new"),
    path("staff/<int:pk>/", views.staff_edit, name="staff-edit"),
    path("staff/<int:pk>/photo/", views.staff_photo, name="staff-photo"),
    path("staff/<int:pk>/preview/", views.staff_preview, name="staff-preview"),
    path("staff/comments/", views.staff_comments, name="staff-comments"),
    path("staff/comments/<int:comment_id>/", views.staff_moderate, name="staff-moderate"),
]
