from django.urls import path

from . import views

app_name = "helpcenter_search"

urlpatterns = [
    path("", views.search, name="results"),
]
