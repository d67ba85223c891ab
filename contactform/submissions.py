"""Storing what a customer sent: the one place a submission is created."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from wagtail.models import Site

from helpcenter import spam, visitors
from helpcenter.links import absolute_url

from .conf import app_settings
from .models import Contact, Submission, normalise_email

logger = logging.getLogger(__name__)

USER_AGENT_LENGTH = Submission._meta.get_field("user_agent").max_length
LOCALE_LENGTH = Submission._meta.get_field("locale").max_length
TITLE_LENGTH = Submission._meta.get_field("page_title").max_length


def receive(
    page,
    cleaned_data: dict,
    request: HttpRequest,
    *,
    suggestions: list,
    opened_answers: list[int],
    spam_reason: str = "",
) -> Submission:
    """Store a submission and its contact in one transaction, then schedule its e-mails.

    `suggestions` are the `search.suggestions.Suggestion`s shown for the message; only the ids
    among them are kept of `opened_answers`. A non-empty `spam_reason` stores the submission
    with status spam (kept, never notified). The notifications are recorded in the same
    transaction (in a savepoint: if that fails, the submission is still stored and the error
    logged) and sent after commit.
    """
    from .notifications import schedule

    suggested = [suggested_answer(item, request) for item in suggestions]
    suggested_ids = {item["id"] for item in suggested}
    with transaction.atomic():
        contact = Contact.for_email(cleaned_data["email"], cleaned_data["name"])
        submission = Submission.objects.create(
            contact=contact,
            page=page,
            page_title=page.title[:TITLE_LENGTH],
            locale=(translation.get_language() or page.locale.language_code)[:LOCALE_LENGTH],
            name=cleaned_data["name"],
            email=cleaned_data["email"],
            topic=cleaned_data.get("topic") or "",
            message=cleaned_data["message"],
            status=Submission.Status.SPAM if spam_reason else Submission.Status.NEW,
            spam_reason=str(spam_reason),
            suggested_answers=suggested,
            opened_answers=[pk for pk in opened_answers if pk in suggested_ids],
            confidence=round(suggestions[0].confidence, 4) if suggestions else None,
            ip_hash=visitors.pseudonym(visitors.client_address(request)),
            user_agent=request.headers.get("User-Agent", "")[:USER_AGENT_LENGTH],
        )
        try:
            with transaction.atomic():
                schedule(submission)
        except Exception:  # noqa: BLE001 - the message is kept; the inbox shows it without mail
            logger.exception("Could not schedule the notifications of submission %s", submission.pk)
    return submission


def suggested_answer(suggestion, request: HttpRequest) -> dict:
    """A suggestion as `Submission.suggested_answers` stores it: id, title, full URL, confidence."""
    result = suggestion.result
    return {
        "id": result.pk,
        "title": result.title,
        "url": absolute_url(result.url, site=Site.find_for_request(request)) if result.url else "",
        "confidence": round(suggestion.confidence, 4),
    }


def is_duplicate(email: str, message: str, *, include_spam: bool = False, now=None) -> bool:
    """True when the same address sent the same message within the duplicate window.

    A message kept as spam does not hide a later genuine one (`include_spam` only for spam).
    """
    since = (now or timezone.now()) - timedelta(hours=app_settings.DUPLICATE_WINDOW_HOURS)
    recent = Submission.objects.filter(contact__email=normalise_email(email), created_at__gte=since)
    if not include_spam:
        recent = recent.exclude(status=Submission.Status.SPAM)
    return spam.repeats(message, recent.values_list("message", flat=True).iterator())
