"""The contact page over HTTP. `ContactPageMixin`'s routes call these functions.

A customer's way through the page:

1. GET: the form, with a signed render token (`spam.issue_token`). A form sent back sooner than
   a person types (autofill and paste) or after a long time is shown again with the text kept,
   a fresh token and a notice: one more click sends it.
2. POST: with JavaScript, the customer has seen the suggestions while typing, so the message is
   sent at once. Without JavaScript, the first POST shows the suggested answers with "Send
   anyway" and "This solved it"; with no suggestions it sends at once.
3. Sending: the per-address rate limit, the single-use token, duplicate detection, then
   `submissions.receive` stores the message and schedules its e-mails; the customer is
   redirected to the thank-you page.

"This answers my question" / "This solved it" POST to `deflect/` (an article's id, or with
`source` the id of another search source's answer: a forum thread); "Show answer" loads
`answer/?article=<id>`, the article's full answer as an HTML fragment. A thread is not shown
inline: its suggestion links to it.
"""

from __future__ import annotations

from django.apps import apps
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.models import Page, Site

from helpcenter import spam, visitors
from search import analytics, registry
from search.suggestions import suggest

from .answers import is_page
from .blocks import WEEKDAYS
from .conf import app_settings
from .forms import ContactForm, DeflectionForm
from .models import Deflection, normalise_email
from .submissions import is_duplicate, receive

SEND = "send"
EDIT = "edit"
DEFLECTIONS_SESSION_KEY = "contactform_deflections"
SENT_SESSION_KEY = "contactform_sent"
REFERENCE_SESSION_KEY = "contactform_reference"
MAX_REMEMBERED_DEFLECTIONS = 100


# The form --------------------------------------------------------------------------------------


def contact_form(page, request):
    if request.method == "POST":
        return _post(page, request)
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD", "POST"])
    return page.render(request)


def _post(page, request):
    action = request.POST.get("action", "")
    if action == EDIT:
        return render_form(page, request, ContactForm.resumed(page, request.POST))
    form = ContactForm(page, request.POST)
    if not form.is_valid():
        if form.needs_new_token:
            form.renew_token()
        return render_form(page, request, form)
    if form.spam_reason or action == SEND or form.cleaned_data["suggestions_seen"]:
        return send(page, request, form, log=action != SEND)
    found = suggestions_for(page, form.cleaned_data["message"])
    log_message_search(page, form, found)
    if found:
        return render_suggestions_step(page, request, form, found)
    return send(page, request, form, found)


def send(page, request, form: ContactForm, found: list | None = None, *, log: bool = True):
    """Store a valid form's message once, then thank the customer."""
    if not spam.address_allowed("contact-send", request, app_settings.RATE_LIMIT_PER_HOUR, 3600):
        return too_many_requests(page, request, form.cleaned_data["message"])
    data = form.cleaned_data
    is_spam = bool(form.spam_reason)
    nonce = form.token.nonce
    if nonce:
        message_key = spam.fingerprint(normalise_email(data["email"]), data["message"])
        first_used_for = spam.use_nonce(nonce, message_key)
        if first_used_for == message_key:  # the same form sent twice: a double click, a reload
            return confirm_sent(page, request)
        if first_used_for is not None:
            form.renew_token(
                _(
                    "This form has already been used to send a different message. Please check "
                    "your message and send it again."
                )
            )
            return render_form(page, request, form)
    if is_duplicate(data["email"], data["message"], include_spam=is_spam):
        return confirm_sent(page, request)
    if found is None:
        found = [] if is_spam else suggestions_for(page, data["message"])
        if log and not is_spam:
            log_message_search(page, form, found)
    try:
        submission = receive(
            page,
            data,
            request,
            suggestions=found,
            opened_answers=data["opened"],
            spam_reason=form.spam_reason,
        )
    except Exception:
        if nonce:
            spam.release_nonce(nonce)  # nothing was stored: the customer may send it again
        raise
    if submission.status == submission.Status.SPAM:  # a bot learns nothing, not even a number
        request.session.pop(REFERENCE_SESSION_KEY, None)
    else:
        request.session[REFERENCE_SESSION_KEY] = submission.reference
    return confirm_sent(page, request)


def suggestions_for(page, text: str) -> list:
    return suggest(text, page.locale.language_code, limit=app_settings.SUGGESTIONS)


def log_message_search(page, form: ContactForm, found: list) -> None:
    analytics.log_search(
        form.cleaned_data["message"], page.locale.language_code, len(found), source="contact"
    )


def render_form(page, request, form: ContactForm, status: int = 200):
    response = page.render(request, context_overrides={"form": form})
    response.status_code = status
    return response


def render_suggestions_step(page, request, form: ContactForm, found: list):
    return page.render(
        request,
        template="contactform/contact_suggestions.html",
        context_overrides={"form": form, "carried": form.carried_values(), "suggestions": found},
    )


def confirm_sent(page, request):
    """Go to the confirmation, which this session may now see (bots see it alike)."""
    request.session[SENT_SESSION_KEY] = page.pk
    return redirect(thanks_url(page, request))


def thanks(page, request):
    """The confirmation, only after this visitor sent a message (else the form)."""
    if request.session.get(SENT_SESSION_KEY) != page.pk:
        return redirect(page.get_url(request))
    return page.render(
        request,
        template="contactform/thank_you.html",
        context_overrides={"reference": request.session.get(REFERENCE_SESSION_KEY, "")},
    )


def redirect_to_thanks(page, request):
    return redirect(thanks_url(page, request), permanent=True)


def thanks_url(page, request) -> str:
    return page.get_url(request) + page.reverse_subpage("thanks")


def too_many_requests(page, request, message: str = ""):
    response = page.render(
        request,
        template="contactform/too_many_requests.html",
        context_overrides={"unsent_message": message},
    )
    response.status_code = 429
    return response


# Deflections and inline answers ----------------------------------------------------------------


def deflect(page, request):
    """A suggested answer solved the customer's problem: count it once and thank them."""
    if request.method != "POST":
        return redirect(page.get_url(request))
    wants_json = request.headers.get("X-Requested-With") == "fetch"
    form = DeflectionForm(request.POST)
    answer = None
    if form.is_valid():
        answer = find_answer(form.cleaned_data["article"], form.cleaned_data["source"])
    if answer is None:
        if wants_json:
            return JsonResponse({"error": _("This answer is no longer available.")}, status=400)
        return redirect(page.get_url(request))
    if not spam.address_allowed(
        "contact-deflect", request, app_settings.RATE_LIMIT_PER_HOUR, 3600
    ):
        if wants_json:
            return JsonResponse(
                {"error": _("Too many requests. Please wait a moment.")}, status=429
            )
        return too_many_requests(page, request)
    source = "" if isinstance(answer, Page) else form.cleaned_data["source"]
    record_deflection(page, answer, request, source=source)
    if wants_json:
        return JsonResponse({"ok": True, "message": strings()["thanks"]})
    url = answer.get_url(request) if isinstance(answer, Page) else answer.url
    return page.render(
        request,
        template="contactform/thank_you.html",
        context_overrides={"deflected": answer, "deflected_url": url},
    )


def record_deflection(page, answer, request, *, source: str = "") -> Deflection | None:
    """One deflection per answer and visitor session; editors and bots are not counted.

    `answer` is an article, or with `source` the `search.registry.Answer` of that source."""
    if not visitors.counts_as_customer(request):
        return None
    remembered = request.session.get(DEFLECTIONS_SESSION_KEY, [])
    key = f"{page.pk}:{source}:{answer.pk}" if source else f"{page.pk}:{answer.pk}"
    if key in remembered:
        return None
    deflection = Deflection.objects.create(
        page=page,
        article=None if source else answer,
        article_title=answer.title[: Deflection._meta.get_field("article_title").max_length],
        source=source,
        locale=page.locale.language_code if source else answer.locale.language_code,
    )
    request.session[DEFLECTIONS_SESSION_KEY] = (remembered + [key])[-MAX_REMEMBERED_DEFLECTIONS:]
    if not source and apps.is_installed("search"):
        from search.learning import record_after_search

        record_after_search(request, answer.pk, deflection.locale, "deflection")
    return deflection


def answer(page, request):
    """The full answer of a suggested article, as a fragment the form shows inline."""
    form = DeflectionForm(request.GET)
    article = find_article(form.cleaned_data["article"]) if form.is_valid() else None
    if article is None:
        raise Http404("No such answer")
    if request.headers.get("X-Requested-With") != "fetch":
        return redirect(article.get_url(request))
    article.count_view(request)  # read here instead of on its page: a view all the same
    return TemplateResponse(
        request, "contactform/includes/answer.html", {"article": article, "page": page}
    )


def find_article(pk: int):
    from faq.listings import article_model

    return article_model().objects.live().public().filter(pk=pk).select_related("locale").first()


def find_answer(pk: int, source_name: str = ""):
    """The live article `pk`, or the answer `pk` of the search source `source_name` if it still
    may answer a customer (a solved, visible forum thread); None otherwise."""
    if not source_name or is_page({"source": source_name}):
        return find_article(pk)
    source = registry.get(source_name)
    if source is None or source.answers is None:
        return None
    return next(iter(source.answers([pk])), None)


def article_source() -> str:
    """The name of the search source of the articles: the answers the page shows inline."""
    from faq.listings import article_model

    source = registry.for_model(article_model()._meta.label_lower)
    return source.name if source is not None else ""


# What every contact page shows -----------------------------------------------------------------


def page_context(page, request) -> dict:
    """Context of the contact page templates: the help center, privacy notice and hours."""
    from faq.listings import breadcrumbs, help_center_of

    site = Site.find_for_request(request) if request is not None else None
    help_center = help_center_of(page)
    return {
        "form": ContactForm(page, initial={"token": spam.issue_token()}),  # routes replace it
        "help_center": help_center,
        "breadcrumbs": breadcrumbs(page),
        "controller": (site.site_name if site and site.site_name else "")
        or (help_center.title if help_center else page.title),
        "retention_days": app_settings.RETENTION_DAYS,
        "business_hours": business_hours(page),
        "suggest_strings": strings(),
        "suggest_min_words": app_settings.SUGGEST_MIN_WORDS,
        "suggestions_limit": app_settings.SUGGESTIONS,
        "article_source": article_source(),
    }


def business_hours(page) -> list[dict]:
    """The opening hours as the page lists them: a day range ("Monday – Friday") and times."""
    names = dict(WEEKDAYS)
    rows = []
    for block in page.business_hours:
        days = sorted(int(day) for day in block.value["days"])
        if not days:
            continue
        consecutive = days == list(range(days[0], days[-1] + 1))
        if consecutive and len(days) > 2:
            label = f"{names[str(days[0])]} – {names[str(days[-1])]}"
        else:
            label = ", ".join(str(names[str(day)]) for day in days)
        rows.append({"days": label, "opens": block.value["opens"], "closes": block.value["closes"]})
    return rows


def strings() -> dict:
    """The texts the form's JavaScript shows, translated on the server."""
    limit = app_settings.SUGGESTIONS
    return {
        "found": {
            str(count): ngettext(
                "%(count)s answer might help", "%(count)s answers might help", count
            )
            % {"count": count}
            for count in range(1, limit + 1)
        },
        "none": _("No matching answers yet. Tell us a little more, or send your message."),
        "loading": _("Looking for answers…"),
        "show": _("Show answer"),
        "hide": _("Hide answer"),
        "helped": _("This answers my question"),
        "open": _("Open the article"),
        "failed": _("The answer could not be loaded. Open the article instead."),
        "thanks": _("Great, we're glad this answered your question!"),
        "thanks_note": _(
            "You don't need to send the form. If you still want to, your text is still there."
        ),
        "short_answer": _("In short"),
        "open_other": _("Open in a new tab"),
        "sources": {source.name: str(source.label) for source in registry.sources()},
    }


def csrf_failure(request, reason: str = ""):
    """A friendly 403 when a form's security token is missing or stale (CSRF_FAILURE_VIEW).

    A contact message that was refused is shown again, so the customer can copy it.
    """
    message = ""
    if request.method == "POST":
        message = request.POST.get("message", "")[: app_settings.MESSAGE_MAX_LENGTH]
    return render(
        request,
        "contactform/csrf_failure.html",
        {"unsent_message": message, "reason": reason},
        status=403,
    )
