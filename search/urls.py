from django.urls import path

from . import views

app_name = "helpcenter_search"

urlpatterns = [
    path("", views.search, name="results"),
    path("click/", views.click, name="click"),
    path("api/", views.api_search, name="api"),
    path("api/autocomplete/", views.api_autocomplete, name="autocomplete"),
    path("api/suggest/", views.api_suggest, name="suggest"),
]
