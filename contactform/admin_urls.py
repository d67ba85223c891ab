from django.urls import path

from . import admin_views

app_name = "contactform_reports"

REPORTS = {
    "deflection-rate/": ("deflection_rate", admin_views.DeflectionRateReportView),
    "deflecting-articles/": ("deflecting_articles", admin_views.DeflectingArticlesReportView),
    "content-gaps/": ("content_gaps", admin_views.ContactContentGapsReportView),
}

urlpatterns = []
for route, (name, view) in REPORTS.items():
    urlpatterns += [
        path(route, view.as_view(), name=name),
        path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"),
    ]
