"""The suggested answers a submission keeps (`Submission.suggested_answers`).

Each is stored as a dict: id, source (the `search.registry` source's name), title, full URL and
confidence. Articles are pages of the site and are read again from the page tree; the answers of
other sources (the forum's solved threads) are asked of their source (`SearchSource.answers`),
never looked up as pages: a thread's id may well be an article's id too.
"""

from __future__ import annotations

from django.apps import apps
from wagtail.models import Page, Site

from helpcenter.links import absolute_url
from search import registry


def suggested_answer(suggestion, site: Site | None) -> dict:
    """A `search.suggestions.Suggestion` as `Submission.suggested_answers` stores it."""
    result = suggestion.result
    return {
        "id": result.pk,
        "source": suggestion.source,
        "title": result.title,
        "url": absolute_url(result.url, site=site) if result.url else "",
        "confidence": round(suggestion.confidence, 4),
    }


def is_page(item: dict) -> bool:
    """Whether a stored answer is a page (an article): stored before answers named their source,
    or from a source whose documents are pages."""
    name = item.get("source")
    if not name:
        return True
    source = registry.get(name)
    return source is not None and issubclass(apps.get_model(source.model_label), Page)


def page_ids(items: list) -> list[int]:
    """The ids of the stored answers that are pages, in their order."""
    return [
        item["id"]
        for item in items
        if isinstance(item, dict) and isinstance(item.get("id"), int) and is_page(item)
    ]


def current_answers(items: list[dict]) -> dict[tuple[str, int], registry.Answer | None]:
    """For each stored answer that is not a page, keyed (source, id): how it answers now, or
    None when it no longer may (a thread hidden or no longer solved, its source removed).

    A source without an `answers` check keeps what was stored."""
    wanted: dict[str, list[dict]] = {}
    for item in items:
        if isinstance(item.get("id"), int) and not is_page(item):
            wanted.setdefault(item["source"], []).append(item)
    current = {}
    for name, stored in wanted.items():
        source = registry.get(name)
        if source is not None and source.answers is None:
            found = [
                registry.Answer(item["id"], str(item.get("title", "")), str(item.get("url", "")))
                for item in stored
            ]
        else:
            found = source.answers([item["id"] for item in stored]) if source else []
        by_id = {answer.pk: answer for answer in found}
        current.update({(name, item["id"]): by_id.get(item["id"]) for item in stored})
    return current


def source_label(item: dict) -> str:
    """What the answer is, for answers that are not articles ("Community"); "" for a page."""
    if is_page(item):
        return ""
    source = registry.get(str(item.get("source")))
    return str(source.label) if source is not None else ""
