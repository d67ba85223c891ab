"""Template tags shared by every help-center page: icons, translations and the help home."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.core.paginator import Page as PaginatorPage
from django.templatetags.static import static
from django.urls import translate_url
from django.utils.html import format_html
from django.utils.translation import get_language, get_language_info

register = template.Library()

ICON_SPRITE = "helpcenter/icons.svg"


@dataclass(frozen=True)
class Translation:
    """One language version of the current page, as the language switcher shows it."""

    language_code: str
    name: str
    url: str
    full_url: str
    is_current: bool
    # False for the help home of a language the page has no translation in.
    is_translation: bool = True


@register.simple_tag
def helpcenter_icon(name: str, css_class: str = "") -> str:
    """An icon of the help-center sprite; decorative, so hidden from assistive technology."""
    classes = f"hc-icon {css_class}".strip()
    return format_html(
        '<svg class="{}" aria-hidden="true" focusable="false"><use href="{}#{}"></use></svg>',
        classes,
        static(ICON_SPRITE),
        name,
    )


def _language_name(language_code: str) -> str:
    try:
        return get_language_info(language_code)["name_local"]
    except KeyError:
        return language_code


def _language_order(language_code: str) -> int:
    codes = [code for code, _name in settings.LANGUAGES]
    return codes.index(language_code) if language_code in codes else len(codes)


def _page_translation(request, page, *, is_current=False, is_translation=True):
    url = page.get_url(request)
    if not url:
        return None
    return Translation(
        language_code=page.locale.language_code,
        name=_language_name(page.locale.language_code),
        url=url,
        full_url=request.build_absolute_uri(url) if request else url,
        is_current=is_current,
        is_translation=is_translation,
    )


def _page_translations(request, page, help_center=None) -> list[Translation]:
    pages = page.get_translations(inclusive=True).live().public().select_related("locale")
    translations = [
        _page_translation(request, translation, is_current=translation.pk == page.pk)
        for translation in pages
    ]
    translations = [translation for translation in translations if translation]
    missing = {code for code, _name in settings.LANGUAGES} - {
        translation.language_code for translation in translations
    }
    if translations and missing:
        translations += _help_homes(request, missing, help_center)
    return sorted(translations, key=lambda t: _language_order(t.language_code))


def _help_homes(request, language_codes, help_center=None) -> list[Translation]:
    """The help home of each language (the current help center's translation first)."""
    from helpcenter.models import HelpCenterPage

    homes = {}
    candidates = (
        HelpCenterPage.objects.live()
        .public()
        .filter(locale__language_code__in=language_codes)
        .select_related("locale")
        .order_by("path")
    )
    key = getattr(help_center, "translation_key", None)
    for home in candidates:
        code = home.locale.language_code
        if code not in homes or (home.translation_key == key != homes[code].translation_key):
            homes[code] = home
    current = get_language()
    translations = [
        _page_translation(request, home, is_current=code == current, is_translation=False)
        for code, home in homes.items()
    ]
    return [translation for translation in translations if translation]


def help_homes(request) -> list[Translation]:
    """The help home of every language, for pages that exist in none (the 404 page)."""
    codes = [code for code, _name in settings.LANGUAGES]
    homes = _help_homes(request, codes)
    return sorted(homes, key=lambda t: _language_order(t.language_code))


def _url_translations(request) -> list[Translation]:
    current = get_language()
    path = request.get_full_path()
    translations = []
    for language_code, _name in settings.LANGUAGES:
        url = translate_url(path, language_code)
        if url == path and language_code != current:
            continue  # this URL has no version in that language
        translations.append(
            Translation(
                language_code=language_code,
                name=_language_name(language_code),
                url=url,
                full_url=request.build_absolute_uri(url),
                is_current=language_code == current,
            )
        )
    return translations


@register.simple_tag(takes_context=True)
def helpcenter_translations(context, page=None) -> list[Translation]:
    """The live language versions of `page` (itself included), in the order of LANGUAGES.

    A language the page has no version in gets its help home instead (`is_translation` is
    False), so a visitor can always switch. Without a Wagtail page (the search page, for
    example) the versions of the current URL in each language of LANGUAGES are returned
    instead. Usage::

        {% helpcenter_translations page as translations %}
    """
    request = context.get("request")
    if page is not None and hasattr(page, "get_translations"):
        return _page_translations(request, page, context.get("help_center"))
    if request is not None:
        return _url_translations(request)
    return []


@register.filter
def helpcenter_alternates(translations: list[Translation]) -> list[Translation]:
    """The versions for `<link rel="alternate" hreflang>`: real translations, when there are two
    or more (a help home standing in for a missing translation is not this page)."""
    pages = [translation for translation in translations if translation.is_translation]
    return pages if len(pages) > 1 else []


@register.simple_tag(takes_context=True)
def helpcenter_home(context):
    """The help center the current page belongs to, for links to the help home.

    Uses `help_center` from the context when the view provides it (None too: the 500 page
    must not query the database); otherwise the help center of `page`, or else the first live
    help center in the active language. Usage::

        {% helpcenter_home as help_center %}
    """
    if "help_center" in context:
        return context["help_center"]
    from wagtail.models import Locale

    from faq.listings import help_center_of
    from helpcenter.models import HelpCenterPage

    page = context.get("page")
    if page is not None and hasattr(page, "path"):
        return help_center_of(page)
    return (
        HelpCenterPage.objects.live()
        .public()
        .filter(locale=Locale.get_active())
        .order_by("path")
        .first()
    )


@register.simple_tag
def helpcenter_page_range(page_obj: PaginatorPage):
    """Page numbers for a pagination bar, with `Paginator.ELLIPSIS` for the gaps."""
    return page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=1, on_ends=1)
