"""Threads become knowledge-base articles: a solved thread gives a draft `ArticlePage`.

The draft has the question as title, the accepted answer's first sentences as short answer,
the answer as rich text, keywords from the thread, and is saved as a draft revision, so it
goes through Wagtail's normal workflow. Personal data is taken out before an editor sees it
(`scrub`); the article's admin panel asks the editor to check. `ThreadArticle` keeps the link
both ways: the article lists its source threads, the thread names the article once it is live.
"""

from __future__ import annotations

import re
from collections import Counter

import nh3
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import override
from wagtail.coreutils import find_available_slug
from wagtail.models import Page

from helpcenter.slugs import slug_for

from .markup import plain_text, render_markdown
from .members import display_name, is_moderator
from .models import Post, PostState, Thread, ThreadArticle
from .posting import reindex
from .thread_actions import log_thread

PROMOTE = "community.thread.promote"
LINK_ARTICLE = "community.thread.link_article"

SHORT_ANSWER_MAX_LENGTH = 400
SHORT_ANSWER_SENTENCES = 3
PLACEHOLDER_RE = re.compile(r"\[[^\]]*\]")
KEYWORDS = 6
RICH_TEXT_TAGS = {"p", "h3", "h4", "b", "i", "strong", "em", "ul", "ol", "li", "a", "br"}

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
URL_WITH_SECRET_RE = re.compile(r"https?://\S*[?&]\S*", re.IGNORECASE)
MENTION_RE = re.compile(r"(?<![\w@])@[\w.-]+")
# Phone numbers: "+49 30 1234567", "(030) 123-4567"; order and customer numbers: any run of
# five or more digits, possibly with separators or a "#".
PHONE_RE = re.compile(r"(?<![\w])(?:\+|00)?\(?\d[\d ()/.-]{6,}\d(?![\w])")
NUMBER_RE = re.compile(r"#?\b[A-Z]{0,4}-?\d[\d-]{3,}\d\b", re.IGNORECASE)


def placeholders() -> dict[str, str]:
    return {
        "email": _("[e-mail address]"),
        "phone": _("[phone number]"),
        "number": _("[number]"),
        "mention": _("[member]"),
        "name": _("[member]"),
    }


def member_names(thread: Thread) -> set[str]:
    """Display names, first and last names of everyone who wrote in the thread."""
    names = set()
    posts = thread.posts.select_related("author__forum_profile")
    for author in {post.author for post in posts if post.author is not None}:
        shown = display_name(author)
        names.add(shown)
        names.update(word for word in shown.split() if len(word) >= 3 and word[0].isupper())
        names.update(part for part in (author.first_name, author.last_name) if part)
        names.add(author.get_username())
    return {name.strip() for name in names if len(name.strip()) >= 2}


def scrub(text: str, names: set[str]) -> str:
    """`text` without e-mail addresses, phone and order numbers, @mentions and members' names."""
    marks = placeholders()
    text = EMAIL_RE.sub(marks["email"], text)
    text = URL_WITH_SECRET_RE.sub(marks["number"], text)
    for name in sorted(names, key=len, reverse=True):  # "@Lena M." is one mention
        text = re.sub(rf"(?<!\w)@?{re.escape(name)}(?!\w)", marks["name"], text,
                      flags=re.IGNORECASE)
    text = MENTION_RE.sub(marks["mention"], text)
    text = PHONE_RE.sub(marks["phone"], text)
    return NUMBER_RE.sub(marks["number"], text)


def first_sentences(text: str, limit: int = SHORT_ANSWER_MAX_LENGTH) -> str:
    """The first whole sentences that fit in `limit` characters (at least a cut first one)."""
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(text.split()))
    kept = ""
    for sentence in sentences[:SHORT_ANSWER_SENTENCES]:
        candidate = f"{kept} {sentence}".strip()
        if len(candidate) > limit:
            break
        kept = candidate
    return kept or text[: limit - 1].rsplit(" ", 1)[0] + "…"


def keywords_of(title: str, question: str, language: str) -> str:
    """The most frequent content words of a title (counted twice) and question, comma-separated."""
    from search.text import remove_stopwords, tokenise

    text = PLACEHOLDER_RE.sub(" ", f"{title} {title} {question}")
    words = remove_stopwords(tokenise(text, language), language)
    counts = Counter(word for word in words if len(word) > 3 and not word.isdigit())
    return ", ".join(word for word, _count in counts.most_common(KEYWORDS))


def rich_text(markdown: str, names: set[str]) -> str:
    html = nh3.clean(render_markdown(markdown), tags=RICH_TEXT_TAGS,
                     attributes={"a": {"href"}}, link_rel=None,
                     url_schemes={"http", "https"})
    return scrub(html, names)


def is_editor(user) -> bool:
    """A Wagtail user who may add pages somewhere (editors, moderators, superusers)."""
    from wagtail.permission_policies.pages import PagePermissionPolicy

    return bool(user and user.is_authenticated and user.has_perm("wagtailadmin.access_admin")
                and PagePermissionPolicy().user_has_permission(user, "add"))


def can_promote(thread: Thread, user) -> bool:
    """Forum moderators and editors may turn a solved thread into a draft article."""
    if thread.state != PostState.APPROVED or not thread.solved:
        return False
    return is_moderator(user) or is_editor(user)


def may_add_to(category: Page, user) -> bool:
    """Editors add drafts where Wagtail lets them; forum moderators in any category."""
    return is_moderator(user) or category.permissions_for_user(user).can_add_subpage()


def categories_for(thread: Thread):
    """Knowledge-base categories in the thread's language a draft can go into."""
    from faq.models import CategoryPage

    return list(CategoryPage.objects.filter(locale_id=thread.board.locale_id).order_by("path"))


def accepted_answer(thread: Thread) -> Post | None:
    if not thread.accepted_post_id:
        return None
    return Post.objects.visible().filter(pk=thread.accepted_post_id).first()


@transaction.atomic
def promote(thread: Thread, category: Page, user) -> Page:
    """A draft article in `category` written from the solved `thread`; returns the page."""
    from faq.models import ArticlePage

    if not (can_promote(thread, user) and may_add_to(category, user)):
        raise PermissionDenied
    answer = accepted_answer(thread)
    if answer is None:
        raise ValueError("Only a solved thread can become an article.")
    if category.locale_id != thread.board.locale_id:
        raise ValueError("The category must be in the thread's language.")
    question = thread.posts.filter(is_question=True).values_list("source", flat=True).first()
    names = member_names(thread)
    language = thread.board.locale.language_code
    with override(language):  # the placeholders in the thread's language
        answer_text = scrub(plain_text(answer.source), names)
        title = scrub(thread.title, names)[:255]
        article = ArticlePage(
            title=title,
            slug=find_available_slug(category, slug_for(title)),
            short_answer=first_sentences(answer_text),
            body=[("rich_text", rich_text(answer.source, names))],
            keywords=keywords_of(title, scrub(plain_text(question or ""), names),
                                 language)[:255],
            example_questions=title,
            live=False,
            owner=user,
            locale_id=thread.board.locale_id,
        )
        category.add_child(instance=article)
        article.save_revision(user=user, log_action=True)
    ThreadArticle.objects.create(thread=thread, article=article,
                                 origin=ThreadArticle.Origin.PROMOTED, created_by=user)
    log_thread(thread, PROMOTE, user, article=article.pk)
    return article


@transaction.atomic
def link_article(thread: Thread, article: Page, user) -> ThreadArticle:
    """Record that an existing article answers `thread` (from the recurring questions report)."""
    link, _created = ThreadArticle.objects.get_or_create(
        thread=thread, article=article,
        defaults={"origin": ThreadArticle.Origin.LINKED, "created_by": user},
    )
    reindex([thread.pk])
    log_thread(thread, LINK_ARTICLE, user, article=article.pk)
    return link


def answering_article_id():
    """An annotation for thread querysets: the newest live article linked to the thread."""
    return Subquery(
        ThreadArticle.objects.filter(thread=OuterRef("pk"), article__live=True)
        .order_by("-created_at").values("article_id")[:1]
    )


def answering_article(thread: Thread) -> Page | None:
    """The live article that answers this thread, if any (no query without one when the thread
    was loaded with `answering_article_id()` as `answered_in_id`)."""
    if not hasattr(thread, "answered_in_id"):
        thread.answered_in_id = Thread.objects.filter(pk=thread.pk).values_list(
            answering_article_id(), flat=True).first()
    if thread.answered_in_id is None:
        return None
    page = Page.objects.live().filter(pk=thread.answered_in_id).first()
    return page.specific if page else None


def source_threads(article: Page):
    """The threads an article was written from or linked to, for its admin panel."""
    return (
        Thread.objects.filter(article_links__article=article)
        .select_related("board").order_by("-created_at")
    )


def reindex_sources(article: Page) -> None:
    """An article went live or offline: its source threads enter or leave the search."""
    reindex(list(ThreadArticle.objects.filter(article=article).values_list("thread_id",
                                                                           flat=True)))
