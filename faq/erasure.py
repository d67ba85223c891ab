"""What the knowledge base keeps about a person: the comments of "Was this helpful?" votes."""

from django.db.models import Q

from .models import ArticleFeedback


def erase_feedback_comments(person) -> dict[str, int]:
    """Blank the comments that name the person or that they wrote while signed in; the
    anonymous vote stays counted."""
    from helpcenter.timeline import accounts_with

    comments = ArticleFeedback.objects.filter(
        person.matches("comment")
        | Q(author__in=accounts_with([text for text in person.needles() if "@" in text]))
    )
    return {"feedback comments": comments.update(comment="", author=None)}
