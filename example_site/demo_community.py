"""The demo shop's community forum: a forum page per language, boards, members, a moderator and
realistic threads (demo_content/community.json). Safe to run again: what exists is kept."""

import datetime as dt
import json
import secrets
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F
from django.utils import timezone

from community import notifications, posting
from community.models import Board, ForumPage, MemberProfile, Post, Thread
from community.trust import TrustLevel
from faq.models import CategoryPage

FORUM_PAGE = {
    "en": {"title": "Community", "slug": "community",
           "intro": "Ask other Klarsicht customers and our team – and share what you know."},
    "de": {"title": "Community", "slug": "community",
           "intro": "Fragen Sie andere Klarsicht-Kunden und unser Team – und teilen Sie Ihr "
                    "Wissen."},
}
MODERATORS_GROUP = "Forum moderators"


def load(content_dir: Path, roots: dict, locales: dict, key, publish, stdout) -> tuple:
    """Everything of the forum; returns the moderator and their password."""
    data = json.loads((content_dir / "community.json").read_text(encoding="utf-8"))
    forums = forum_pages(roots, locales, key, publish)
    boards = {code: boards_of(data["boards"], locales[code], code, key) for code in forums}
    members = {m["display_name"]: member(m["username"], m["display_name"])
               for m in data["members"]}
    moderator, password = moderator_login(data["moderator"])
    members[data["moderator"]["display_name"]] = moderator
    with notifications.muted():  # demo content mails nobody
        created = sum(
            thread(row, boards[code], members)
            for code in forums for row in data["threads"][code]
        )
    stdout.write(f"Community: {created} threads created, "
                 f"{Thread.objects.count() - created} kept.")
    return moderator, password


def forum_pages(roots, locales, key, publish) -> dict:
    pages = {}
    for code, help_center in roots.items():
        page = ForumPage.objects.filter(translation_key=key("forum-page"),
                                        locale=locales[code]).first()
        if page is None:
            page = help_center.add_child(instance=ForumPage(
                translation_key=key("forum-page"), locale=locales[code], **FORUM_PAGE[code]))
            publish(page)
        help_center.refresh_from_db()
        if help_center.community_page_id is None:
            help_center.community_page = page
            publish(help_center)
        pages[code] = page
    return pages


def boards_of(rows, locale, code, key) -> dict:
    boards = {}
    for row in rows:
        texts = row[code]
        category = None
        if row["category"]:
            category = CategoryPage.objects.filter(
                translation_key=key(f"category:{row['category']}"), locale=locale).first()
        board, _created = Board.objects.get_or_create(
            locale=locale, slug=texts["slug"],
            defaults={"name": texts["name"], "description": texts["description"],
                      "order": row["order"], "category": category},
        )
        boards[row["key"]] = board
    return boards


def member(username: str, display_name: str, email: str = ""):
    User = get_user_model()
    user, created = User.objects.get_or_create(
        username=username, defaults={"email": email or f"{username}@members.klarsicht.example"})
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    # The demo's members have been around for a while: their posts need no first review.
    profile, _created = MemberProfile.objects.get_or_create(
        user=user, defaults={"display_name": display_name, "trust_level": TrustLevel.MEMBER})
    if profile.trust_level < TrustLevel.MEMBER:
        MemberProfile.objects.filter(pk=profile.pk).update(trust_level=TrustLevel.MEMBER)
    return user


def moderator_login(row):
    """A forum moderator who signs in on the site (not the admin); the password is kept in
    var/demo-moderator-password.txt, like the admin's."""
    password_file = Path(settings.VAR_DIR) / "demo-moderator-password.txt"
    user = member(row["username"], row["display_name"], "moderator@klarsicht.example")
    if not user.has_usable_password() or not password_file.exists():
        password = secrets.token_urlsafe(9)
        user.set_password(password)
        user.save(update_fields=["password"])
        password_file.parent.mkdir(parents=True, exist_ok=True)
        password_file.write_text(password, encoding="utf-8")
    user.groups.add(Group.objects.get(name=MODERATORS_GROUP))
    if apps.is_installed("allauth.account"):
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=user, email=user.email, defaults={"verified": True, "primary": True})
    return user, password_file.read_text(encoding="utf-8").strip()


def thread(row, boards, members) -> bool:
    board = boards[row["board"]]
    if Thread.objects.filter(board=board, title=row["title"]).exists():
        return False
    author = members[row["author"]]
    started = timezone.now() - dt.timedelta(days=row["days_ago"], hours=3)
    item = posting.start_thread(board, author, row["title"], row["text"],
                                kind=row["kind"])
    voters = list(members.values())
    for number, reply_row in enumerate(row["replies"]):
        reply = posting.reply(item, members[reply_row["author"]], reply_row["text"])
        when = started + dt.timedelta(hours=5 * (number + 1))
        Post.objects.filter(pk=reply.pk).update(created_at=when)
        fans = [v for v in voters if v.pk not in (reply.author_id,)][: reply_row["votes"]]
        for fan in fans:
            posting.vote(reply, fan)
        if row["accepted"] == number:
            posting.accept(reply, author)
    last = started + dt.timedelta(hours=5 * len(row["replies"]))
    Thread.objects.filter(pk=item.pk).update(
        created_at=started, last_activity_at=last, view_count=F("view_count") + row["views"])
    Post.objects.filter(thread=item, is_question=True).update(created_at=started)
    return True


