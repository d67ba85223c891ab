"""schema.org markup of a thread for search engines: `QAPage` for a question,
`DiscussionForumPosting` for a discussion. Only what the page shows is marked up."""

from __future__ import annotations

import json

from .markup import text_of
from .members import display_name

JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _person(post_or_thread, member_url) -> dict:
    author = post_or_thread.author
    person = {"@type": "Person", "name": display_name(author)}
    if author is not None:
        person["url"] = member_url(author.pk)
    return person


def _answer(post, thread_url: str, member_url) -> dict:
    return {
        "@type": "Answer",
        "text": text_of(post.html),
        "dateCreated": post.created_at.isoformat(),
        "upvoteCount": post.vote_count,
        "url": f"{thread_url}#post-{post.pk}",
        "author": _person(post, member_url),
    }


def thread_json_ld(thread, question, accepted, replies, thread_url: str, member_url) -> str:
    """The JSON-LD of a thread page, safe to place inside a <script> element."""
    visible = [post for post in replies if post.visible and post.pk != thread.accepted_post_id]
    if thread.is_question:
        entity = {
            "@type": "Question",
            "name": thread.title,
            "text": text_of(question.html) if question else "",
            "answerCount": thread.reply_count,
            "dateCreated": thread.created_at.isoformat(),
            "author": _person(thread, member_url),
            "url": thread_url,
        }
        if question is not None:
            entity["upvoteCount"] = question.vote_count
        if accepted is not None:
            entity["acceptedAnswer"] = _answer(accepted, thread_url, member_url)
        if visible:
            entity["suggestedAnswer"] = [_answer(post, thread_url, member_url) for post in visible]
        data = {"@context": "https://schema.org", "@type": "QAPage", "mainEntity": entity}
    else:
        data = {
            "@context": "https://schema.org",
            "@type": "DiscussionForumPosting",
            "headline": thread.title,
            "text": text_of(question.html) if question else "",
            "url": thread_url,
            "datePublished": thread.created_at.isoformat(),
            "author": _person(thread, member_url),
            "interactionStatistic": {
                "@type": "InteractionCounter",
                "interactionType": "https://schema.org/CommentAction",
                "userInteractionCount": thread.reply_count,
            },
            "comment": [
                {
                    "@type": "Comment",
                    "text": text_of(post.html),
                    "datePublished": post.created_at.isoformat(),
                    "author": _person(post, member_url),
                    "url": f"{thread_url}#post-{post.pk}",
                }
                for post in ([accepted] if accepted else []) + visible
            ],
        }
    return json.dumps(data, ensure_ascii=False).translate(JSON_ESCAPES)
