"""The forum's rules through the service layer (community.posting) on a real database."""

from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.core.exceptions import PermissionDenied

from community import posting
from community.markup import ALLOWED_TAGS, render_markdown
from community.members import display_name, profile_of
from community.models import Post, PostRevision, PostState, Thread, Vote


def test_a_thread_starts_with_its_question_and_a_transliterated_slug(board, asker):
    thread = posting.start_thread(board, asker, "Brille für Kinder: Größe?", "Welche **Größe**?")
    assert thread.slug == "brille-fuer-kinder-groesse"
    question = thread.posts.get()
    assert question.is_question and question.state == PostState.APPROVED
    assert question.html == "<p>Welche <strong>Größe</strong>?</p>\n"
    assert thread.url_part == f"{thread.pk}-brille-fuer-kinder-groesse/"


def test_an_emoji_title_gets_a_slugless_address(board, asker):
    thread = posting.start_thread(board, asker, "😎😎 🕶️", "Which ones?")
    assert thread.url_part in (f"{thread.pk}/", f"{thread.pk}-{thread.slug}/")
    assert "--" not in thread.url_part


def test_the_same_thread_sent_twice_is_stored_once(board, asker):
    first = posting.start_thread(board, asker, "Lens scratches", "Cleaning cloth?")
    second = posting.start_thread(board, asker, "Lens scratches", "Cleaning cloth?")
    assert first.pk == second.pk
    assert Thread.objects.count() == 1 and Post.objects.count() == 1


def test_a_reply_counts_and_a_double_submit_stores_one(thread, answerer):
    first = posting.reply(thread, answerer, "Softer silicone pads help.")
    again = posting.reply(thread, answerer, "Softer silicone pads help.")
    assert first.pk == again.pk
    thread.refresh_from_db()
    assert thread.reply_count == 1
    assert thread.last_activity_at >= first.created_at


def test_nul_bytes_are_removed(thread, answerer):
    post = posting.reply(thread, answerer, "pads\x00 help")
    assert post.source == "pads help"


def test_locked_and_deleted_threads_take_no_replies(thread, answerer, moderator):
    Thread.objects.filter(pk=thread.pk).update(locked=True)
    with pytest.raises(posting.ForumError, match="locked"):
        posting.reply(thread, answerer, "Hello")
    assert posting.reply(thread, moderator, "Moderators may still answer.")
    Thread.objects.filter(pk=thread.pk).update(locked=False, state=PostState.DELETED)
    with pytest.raises(posting.ForumError, match="removed"):
        posting.reply(thread, answerer, "Hello")


def test_an_edit_keeps_the_earlier_text_and_title(thread, asker):
    question = thread.posts.get(is_question=True)
    posting.edit_post(question, asker, "They leave red marks.", title="Nose pads leave marks")
    question.refresh_from_db()
    thread.refresh_from_db()
    assert question.source == "They leave red marks." and question.edit_count == 1
    assert thread.title == "Nose pads leave marks" and thread.slug == "nose-pads-leave-marks"
    revision = PostRevision.objects.get(post=question)
    assert revision.source == "They leave marks. What helps?"
    assert revision.title == "My nose pads press after a week"
    assert revision.edited_by == asker


def test_only_the_author_or_a_moderator_edits(thread, answerer, moderator):
    question = thread.posts.get(is_question=True)
    with pytest.raises(PermissionDenied):
        posting.edit_post(question, answerer, "Not mine")
    posting.edit_post(question, moderator, "Tidied by a moderator.")
    assert PostRevision.objects.filter(post=question, edited_by=moderator).exists()


def test_deleting_a_reply_is_soft_and_uncounts_it(thread, answerer, asker):
    post = posting.reply(thread, answerer, "Try softer pads.")
    posting.accept(post, asker)
    with pytest.raises(PermissionDenied):
        posting.delete_post(post, asker)
    posting.delete_post(post, answerer)
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.state == PostState.DELETED and Post.objects.filter(pk=post.pk).exists()
    assert thread.reply_count == 0 and thread.accepted_post is None


def test_deleting_the_question_removes_the_thread(thread, asker):
    posting.delete_post(thread.posts.get(is_question=True), asker)
    thread.refresh_from_db()
    assert thread.state == PostState.DELETED
    assert not Thread.objects.visible().exists()


def test_the_asker_or_a_moderator_accepts_an_answer(thread, asker, answerer, moderator,
                                                    make_member):
    post = posting.reply(thread, answerer, "Try softer pads.")
    with pytest.raises(PermissionDenied):
        posting.accept(post, make_member())
    with pytest.raises(PermissionDenied):
        posting.accept(post, answerer)
    assert posting.accept(post, asker) is True
    thread.refresh_from_db()
    assert thread.solved and thread.accepted_post == post
    assert posting.accept(post, moderator) is False  # a second accept unmarks
    thread.refresh_from_db()
    assert not thread.solved


def test_the_question_itself_cannot_be_the_answer(thread, asker):
    with pytest.raises(posting.ForumError):
        posting.accept(thread.posts.get(is_question=True), asker)


def test_discussions_have_no_accepted_answer(board, asker, answerer):
    thread = posting.start_thread(board, asker, "Your favourite frame colour?", "Mine: tortoise.",
                                  kind=Thread.Kind.DISCUSSION)
    post = posting.reply(thread, answerer, "Matte black.")
    with pytest.raises(PermissionDenied):
        posting.accept(post, asker)


def test_one_vote_per_member_and_none_for_own_posts(thread, asker, answerer, make_member):
    post = posting.reply(thread, answerer, "Try softer pads.")
    assert posting.vote(post, asker) is True
    assert posting.vote(post, asker) is False
    assert posting.vote(post, answerer) is False
    assert posting.vote(post, make_member()) is True
    post.refresh_from_db()
    thread.refresh_from_db()
    assert post.vote_count == 2 == Vote.objects.filter(post=post).count()
    assert thread.vote_count == 2


def test_display_names_never_show_login_or_email(django_user_model):
    user = django_user_model.objects.create_user("jdoe", "jdoe@example.com", "pw")
    profile = profile_of(user)
    assert "jdoe" not in profile.display_name and "@" not in profile.display_name
    named = django_user_model.objects.create_user("x2", "x2@example.com", "pw",
                                                  first_name="Jana", last_name="Doe")
    assert profile_of(named).display_name == "Jana D."
    assert profile_of(named).initials == "JD"
    assert display_name(None) == "Former member"


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<svg/onload=alert(1)>",
    "<iframe src=//evil.example></iframe>",
    "[x](vbscript:msgbox(1))",
    "\"><script>alert(1)</script>",
    "<style>body{display:none}</style>",
    "![img](https://evil.example/track.png)",
]


def active_content(html: str) -> list[str]:
    """Tags, attributes and link schemes in `html` that could run or load something."""
    found = []

    class Collector(HTMLParser):
        def handle_starttag(self, tag, attrs):
            if tag not in ALLOWED_TAGS:
                found.append(tag)
            for name, value in attrs:
                if name.startswith("on") or name in ("src", "style", "srcdoc"):
                    found.append(name)
                if name == "href" and urlsplit(value or "").scheme not in ("http", "https",
                                                                          "mailto"):
                    found.append(value)

    Collector().feed(html)
    return found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_renders_no_active_content(payload):
    html = render_markdown(payload)
    assert active_content(html) == [], html


def test_the_checker_sees_active_content():
    assert active_content('<p><img src="x" onerror="alert(1)"></p>') == ["img", "src", "onerror"]


def test_links_are_marked_as_user_content():
    html = render_markdown("See [the shop](https://klarsicht.example/shop).")
    assert 'rel="nofollow ugc noopener"' in html
    assert 'href="https://klarsicht.example/shop"' in html


def test_headings_start_below_the_page_headings():
    assert render_markdown("# Big").startswith("<h3>")
