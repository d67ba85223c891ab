"""URL slugs from titles: readable ASCII in every language, cut at a word boundary.

German umlauts are written out the German way (ä → ae, ß → ss); every other letter goes through
anyascii's transliteration (é → e, ł → l, ø → o), which Wagtail already depends on.
"""

from anyascii import anyascii
from django.utils.text import slugify

SLUG_MAX_LENGTH = 70
GERMAN = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe",
                        "Ü": "Ue", "ẞ": "SS"})


def slug_for(text: str, max_length: int = SLUG_MAX_LENGTH, fallback: str = "page") -> str:
    """`Rücksendung & Reklamation` → ``ruecksendung-reklamation``, at most `max_length` long."""
    slug = slugify(anyascii(text.translate(GERMAN)))
    if len(slug) > max_length:
        cut = slug[: max_length + 1]
        slug = cut[: cut.rfind("-")] if "-" in cut else slug[:max_length]
    return slug.strip("-") or fallback


class ReadableSlugMixin:
    """Page types whose slugs the editors' titles make: transliterated, never cut mid-word.

    Wagtail's editor fills in the slug from the title keeping umlauts (or dropping them without
    ``WAGTAIL_ALLOW_UNICODE_SLUGS``); a slug with letters outside ASCII is written out here
    before validation. Override `readable_slug` to make slugs another way.
    """

    def readable_slug(self, text: str) -> str:
        return slug_for(text)

    def full_clean(self, *args, **kwargs):
        if not self.slug and self.title:
            self.slug = self.readable_slug(self.title)
        elif self.slug and not self.slug.isascii():
            self.slug = self.readable_slug(self.slug)
        return super().full_clean(*args, **kwargs)
