from django.urls import path

from . import recurring_views

app_name = "community_recurring"

urlpatterns = [
    path("", recurring_views.RecurringQuestionsReportView.as_view(), name="report"),
    path("results/", recurring_views.RecurringQuestionsReportView.as_view(results_only=True),
         name="report_results"),
    path("link/", recurring_views.link_article, name="link"),
    path("duplicates/", recurring_views.mark_duplicates, name="duplicates"),
    path("dismiss/", recurring_views.dismiss, name="dismiss"),
]
