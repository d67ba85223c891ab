"""Article editor panels."""

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel


class ExampleQuestionCandidates(Panel):
    """What customers searched before they clicked this article (or found it helpful, or were
    answered by it on the contact form): candidates for its example questions. "Add" puts one
    into the example questions field; saving the page keeps it (search.learning)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("How customers searched for this article"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "faq/admin/example_question_candidates.html"

        def is_shown(self):
            return bool(self.instance.pk) and apps.is_installed("search")

        def get_context_data(self, parent_context=None):
            from search.learning import candidates_for

            context = super().get_context_data(parent_context)
            context["candidates"] = candidates_for(
                self.instance.pk, known=self.instance.example_questions or ""
            )
            context["field_id"] = self.form["example_questions"].id_for_label
            return context

        @property
        def media(self):
            return forms.Media(js=["faq/js/example-question-candidates.js"])
