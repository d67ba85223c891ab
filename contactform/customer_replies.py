"""The agent hears when the customer answers: a customer's e-mail reply that joins its
conversation (`submissions.add_customer_reply`) stores one mail in the outbox (kind
`contactform.customer_reply`, about the reply), built when it is sent by `reply_alert_message`.

It goes to the agent the conversation is assigned to (active, with an address), in their
Wagtail admin language as Wagtail's own notifications are; without one to the contact page's
recipients, in the site's `LANGUAGE_CODE` as the team notification. A reply a machine wrote (an
out-of-office answer, a bounce) and a conversation marked as spam are recorded as not sent,
with the reason; a page whose "tell the team when a customer replies" is off stores nothing.
"""

from __future__ import annotations

from email.utils import make_msgid

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpcenter import outbox
from helpcenter.models import OutgoingMail

from .models import ConversationEntry, Submission
from .notifications import (
    clean_line,
    contact_page_of,
    customer_reply_to,
    excerpt,
    from_email,
    inbox_url,
    is_safe_address,
    quote,
    recipients_of,
    shorten,
    spam_skip_reason,
)
from .references import outgoing_message_id
from .replies import mail_domain

KIND = "contactform.customer_reply"
REPLY_EXCERPT_LENGTH = 1500


def register_mail_kind() -> None:
    """Called by `ContactFormConfig.ready`."""
    outbox.register(
        KIND,
        reply_alert_message,
        label=gettext_lazy("Customer reply notification"),
        may_resend=conversation_not_spam,
    )


def conversation_not_spam(mail: OutgoingMail) -> bool:
    """Never sent by hand while the conversation is marked as spam."""
    entry = mail.about
    return entry is not None and entry.submission.status != Submission.Status.SPAM


def schedule(entry: ConversationEntry, *, auto_generated: str = "") -> OutgoingMail | None:
    """Store the mail about a customer's reply, in the transaction that stored the reply; None
    when the contact page does not want it (or is gone). One mail per reply (the outbox key)."""
    submission = entry.submission
    page = contact_page_of(submission)
    if page is None or not page.notify_customer_replies:
        return None
    recipients = recipients_for(submission, page)
    reason = ""
    if submission.status == Submission.Status.SPAM:
        reason = spam_skip_reason(submission)
    elif auto_generated:
        reason = _("Written by a machine (%(reason)s): nobody is told.") % {
            "reason": auto_generated
        }
    elif not recipients:
        reason = _("The contact page has no recipients.")
    return outbox.store(
        KIND, about=entry, recipients=recipients, key=f"{KIND}:{entry.pk}", skip_reason=reason
    )


def recipients_for(submission: Submission, page) -> list[str]:
    """The assignee when it is an active user with a valid address, else the page's recipients.

    Override this (or wrap `schedule`) to tell someone else, e.g. a team lead as well."""
    agent = submission.assignee
    if agent is not None and agent.is_active and is_safe_address(agent.email):
        return [agent.email]
    return page.recipient_list


def recipient_language(mail: OutgoingMail, submission: Submission) -> str:
    """The assignee's Wagtail admin language (Account → Preferences) when the mail goes to them,
    else the site's `LANGUAGE_CODE`."""
    from wagtail.users.models import UserProfile

    agent = submission.assignee
    if agent is None or recipients_of(mail) != [agent.email]:
        return settings.LANGUAGE_CODE
    profile = UserProfile.objects.filter(user=agent).first()
    return (profile.preferred_language if profile else "") or settings.LANGUAGE_CODE


def reply_alert_message(mail: OutgoingMail) -> EmailMessage:
    """Plain text (template `contactform/mail/customer_reply.txt`): who answered, the start of
    the reply quoted, the link into the inbox. Reply-To the customer, as the team notification."""
    entry = mail.about
    submission = entry.submission
    if submission.status == Submission.Status.SPAM:
        raise outbox.Skip(_("The conversation is marked as spam."))
    with translation.override(recipient_language(mail, submission)):
        name = clean_line(entry.customer_name)
        context = {
            "name": name,
            "reference": submission.reference,
            "status": submission.get_status_display(),
            "quoted_reply": quote(shorten(entry.body.strip(), REPLY_EXCERPT_LENGTH)),
            "inbox_url": inbox_url(submission),
        }
        subject = _("Reply %(reference)s from %(name)s: %(excerpt)s") % {
            "reference": submission.reference,
            "name": excerpt(name, 40) or _("(no name)"),
            "excerpt": excerpt(entry.body),
        }
        body = render_to_string("contactform/mail/customer_reply.txt", context)
    team_thread = outgoing_message_id(submission, "team")
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=from_email(),
        to=recipients_of(mail),
        reply_to=customer_reply_to(submission),
        headers={
            # One per mail (never the conversation's: clients drop a repeated Message-ID),
            # threaded below the team notification.
            "Message-ID": make_msgid(f"customer_reply.{entry.pk}", domain=mail_domain()),
            "In-Reply-To": team_thread,
            "References": team_thread,
        },
    )
