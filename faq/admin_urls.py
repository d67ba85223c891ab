from django.urls import path

from . import views

app_name = "faq_reports"

urlpatterns = [
    path("popularity/", views.ArticlePopularityReportView.as_view(), name="popularity"),
    path(
        "popularity/results/",
        views.ArticlePopularityReportView.as_view(results_only=True),
        name="popularity_results",
    ),
    path("feedback/", views.ArticleFeedbackReportView.as_view(), name="feedback"),
    path(
        "feedback/results/",
        views.ArticleFeedbackReportView.as_view(results_only=True),
        name="feedback_results",
    ),
]
