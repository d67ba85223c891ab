from django.urls import path

from . import admin_views

app_name = "community_recurring"

urlpatterns = [
    path("", admin_views.RecurringQuestionsReportView.as_view(), name="report"),
    path("results/", admin_views.RecurringQuestionsReportView.as_view(results_only=True),
         name="report_results"),
    path("link/", admin_views.link_article, name="link"),
    path("duplicates/", admin_views.mark_duplicates, name="duplicates"),
    path("dismiss/", admin_views.dismiss, name="dismiss"),
]
