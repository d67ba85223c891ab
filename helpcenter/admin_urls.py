from django.urls import path

from . import admin_views

app_name = "helpcenter_admin"

urlpatterns = [
    path("outgoing-mail/", admin_views.OutgoingMailReportView.as_view(), name="outgoing_mail"),
    path(
        "outgoing-mail/results/",
        admin_views.OutgoingMailReportView.as_view(results_only=True),
        name="outgoing_mail_results",
    ),
    path(
        "outgoing-mail/<int:pk>/resend/",
        admin_views.ResendMailView.as_view(),
        name="resend_mail",
    ),
]
