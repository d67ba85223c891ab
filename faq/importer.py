"""Imports help articles from JSON Lines or CSV, for sites moving from another help desk.

A record has ``external_id``, ``locale``, ``category`` (a path like ``Orders/Shipping``),
``title``, ``short_answer``, ``body``, ``keywords``, ``example_questions`` (a list, optional) and
``published``. Re-importing a record with
the same ``external_id`` and locale updates the article; records with the same ``external_id``
in other locales become its translations.
"""

import csv
import io
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nh3
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.html import escape
from wagtail.models import Locale, Page

from helpcenter.models import HelpCenterPage
from helpcenter.slugs import slug_for

from .blocks import ArticleBodyBlock
from .listings import article_model, category_model
from .signal_handlers import batched_index_updates

TRANSLATION_NAMESPACE = uuid.UUID("6f1e3f5c-2b7a-4a47-9d55-3c1f6f0e8a21")
ALLOWED_TAGS = {"p", "br", "h3", "h4", "b", "strong", "i", "em", "ul", "ol", "li", "a", "code"}
ALLOWED_ATTRIBUTES = {"a": {"href"}}
# Bodies containing one of these tags are HTML; anything else ("use the <del> tag") is plain text.
HTML_TAG = re.compile(r"</?(p|br|div|span|ul|ol|li|h[1-6]|a|b|strong|em|i|code|pre)\b[^>]*>", re.I)
TRUE_WORDS = {"1", "true", "yes", "y", "published"}
FALSE_WORDS = {"0", "false", "no", "n", "draft", ""}
TITLE_MAX = 255
SHORT_ANSWER_MAX = 400


class RecordError(ValueError):
    """A record that cannot be imported; the message says why, for the person who fixes the file."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def imported(self) -> int:
        return self.created + self.updated + self.unchanged


def read_records(path: Path) -> Iterator[tuple[int, dict | RecordError]]:
    """Yield (line number, record or the reason it is unreadable) from a .jsonl or .csv file."""
    if path.suffix.lower() == ".csv":
        yield from _read_csv(path)
    else:
        yield from _read_jsonl(path)


def _read_jsonl(path: Path):
    with path.open(encoding="utf-8-sig", errors="replace") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = _parsed(line)
            except RecordError as error:
                yield number, error
                continue
            yield number, record


def _parsed(line: str) -> dict:
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise RecordError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    except RecursionError:
        raise RecordError("not valid here: the record is nested too deeply") from None
    if not isinstance(record, dict):
        raise RecordError("a record must be a JSON object")
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as error:
        character = error.object[error.start : error.end].encode("unicode_escape").decode()
        raise RecordError(f"contains {character}, half of a character (a lone surrogate)") from None
    except RecursionError:
        raise RecordError("not valid here: the record is nested too deeply") from None
    return record


def _read_csv(path: Path):
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        reader = csv.DictReader(handle)
        for record in reader:
            yield reader.line_num, record


def count_records(path: Path) -> int:
    with path.open(encoding="utf-8-sig", errors="replace", newline="") as handle:
        if path.suffix.lower() == ".csv":
            return max(sum(1 for _ in csv.reader(io.StringIO(handle.read()))) - 1, 0)
        return sum(1 for line in handle if line.strip())


def _text(record: dict, name: str, *, required: bool = True, max_length: int | None = None) -> str:
    value = record.get(name)
    value = "" if value is None else str(value)
    value = value.replace("\x00", "").strip()
    if required and not value:
        raise RecordError(f"{name} is missing")
    if max_length and len(value) > max_length:
        raise RecordError(f"{name} is longer than {max_length} characters ({len(value)})")
    return value


def _published(record: dict) -> bool:
    value = record.get("published", True)
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise RecordError(f"published must be true or false, not {value!r}")


def _keywords(record: dict) -> str:
    value = record.get("keywords") or []
    if isinstance(value, str):
        value = re.split(r"[;,]", value)
    if not isinstance(value, list):
        raise RecordError("keywords must be a list or a comma-separated text")
    words = [str(word).replace("\x00", "").strip() for word in value]
    joined = ", ".join(word for word in words if word)
    if len(joined) > 255:
        raise RecordError("keywords are longer than 255 characters together")
    return joined


def _example_questions(record: dict) -> str:
    value = record.get("example_questions") or []
    if isinstance(value, str):
        value = value.splitlines()
    if not isinstance(value, list):
        raise RecordError("example_questions must be a list or one question per line")
    questions = (" ".join(str(line).replace("\x00", "").split()) for line in value)
    return "\n".join(question for question in questions if question)


def clean_html(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, link_rel=None)


def text_to_html(text: str) -> str:
    """Plain text to paragraphs: blank lines separate paragraphs, single newlines become <br>."""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    return "".join(f"<p>{escape(part).replace(chr(10), '<br>')}</p>" for part in paragraphs)


def _body(record: dict):
    value = record.get("body") or ""
    if isinstance(value, str):
        value = value.replace("\x00", "")
        html = clean_html(value) if HTML_TAG.search(value) else text_to_html(value)
        return [{"type": "rich_text", "value": html}] if html else []
    if not isinstance(value, list):
        raise RecordError("body must be text, HTML or a list of blocks")
    return [_clean_block(block) for block in value]


def _clean_block(block) -> dict:
    if not isinstance(block, dict) or "type" not in block:
        raise RecordError("each body block needs a type and a value")
    if block["type"] not in ArticleBodyBlock.base_blocks:
        allowed = ", ".join(ArticleBodyBlock.base_blocks)
        raise RecordError(f"unknown body block type {block['type']!r} (allowed: {allowed})")
    value = block.get("value")
    if block["type"] == "rich_text":
        value = clean_html(str(value or ""))
    elif block["type"] == "callout" and isinstance(value, dict):
        value = {**value, "text": clean_html(str(value.get("text") or ""))}
    return {"type": block["type"], "value": value}


def _validated_body(raw_blocks: list[dict]):
    if not raw_blocks:  # an article may have a short answer only
        return []
    stream_block = ArticleBodyBlock()
    try:
        value = stream_block.to_python(raw_blocks)
        stream_block.clean(value)
    except (ValidationError, TypeError, KeyError, AttributeError, ValueError) as error:
        message = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        raise RecordError(f"body is not valid: {message}") from error
    return raw_blocks


def translation_key(external_id: str) -> uuid.UUID:
    return uuid.uuid5(TRANSLATION_NAMESPACE, external_id)


def unique_slug(parent: Page, title: str, exclude_pk: int | None = None) -> str:
    """A readable slug for `title` (helpcenter.slugs), numbered when a sibling has it."""
    base = slug_for(title, fallback="article")
    taken = set(parent.get_children().exclude(pk=exclude_pk).values_list("slug", flat=True))
    slug, suffix = base, 2
    while slug in taken:
        slug, suffix = f"{base}-{suffix}", suffix + 1
    return slug


class ArticleImporter:
    """Creates or updates articles (and missing categories) from records.

    Override `category_for` or `apply` to map records of another help desk differently.
    """

    def __init__(self):
        self._help_centers: dict[str, Page] = {}
        self._categories: dict[tuple[int, str], Page] = {}

    def run(self, records, progress=None) -> ImportReport:
        report = ImportReport()
        with batched_index_updates():
            for number, record in records:
                try:
                    if isinstance(record, RecordError):
                        raise record
                    with transaction.atomic():
                        outcome = self.import_record(record)
                except RecordError as error:
                    report.errors.append((number, str(error)))
                else:
                    setattr(report, outcome, getattr(report, outcome) + 1)
                if progress is not None:
                    progress.update(1)
        return report

    def import_record(self, record: dict) -> str:
        """Import one record; returns "created", "updated" or "unchanged"."""
        external_id = _text(record, "external_id", max_length=100)
        locale = self.locale_for(_text(record, "locale"))
        fields = {
            "title": _text(record, "title", max_length=TITLE_MAX),
            "short_answer": _text(record, "short_answer", max_length=SHORT_ANSWER_MAX),
            "keywords": _keywords(record),
            "example_questions": _example_questions(record),
            "body": _validated_body(_body(record)),
        }
        published = _published(record)
        category = self.category_for(locale, _text(record, "category"))
        model = article_model()
        article = model.objects.filter(external_id=external_id, locale=locale).first()
        if article is None:
            article = model(
                external_id=external_id,
                locale=locale,
                translation_key=translation_key(external_id),
                slug=unique_slug(category, fields["title"]),
                live=False,
                **fields,
            )
            category.add_child(instance=article)
            self.apply(article, published)
            return "created"
        moved = article.get_parent().pk != category.pk
        if not moved and published == article.live and self._same_content(article, fields):
            return "unchanged"
        if moved:
            article.move(category, pos="last-child")
            article.refresh_from_db()
        for name, value in fields.items():
            setattr(article, name, value)
        self.apply(article, published)
        return "updated"

    @staticmethod
    def _same_content(article: Page, fields: dict) -> bool:
        if article.has_unpublished_changes:
            return False
        body = [{"type": b["type"], "value": b["value"]} for b in article.body.raw_data]
        current = {name: getattr(article, name) for name in fields if name != "body"}
        wanted = {name: value for name, value in fields.items() if name != "body"}
        return current == wanted and body == fields["body"]

    def apply(self, article: Page, published: bool) -> None:
        revision = article.save_revision(log_action=True)
        if published:
            revision.publish(log_action=True)
        elif article.live:
            article.unpublish(log_action=True)

    def locale_for(self, language_code: str) -> Locale:
        try:
            return Locale.objects.get_for_language(language_code)
        except (Locale.DoesNotExist, LookupError):
            raise RecordError(
                f"locale {language_code!r} is not set up in Wagtail (Settings > Locales)"
            ) from None

    def help_center_for(self, locale: Locale) -> Page:
        code = locale.language_code
        if code not in self._help_centers:
            help_center = HelpCenterPage.objects.filter(locale=locale).order_by("path").first()
            if help_center is None:
                help_center = self._translate_help_center(locale)
            self._help_centers[code] = help_center
        return self._help_centers[code]

    def _translate_help_center(self, locale: Locale) -> Page:
        source = HelpCenterPage.objects.order_by("path").first()
        if source is None:
            raise RecordError("there is no help center page yet: create one in the Wagtail admin")
        translation = source.copy_for_translation(locale, copy_parents=True)
        translation.save_revision().publish()
        return translation

    def category_for(self, locale: Locale, path: str) -> Page:
        """Find the category at `path` ("Orders/Shipping") in `locale`, creating what is missing."""
        parent = self.help_center_for(locale)
        for title in (part.strip() for part in path.split("/")):
            if not title:
                raise RecordError(f"category {path!r} has an empty part")
            key = (parent.pk, title.casefold())
            if key not in self._categories:
                self._categories[key] = self._child_category(parent, title)
            parent = self._categories[key]
        return parent

    def _child_category(self, parent: Page, title: str) -> Page:
        model = category_model()
        for child in model.objects.child_of(parent):
            if child.title.casefold() == title.casefold():
                return child
        if len(title) > TITLE_MAX:
            raise RecordError(f"category title is longer than {TITLE_MAX} characters")
        category = model(title=title, slug=unique_slug(parent, title), locale=parent.locale)
        parent.add_child(instance=category)
        category.save_revision().publish()
        return category
