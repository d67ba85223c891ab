from django.urls import path

from . import admin_views

app_name = "community_moderation"
urlpatterns = [
    path("", admin_views.QueueView.as_view(), name="queue"),
    path("posts/<int:pk>/", admin_views.ReviewView.as_view(), name="review"),
    path("posts/<int:pk>/act/", admin_views.ActView.as_view(), name="act"),
    path("bulk/", admin_views.BulkView.as_view(), name="bulk"),
    path("members/<int:pk>/", admin_views.MemberView.as_view(), name="member"),
]
