"""What the knowledge base keeps about a person: the comments of "Was this helpful?" votes."""

from .models import ArticleFeedback


def erase_feedback_comments(person) -> dict[str, int]:
    """Blank the comments that name the person; the anonymous vote stays counted."""
    comments = ArticleFeedback.objects.filter(person.matches("comment"))
    return {"feedback comments": comments.update(comment="")}
