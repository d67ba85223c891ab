from django.urls import path

from . import report_views

app_name = "contactform_reports"

REPORTS = {
    "deflection-rate/": ("deflection_rate", report_views.DeflectionRateReportView),
    "deflecting-articles/": ("deflecting_articles", report_views.DeflectingArticlesReportView),
    "content-gaps/": ("content_gaps", report_views.ContactContentGapsReportView),
}

urlpatterns = []
for route, (name, view) in REPORTS.items():
    urlpatterns += [
        path(route, view.as_view(), name=name),
        path(f"{route}results/", view.as_view(results_only=True), name=f"{name}_results"),
    ]
