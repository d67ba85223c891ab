from django.urls import path

from . import admin_views

app_name = "helpcenter_search_admin"

REPORTS = {
    "top-searches/": ("top_searches", admin_views.TopSearchesReportView),
    "without-results/": ("without_results", admin_views.SearchesWithoutResultsReportView),
    "without-clicks/": ("without_clicks", admin_views.SearchesWithoutClicksReportView),
    "clicked-results/": ("clicked_results", admin_views.ClickedResultsReportView),
}

urlpatterns = []
for route, (name, view) in REPORTS.items():
    urlpatterns += [
        path(route, view.as_view(), name=name),
        path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"),
    ]

urlpatterns += [
    path("query-tester/", admin_views.QueryTesterView.as_view(), name="query_tester"),
    path("queries/<int:pk>/visibility/", admin_views.QueryVisibilityView.as_view(),
         name="query_visibility"),
]
