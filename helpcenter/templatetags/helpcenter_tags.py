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


def _page_translations(request, page) -> list[Translation]:
    pages = page.get_translations(inclusive=True).live().public().select_related("locale")
    translations = []
    for translation in pages:
        url = translation.get_url(request)
        if not url:
            continue
        translations.append(
            Translation(
                language_code=translation.locale.language_code,
                name=_language_name(translation.locale.language_code),
                url=url,
                full_url=request.build_absolute_uri(url) if request else url,
                is_current=translation.pk == page.pk,
            )
        )
    return sorted(translations, key=lambda t: _language_order(t.language_code))


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

    Without a Wagtail page (the search page, for example) the versions of the current URL in each
    language of LANGUAGES are returned instead. Usage::

        {% helpcenter_translations page as translations %}
    """
    request = context.get("request")
    if page is not None and hasattr(page, "get_translations"):
        return _page_translations(request, page)
    if request is not None:
        return _url_translations(request)
    return []


@register.simple_tag(takes_context=True)
def helpcenter_home(context):
    """The help center the current page belongs to, for links to the help home.

    Uses `help_center` from the context when the view provides it; otherwise the help center of
    `page`, or else the first live help center in the active language. Usage::

        {% helpcenter_home as help_center %}
    """
    if context.get("help_center") is not None:
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
