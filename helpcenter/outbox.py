"""The durable mail outbox that every app of the suite sends through.

An app registers a *kind* of mail with the function that builds it (`register`, in its
`AppConfig.ready`) and stores a mail with `store()` in the transaction that caused it. Nothing is
sent before that transaction commits; then `helpcenter.tasks.deliver_mail` makes the first
attempt on the mail queue. A mail server that is down costs nothing but a retry: a failed
attempt leaves the mail PENDING with `next_attempt_at` (exponential backoff); after
`HELPCENTER_MAIL_MAX_ATTEMPTS` it becomes FAILED, and the admin (Reports → Outgoing mail, or
the page of what the mail is about) can send it again. `manage.py send_mail_outbox` sends what
is due when the task backend cannot defer.

The message is built when it is sent, from the object the mail is about, so the outbox copies
no text and the erasure of that object takes its mails with it (a `GenericRelation` to
`OutgoingMail` on the model, which deletes them in cascade).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta
from functools import partial

from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .conf import app_settings
from .models import OutgoingMail

logger = logging.getLogger(__name__)

Status = OutgoingMail.Status


class Skip(Exception):  # noqa: N818 - reads as `raise outbox.Skip(reason)`
    """Raised by a builder when the mail must not be sent after all; the reason is recorded."""


@dataclass(frozen=True)
class MailKind:
    name: str
    label: str
    build: Callable[[OutgoingMail], EmailMessage]
    may_resend: Callable[[OutgoingMail], bool] | None = None


_kinds: dict[str, MailKind] = {}


def register(
    kind: str,
    build: Callable[[OutgoingMail], EmailMessage],
    *,
    label: str,
    may_resend: Callable[[OutgoingMail], bool] | None = None,
) -> None:
    """Make `kind` ("<app>.<name>") sendable: `build(mail)` returns the EmailMessage when the
    mail is sent (render it in the recipient's language), or raises `Skip`. `may_resend(mail)`
    says whether an agent may send it again by hand (default: whenever it was not sent)."""
    _kinds[kind] = MailKind(kind, label, build, may_resend)


def kind_label(kind: str) -> str:
    registered = _kinds.get(kind)
    return str(registered.label) if registered else kind


def kinds() -> list[MailKind]:
    return sorted(_kinds.values(), key=lambda item: str(item.label))


# Storing -------------------------------------------------------------------------------------


def store(
    kind: str,
    *,
    recipients: Iterable[str],
    about: models.Model | None = None,
    key: str = "",
    skip_reason: str = "",
) -> OutgoingMail:
    """Store a mail and send it after the current transaction commits.

    With `skip_reason` it is stored as not sent (so the admin shows why). A `key` makes the mail
    unique: storing a second mail with the same key returns the first one, even when two
    processes race.
    """
    if kind not in _kinds:
        raise LookupError(f"Unknown mail kind {kind!r}: register it in AppConfig.ready")
    mail = OutgoingMail(kind=kind, recipients=", ".join(recipients), key=key or None)
    if about is not None:
        mail.content_type = ContentType.objects.get_for_model(about)
        mail.object_id = about.pk
    if skip_reason:
        mail.status, mail.last_error = Status.SKIPPED, str(skip_reason)
    if key:
        earlier = OutgoingMail.objects.filter(key=key).first()
        if earlier is not None:
            return earlier
        try:
            with transaction.atomic():
                mail.save()
        except IntegrityError:
            return OutgoingMail.objects.get(key=key)
    else:
        mail.save()
    if mail.status == Status.PENDING:
        transaction.on_commit(partial(enqueue, [mail.pk]))
    return mail


def about(obj: models.Model):
    """The mails about `obj`, oldest first."""
    return OutgoingMail.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).order_by("created_at", "pk")


def resend(mail: OutgoingMail) -> OutgoingMail:
    """Send a mail again from scratch (full number of attempts), after commit."""
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=Status.PENDING, attempts=0, next_attempt_at=None, sent_at=None
    )
    mail.refresh_from_db()
    transaction.on_commit(partial(enqueue, [mail.pk]))
    return mail


def can_resend(mail: OutgoingMail) -> bool:
    """Mails that were not sent may be sent by hand, unless their kind says otherwise."""
    if mail.status == Status.SENT:
        return False
    registered = _kinds.get(mail.kind)
    if registered is None:
        return False
    return registered.may_resend is None or registered.may_resend(mail)


def enqueue(mail_ids: list[int]) -> None:
    """Hand the mails to the task backend; a failure leaves them for `send_mail_outbox`."""
    from .tasks import deliver_mail

    for mail_id in mail_ids:
        try:
            deliver_mail.using(queue_name=app_settings.MAIL_QUEUE).enqueue(mail_id)
        except Exception:  # noqa: BLE001 - still PENDING: send_mail_outbox sends it
            logger.exception("Could not enqueue outgoing mail %s", mail_id)


# Delivery --------------------------------------------------------------------------------------


def deliver(mail: OutgoingMail, *, force: bool = False) -> str | None:
    """Make one attempt to send `mail`; returns "sent", "retry", "failed", "skipped" or None.

    None means it was not attempted: not pending, not yet due (unless `force`), or claimed by
    another worker. Claiming sets the time of the next attempt first, so a worker that dies
    while sending leaves the mail to be retried, never lost.
    """
    now = timezone.now()
    attempt = mail.attempts + 1
    claim = OutgoingMail.objects.filter(pk=mail.pk, status=Status.PENDING, attempts=mail.attempts)
    if not force:
        claim = claim.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    if not claim.update(attempts=attempt, next_attempt_at=now + backoff(attempt)):
        return None
    mail.refresh_from_db()
    try:
        message = build(mail)
    except Skip as reason:
        return _finish(mail, Status.SKIPPED, str(reason))
    except Exception as error:  # noqa: BLE001 - cannot get better by retrying
        logger.exception("Outgoing mail %s (%s) cannot be built", mail.pk, mail.kind)
        return _finish(mail, Status.FAILED, _describe(error))
    try:
        message.send()
    except Exception as error:  # noqa: BLE001 - mail server down, refused, timed out: retry
        logger.warning("Outgoing mail %s (%s) not sent: %r", mail.pk, mail.kind, error)
        if attempt >= app_settings.MAIL_MAX_ATTEMPTS:
            return _finish(mail, Status.FAILED, _describe(error))
        _record(mail, last_error=_describe(error))
        return "retry"
    return _finish(mail, Status.SENT)


def build(mail: OutgoingMail) -> EmailMessage:
    """The message of `mail` as it would be sent now (raises `Skip` when it would not be)."""
    registered = _kinds.get(mail.kind)
    if registered is None:
        raise LookupError(f"No builder is registered for mail kind {mail.kind!r}")
    if mail.content_type_id is not None and mail.about is None:
        raise Skip(_("What this mail was about no longer exists."))
    return registered.build(mail)


def deliver_due(*, force: bool = False) -> int:
    """Attempt every pending mail that is due (all pending ones with `force`)."""
    pending = OutgoingMail.objects.filter(status=Status.PENDING)
    if not force:
        pending = pending.filter(
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
        )
    sent = 0
    for mail in pending.order_by("created_at", "pk").iterator():
        sent += deliver(mail, force=force) == Status.SENT
    return sent


def retry_failed() -> int:
    """Make every FAILED mail PENDING again with a full set of attempts."""
    return OutgoingMail.objects.filter(status=Status.FAILED).update(
        status=Status.PENDING, attempts=0, next_attempt_at=None
    )


def backoff(attempt: int) -> timedelta:
    """Time to wait after the `attempt`-th attempt failed: the base backoff, doubled each time."""
    return timedelta(seconds=app_settings.MAIL_RETRY_BACKOFF_SECONDS * 2 ** (attempt - 1))


def _finish(mail: OutgoingMail, status: str, error: str = "") -> str:
    _record(
        mail,
        status=status,
        next_attempt_at=None,
        sent_at=timezone.now() if status == Status.SENT else None,
        last_error=error,
    )
    return status


def _record(mail: OutgoingMail, **fields) -> None:
    OutgoingMail.objects.filter(pk=mail.pk).update(**fields)
    for name, value in fields.items():
        setattr(mail, name, value)


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]
