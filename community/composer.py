"""Answers shown while a member writes a question: similar solved threads and help articles.

The composer's script asks the search's suggest API for both sources as the member types;
without JavaScript, "Post" shows the same suggestions first (`suggestions_for`). "This answers
my question" is counted as a deflection, the way the contact form counts one.
"""

from __future__ import annotations

from django.apps import apps

from helpcenter import visitors

from .conf import app_settings
from .models import Thread

THREADS = "community"  # the search source of threads (CommunityConfig.register_search_source)
SOURCES = ["articles", THREADS]
DEFLECTIONS_SESSION_KEY = "community_deflections"
MAX_REMEMBERED_DEFLECTIONS = 100


def suggestions_for(title: str, text: str, language: str) -> list:
    """Up to HELPCENTER_COMMUNITY_SUGGESTIONS articles and solved threads for a draft (the
    search suggests only threads that may answer: `ranking.answering_threads`)."""
    if not apps.is_installed("search"):
        return []
    from search.suggestions import suggest

    return suggest(f"{title}\n{text}", language, limit=app_settings.SUGGESTIONS, sources=SOURCES)


def find_answer(kind: str, pk: int):
    """The live article or visible solved thread a member says answered them, or None."""
    if kind == "thread":
        return Thread.objects.visible().filter(pk=pk).select_related("board__locale").first()
    from faq.listings import article_model

    return article_model().objects.live().public().filter(pk=pk).select_related("locale").first()


def record_deflection(page, answer, request):
    """Count once per answer and session that a suggestion answered a member's question, as a
    contact-form `Deflection` of this forum page (editors and bots are not counted)."""
    if not apps.is_installed("contactform") or not visitors.counts_as_customer(request):
        return None
    from contactform.models import Deflection

    key = f"{type(answer).__name__}:{answer.pk}"
    remembered = request.session.get(DEFLECTIONS_SESSION_KEY, [])
    if key in remembered:
        return None
    is_thread = isinstance(answer, Thread)
    deflection = Deflection.objects.create(
        page=page,
        article=None if is_thread else answer,
        article_title=answer.title[: Deflection._meta.get_field("article_title").max_length],
        source=THREADS if is_thread else "",
        locale=page.locale.language_code,
    )
    request.session[DEFLECTIONS_SESSION_KEY] = (remembered + [key])[-MAX_REMEMBERED_DEFLECTIONS:]
    return deflection
