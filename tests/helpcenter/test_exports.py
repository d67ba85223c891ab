"""Exports never hand a spreadsheet program a formula typed by a customer."""

import pytest
from django.test import Client

from helpcenter.exports import spreadsheet_safe
from tests.contactform.fixtures import contact_page, store_submission  # noqa: F401 - fixtures


@pytest.mark.parametrize("text", ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_quoted(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["Where is my parcel?", "", "1 + 1", 42])
def test_other_text_is_kept(text):
    assert spreadsheet_safe(text) == str(text)


# Every export of the suite -----------------------------------------------------------------------

FORMULA = "=cmd|' /C calc'!A0"


@pytest.fixture
def customer():
    return Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0")


def test_every_export_of_the_suite_is_spreadsheet_safe():
    """Each admin view of the suite that can export goes through SpreadsheetSafeExportMixin."""
    import inspect

    from django.urls import resolve, reverse
    from wagtail.admin.views.mixins import SpreadsheetExportMixin

    from helpcenter.exports import SpreadsheetSafeExportMixin
    from tests.helpcenter.test_admin_sweep import EXTRA_URLS, suite_admin_urls

    exporting = []
    for name, (_model, takes_pk) in suite_admin_urls().items():
        if name in EXTRA_URLS:
            continue
        url = reverse(name, args=[1]) if takes_pk else reverse(name)
        view = inspect.unwrap(resolve(url).func)
        model_admin = getattr(view, "__self__", None)
        view_class = (
            model_admin.index_view_class
            if model_admin is not None and view.__name__ == "index_view"
            else getattr(view, "view_class", None)
        )
        if view_class and issubclass(view_class, SpreadsheetExportMixin):
            exporting.append(name)
            assert issubclass(view_class, SpreadsheetSafeExportMixin), name
    assert len(exporting) >= 9


def _csv_cells(response) -> list[str]:
    import csv
    import io

    assert response.status_code == 200, response
    text = b"".join(response.streaming_content).decode()
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _xlsx_cells(response) -> list:
    import io

    from openpyxl import load_workbook

    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [cell.value for row in workbook.active.iter_rows() for cell in row]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url_name",
    [
        "faq_reports:feedback",
        "faq_reports:popularity",
        "helpcenter_search_admin:top_searches",
        "helpcenter_search_admin:clicked_results",
        "contactform_reports:deflecting_articles",
        "contactform_reports:content_gaps",
        "contact_messages_modeladmin_index",
    ],
)
@pytest.mark.parametrize("export", ["csv", "xlsx"])
def test_anonymous_input_reaches_no_export_as_a_formula(
    url_name, export, admin_client, make_article, store_submission, contact_page, customer  # noqa: F811
):
    from django.urls import reverse

    from contactform.models import Deflection
    from faq.models import ArticleFeedback, ArticleStats

    article = make_article(title="+SUM(1,2) and more")
    ArticleStats.objects.get_or_create(page=article)
    ArticleFeedback.objects.create(page=article, visitor="v", helpful=False, comment=FORMULA)
    # A search a customer typed, then clicks (a term with no search is no row of Top searches).
    assert customer.get(
        reverse("helpcenter_search:results"), {"q": "@SUM(A1) refund"}
    ).status_code == 200
    for locale in ("en", FORMULA):
        click = customer.get(
            reverse("helpcenter_search:click"),
            {"q": "@SUM(A1) refund", "to": article.url, "pk": article.pk, "locale": locale},
        )
        assert click.status_code == 302
    Deflection.objects.create(
        page=contact_page, article=article, article_title=article.title, locale="en"
    )
    for _ in range(2):
        store_submission(
            contact_page, name=FORMULA, email="ann@example.com", topic="-1+1", message=FORMULA
        )
    response = admin_client.get(reverse(url_name), {"export": export})
    cells = _csv_cells(response) if export == "csv" else _xlsx_cells(response)
    texts = [cell for cell in cells if isinstance(cell, str)]
    typed = ("cmd|", "sum(", "-1+1")
    assert any(part in text.casefold() for text in texts for part in typed), texts
    assert not [text for text in texts if text.startswith(("=", "+", "-", "@", "\t", "\r"))]


@pytest.mark.django_db
def test_click_tracking_stores_no_unknown_locale(customer, make_article):
    from django.urls import reverse

    from search.models import Query

    article = make_article()
    response = customer.get(
        reverse("helpcenter_search:click"),
        {"q": "refund", "to": article.url, "pk": "29'; --", "locale": FORMULA},
    )
    assert response.status_code == 302
    assert list(Query.objects.values_list("locale", flat=True)) == ["en"]
