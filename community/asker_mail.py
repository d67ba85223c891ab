"""E-mail to the asker when a moderator merges their thread or marks it as a duplicate.

`tell_asker` runs in the moderator's transaction and stores the mail in the suite's outbox
(`helpcenter.outbox`), which sends it after commit, retries and lets staff resend it. The text
is built when it is sent, in the thread's language, with the current link to the answer.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpcenter import outbox
from helpcenter.links import absolute_url
from helpcenter.models import OutgoingMail

from .links import absolute_thread_url
from .members import display_name
from .models import Thread
from .notifications import from_email

MERGED = "community.thread_merged"
DUPLICATE = "community.thread_duplicate"


def register_mail_kinds() -> None:
    """Called by `CommunityConfig.ready`: the outbox builds these mails when it sends them."""
    outbox.register(MERGED, merged_message, label=gettext_lazy("Thread merged (to the asker)"))
    outbox.register(DUPLICATE, duplicate_message,
                    label=gettext_lazy("Thread marked as duplicate (to the asker)"))


def tell_asker(thread: Thread, kind: str) -> OutgoingMail:
    """Store the mail about `thread` for its asker (once per thread and kind)."""
    address = (thread.author.email or "").strip() if thread.author else ""
    return outbox.store(
        kind, about=thread, recipients=[address] if address else [],
        key=f"{kind}:{thread.pk}",
        skip_reason="" if address else _("The asker has no e-mail address."),
    )


def _message(mail: OutgoingMail, thread: Thread, subject: str, template: str,
             context: dict) -> EmailMessage:
    context.update(
        name=display_name(thread.author), title=thread.title,
        site_name=getattr(settings, "WAGTAIL_SITE_NAME", ""),
    )
    return EmailMessage(
        subject=subject, body=render_to_string(template, context),
        from_email=from_email(),
        to=[address for address in mail.recipients.split(", ") if address],
    )


def merged_message(mail: OutgoingMail) -> EmailMessage:
    thread = mail.about
    target = thread.merged_into
    if target is None:
        raise outbox.Skip(_("The thread is no longer merged."))
    with translation.override(thread.board.locale.language_code):
        return _message(mail, thread, _("Your question was merged with a similar thread"),
                        "community/mail/thread_merged.txt",
                        {"target_title": target.title, "url": absolute_thread_url(target)})


def duplicate_message(mail: OutgoingMail) -> EmailMessage:
    from .thread_actions import canonical_answer

    thread = mail.about
    answer = canonical_answer(thread)
    if answer is None:
        raise outbox.Skip(_("The answer it pointed to is no longer published."))
    url = absolute_thread_url(answer) if isinstance(answer, Thread) else absolute_url(answer)
    with translation.override(thread.board.locale.language_code):
        return _message(mail, thread, _("Your question has been answered before"),
                        "community/mail/thread_duplicate.txt",
                        {"answer_title": answer.title, "url": url,
                         "reason": thread.lock_reason})
