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


def forget_feedback_authors(cutoff) -> dict[str, int]:
    """Retention: comments older than `cutoff` no longer name the account that wrote them (the
    vote and its comment stay counted for the article)."""
    unlinked = ArticleFeedback.objects.filter(created_at__lt=cutoff, author__isnull=False).update(
        author=None
    )
    return {"feedback comment authors forgotten": unlinked}
