"""Search analytics: counting searches and clicks, privacy, retention and the admin reports."""

import datetime as dt
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from search import analytics
from search.models import Query, QueryClick, QueryDailyHits, QueryVisitor
from tests.helpers import client_for, run_concurrently

TODAY = timezone.localdate
REPORTS = {
    "top_searches": "/admin/help-search/top-searches/",
    "without_results": "/admin/help-search/without-results/",
    "without_clicks": "/admin/help-search/without-clicks/",
    "clicked_results": "/admin/help-search/clicked-results/",
}


def csv_of(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    return b"".join(response.streaming_content).decode()


def move_back(days, **lookup):
    """Pretend that the matching rows were logged `days` days ago."""
    date = TODAY() - dt.timedelta(days=days)
    QueryDailyHits.objects.filter(**lookup).update(date=date)
    QueryClick.objects.filter(**lookup).update(date=date)


# --- logging -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_searches_are_counted_per_query_day_and_source():
    analytics.log_search("Lieferzeit", "de", 4)
    analytics.log_search("Lieferzeit", "de", 0)
    analytics.log_search("Lieferzeit", "de", 2, source="autocomplete")

    query = Query.objects.get()
    assert (query.text, query.locale) == ("lieferzeit", "de")
    help_row = QueryDailyHits.objects.get(source="help")
    assert (help_row.hits, help_row.results, help_row.zero_result_hits) == (2, 4, 1)
    assert help_row.date == TODAY()
    assert QueryDailyHits.objects.get(source="autocomplete").hits == 1


@pytest.mark.django_db
def test_spellings_of_one_query_are_merged():
    first = analytics.log_search("Rückgabe", "de", 3)
    second = analytics.log_search("  RUECKGABE ", "de", 3)
    third = analytics.log_search("Ruckgabe", "de", 3)

    assert first == second == third
    assert Query.objects.get().text == "ruckgabe"
    assert QueryDailyHits.objects.get().hits == 3


@pytest.mark.django_db
def test_languages_are_kept_apart():
    analytics.log_search("Etui", "de", 1)
    analytics.log_search("etui", "en", 1)
    assert sorted(Query.objects.values_list("locale", flat=True)) == ["de", "en"]


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "   ", "\t\n", "\x00", "\u200f\u200e\u200b", None])
def test_empty_queries_are_not_logged(text):
    assert analytics.log_search(text, "de", 0) is None
    assert analytics.log_click(text, "de", None, "/hilfe/", "Hilfe") is None
    assert not Query.objects.exists()
    assert not QueryDailyHits.objects.exists()


@pytest.mark.django_db
def test_nothing_is_logged_when_switched_off(settings):
    settings.HELPCENTER_SEARCH_LOG_ENABLED = False
    assert analytics.log_search("Lieferzeit", "de", 1) is None
    assert not Query.objects.exists()


@pytest.mark.django_db
def test_unknown_source_is_a_programming_error():
    with pytest.raises(ValueError, match="Unknown search source"):
        analytics.log_search("Lieferzeit", "de", 1, source="newsletter")


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("Rechnung an max.mustermann@example.com", "rechnung an [email]"),
        ("MAX@EXAMPLE.DE, bitte", "[email] bitte"),
        ("Rückruf 0171 234-5678", "ruckruf [number]"),
        ("+49 (0)30 12345678 anrufen", "[number] anrufen"),
        ("Bestellung KS-1048273", "bestellung ks-[number]"),
        ("IBAN DE89 3704 0044 0532 0130 00", "iban de[number]"),
        ("2 Jahre Garantie auf 123456", "2 jahre garantie auf 123456"),
        ("Gläser 1.5 Index", "glaser 1.5 index"),
    ],
)
def test_personal_data_is_masked(typed, stored):
    assert analytics.normalise_query(typed, "de") == stored


@pytest.mark.django_db
def test_masked_queries_are_what_is_stored():
    analytics.log_search("Paket an jana@example.org fehlt", "de", 0)
    analytics.log_search("Paket an tom@example.net fehlt", "de", 0)
    assert list(Query.objects.values_list("text", flat=True)) == ["paket an [email] fehlt"]
    assert QueryDailyHits.objects.get().hits == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    "text",
    [
        "Brille\x00kaputt",
        "😀🕶️ Sonnenbrille 👓",
        "\u202eetuI\u202c \u200fمرحبا\u200f",
        "\ud800 lone surrogate",
        "\ufeffZero\u200bwidth",
        "x" * 10_000,
        "Nasenpad " * 2_000,
        "a@b " * 3_000,
        "1 " * 5_000,
    ],
)
def test_hostile_input_never_raises(text):
    query = analytics.log_search(text, "de\x00", 1)
    analytics.log_click(text, "de", 999_999, "/x\x00" + "y" * 5_000, "\u202eTitle" * 500)
    assert query is not None
    assert len(query.text) <= 200
    assert "\x00" not in query.text
    click = QueryClick.objects.get()
    assert click.page_id is None
    assert len(click.url) <= 500 and len(click.title) <= 255


@pytest.mark.django_db
def test_bad_result_counts_are_tolerated():
    analytics.log_search("Lieferzeit", "de", -5)
    row = QueryDailyHits.objects.get()
    assert (row.results, row.zero_result_hits) == (0, 1)


@pytest.mark.django_db
def test_clicks_are_counted_per_result(make_article):
    article = make_article("Wie tausche ich die Nasenpads aus?")
    analytics.log_search("Nasenpad", "de", 3)
    for _ in range(2):
        analytics.log_click("nasenpad", "de", article.pk, article.url, article.title)
    analytics.log_click("Nasenpad", "de", None, "/forum/thread/7/", "Forum: Nasenpads")

    assert QueryDailyHits.objects.get().clicks == 3
    article_clicks = QueryClick.objects.get(page=article)
    assert (article_clicks.clicks, article_clicks.url) == (2, article.url)
    assert article_clicks.title == "Wie tausche ich die Nasenpads aus?"
    assert QueryClick.objects.get(page=None).url == "/forum/thread/7/"


@pytest.mark.django_db
def test_a_click_without_title_takes_the_page_title(make_article):
    article = make_article("Wo ist mein Paket?")
    analytics.log_click("Paket", "de", str(article.pk), article.url, "")
    assert QueryClick.objects.get().title == "Wo ist mein Paket?"


@pytest.mark.django_db
def test_a_click_without_a_logged_search_creates_the_daily_row():
    analytics.log_click("Etui", "de", None, "/hilfe/etui/", "Etui")
    row = QueryDailyHits.objects.get()
    assert (row.hits, row.clicks) == (0, 1)


@pytest.mark.django_db
def test_clicks_outlive_their_page(make_article):
    article = make_article()
    analytics.log_click("Etui", "de", article.pk, article.url, article.title)
    article.delete()
    click = QueryClick.objects.get()
    assert click.page_id is None and click.clicks == 1
    analytics.log_click("Etui", "de", None, click.url, click.title)
    assert QueryClick.objects.get().clicks == 2


@pytest.mark.django_db
def test_clicks_on_unknown_pages_keep_the_url_only():
    analytics.log_click("Etui", "de", 424242, "/hilfe/etui/", "Etui")
    analytics.log_click("Etui", "de", "not a number", "/hilfe/etui/", "Etui")
    analytics.log_click("Etui", "de", 10**30, "/hilfe/etui/", "Etui")
    click = QueryClick.objects.get()
    assert (click.page_id, click.clicks) == (None, 3)


THREADS = 8
PER_THREAD = 25


@pytest.mark.django_db(transaction=True)
def test_concurrent_logging_loses_nothing():
    def work(number):
        for round_ in range(PER_THREAD):
            spelling = "Rückgabe" if round_ % 2 else " RUECKGABE"
            analytics.log_search(spelling, "de", number % 2)
            analytics.log_click(spelling, "de", None, "/hilfe/ruckgabe/", "Rückgabe")

    assert run_concurrently(work, THREADS) == []
    total = THREADS * PER_THREAD
    assert Query.objects.count() == 1
    row = QueryDailyHits.objects.get()
    assert (row.hits, row.clicks, row.results, row.zero_result_hits) == (
        total,
        total,
        total // 2,
        total // 2,
    )
    assert QueryClick.objects.get().clicks == total


# --- popular queries for autocomplete -----------------------------------------------------


def search_often(text, locale="de", times=5, results=3, source="help", clicked=True):
    """`times` different people from different addresses search `text`; one clicks."""
    for number in range(times):
        person = analytics.Searcher(visitor=f"visitor {number}", address=f"address {number}")
        analytics.log_search(text, locale, results, source=source, searcher=person)
    if clicked:
        analytics.log_click(text, locale, None, "/hilfe/", "Hilfe", source=source)


@pytest.mark.django_db
def test_popular_queries_complete_the_prefix_most_searched_first():
    search_often("Nasenpad wechseln", times=6)
    search_often("Nasenpad bestellen", times=9)
    search_often("Nasenauflage", times=7)
    search_often("Nasenpad", times=20)  # what is typed already is no completion
    search_often("nasenpad kaufen", locale="en", times=9)

    assert analytics.popular_queries("Nasenpad", "de") == [
        "nasenpad bestellen",
        "nasenpad wechseln",
    ]
    assert analytics.popular_queries("NASEN", "de", limit=2) == [
        "nasenpad",
        "nasenpad bestellen",
    ]
    assert analytics.popular_queries("n", "de") == []
    assert analytics.popular_queries("Nasen", "de", limit=0) == []


@pytest.mark.django_db
def test_popular_queries_offer_only_what_many_typed_and_found_something(settings):
    search_often("Etui rot", times=4)  # too rare: could be personal
    search_often("Etui blau", times=5, results=0)  # a dead end
    search_often("Etui grün", times=9, clicked=False)  # nobody opened a result
    search_often("Etui an [email]", times=9)
    search_often("Etui 0171 2345678", times=9)
    search_often("Etui Nachricht an den Kundenservice", times=9, source="contact")
    search_often("Etui alt", times=9)
    move_back(100, query__text="etui alt")
    QueryVisitor.objects.filter(query__text="etui alt").update(
        last_searched_at=timezone.now() - dt.timedelta(days=100)
    )
    assert analytics.popular_queries("Etui", "de") == []

    settings.HELPCENTER_SEARCH_POPULAR_QUERIES_MIN_VISITORS = 4
    assert analytics.popular_queries("Etui", "de") == ["etui rot"]


@pytest.mark.django_db
def test_one_client_repeating_a_text_is_one_visitor():
    spammer = analytics.Searcher(visitor="one", address="one address")
    for _ in range(50):
        analytics.log_search("refund via evil-refunds.example", "en", 3, searcher=spammer)
    # Fresh cookies from one address: many visitors, but one address.
    for number in range(10):
        fresh = analytics.Searcher(visitor=f"cookie {number}", address="one address")
        analytics.log_search("refund via evil-refunds.example", "en", 3, searcher=fresh)
    analytics.log_click("refund via evil-refunds.example", "en", None, "/en/", "Help")

    assert analytics.popular_queries("refund", "en") == []
    assert QueryDailyHits.objects.get().hits == 11  # one per visitor and minute


@pytest.mark.django_db
def test_a_repeat_within_a_minute_counts_once(settings):
    person = analytics.Searcher(visitor="v", address="a")
    for _ in range(3):
        analytics.log_search("Lieferzeit", "de", 2, searcher=person)
    assert QueryDailyHits.objects.get().hits == 1
    QueryVisitor.objects.update(last_searched_at=timezone.now() - dt.timedelta(seconds=61))
    analytics.log_search("Lieferzeit", "de", 2, searcher=person)
    assert QueryDailyHits.objects.get().hits == 2
    other = analytics.Searcher(visitor="w", address="a")
    analytics.log_search("Lieferzeit", "de", 2, searcher=other)
    assert QueryDailyHits.objects.get().hits == 3


@pytest.mark.django_db
def test_a_hidden_query_is_never_offered():
    search_often("Etui reinigen", times=8)
    assert analytics.popular_queries("Etui", "de") == ["etui reinigen"]
    Query.objects.filter(text="etui reinigen").update(hidden=True)
    assert analytics.popular_queries("Etui", "de") == []


@pytest.mark.django_db
@pytest.mark.parametrize("prefix", ["", None, "\x00\x00", "%", "_a", "\u202e" * 300, "x" * 10_000])
def test_popular_queries_tolerate_any_prefix(prefix):
    search_often("%_ sonderzeichen")
    assert analytics.popular_queries(prefix, "de") in ([], ["%_ sonderzeichen"])
    assert analytics.popular_queries("_a", "de") == []


# --- retention and erasure -----------------------------------------------------------------


@pytest.fixture
def old_and_new_log():
    analytics.log_search("alt", "de", 1)
    analytics.log_click("alt", "de", None, "/alt/", "Alt")
    analytics.log_search("beides", "de", 1)
    analytics.log_search("neu", "de", 1)
    move_back(40, query__text="alt")
    analytics.log_search("beides", "de", 1, source="autocomplete")
    move_back(40, query__text="beides", source="help")
    Query.objects.update(created_at=timezone.now() - dt.timedelta(days=50))


@pytest.mark.django_db
def test_garbage_collection_deletes_old_rows_only(old_and_new_log):
    assert analytics.garbage_collect(30) == 4  # 2 daily rows, 1 click, query "alt"

    assert sorted(Query.objects.values_list("text", flat=True)) == ["beides", "neu"]
    assert QueryDailyHits.objects.count() == 2
    assert not QueryClick.objects.exists()
    assert analytics.garbage_collect(30) == 0


@pytest.mark.django_db
def test_garbage_collection_keeps_queries_created_within_the_retention():
    Query.objects.create(text="gerade eben", locale="de")
    assert analytics.garbage_collect(0) == 0
    assert Query.objects.exists()


@pytest.mark.django_db
def test_garbage_collection_refuses_negative_days():
    with pytest.raises(ValueError):
        analytics.garbage_collect(-1)


@pytest.mark.django_db
def test_command_uses_the_retention_setting(old_and_new_log, settings):
    settings.HELPCENTER_SEARCH_LOG_RETENTION_DAYS = 45
    out = io.StringIO()
    call_command("searchlog_garbage_collect", stdout=out)
    assert out.getvalue() == "Deleted 0 search log rows older than 45 days.\n"

    call_command("searchlog_garbage_collect", "--days", "30", stdout=out)
    assert "Deleted 4 search log rows older than 30 days." in out.getvalue()
    assert QueryDailyHits.objects.count() == 2


@pytest.mark.django_db
def test_command_refuses_negative_days():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("searchlog_garbage_collect", "--days", "-3")


@pytest.mark.django_db
def test_erase_matching_deletes_queries_with_an_address():
    # Stored before masking existed, or by another path: the erasure must still find it.
    leaked = Query.objects.create(text="rechnung fur max.muller@example.com", locale="de")
    QueryDailyHits.objects.create(query=leaked, date=TODAY(), source="help", hits=1)
    Query.objects.create(text="mails von max.mueller@example.com", locale="en")
    Query.objects.create(text="rechnung", locale="de")

    assert analytics.erase_matching("Max.Mueller@Example.com") == 2
    assert list(Query.objects.values_list("text", flat=True)) == ["rechnung"]
    assert not QueryDailyHits.objects.exists()


@pytest.mark.django_db
def test_erase_matching_finds_nothing_after_masking():
    analytics.log_search("Rechnung an max@example.com", "de", 1)
    assert analytics.erase_matching("max@example.com") == 0
    assert Query.objects.get().text == "rechnung an [email]"


@pytest.mark.django_db
@pytest.mark.parametrize("text", ["", "  ", "a", "@"])
def test_erase_matching_refuses_what_matches_everyone(text):
    Query.objects.create(text="a@b", locale="de")
    with pytest.raises(ValueError):
        analytics.erase_matching(text)
    assert Query.objects.exists()


# --- reports -------------------------------------------------------------------------------


@pytest.fixture
def search_log(make_article):
    article = make_article("Wie funktioniert die Rücksendung?")
    for _ in range(3):
        analytics.log_search("Rückgabe", "de", 4)
    analytics.log_click("Rückgabe", "de", article.pk, article.url, article.title)
    analytics.log_search("Nasenauflage", "de", 0)
    analytics.log_search("Nasenauflage", "de", 0)
    analytics.log_search("glasses case", "en", 2, source="autocomplete")
    analytics.log_search("old question", "en", 1)
    move_back(100, query__text="old question")
    return article


@pytest.mark.django_db
def test_top_searches_show_the_figures(admin_client, search_log):
    html = admin_client.get(REPORTS["top_searches"]).content.decode()
    for text in ("Rückgabe", "Nasenauflage", "glasses case", "old question"):
        assert text in html
    assert html.index("Rückgabe") < html.index("Nasenauflage")
    assert "33%" in html  # one click in three searches
    assert "4 search terms" in html  # rows, not the daily rows they sum


@pytest.mark.django_db
def test_top_searches_export_csv(admin_client, search_log):
    body = csv_of(admin_client.get(REPORTS["top_searches"] + "?export=csv"))
    lines = body.splitlines()
    assert lines[0] == (
        "Search term,Language,Searches,Average results,Clicks,Click-through rate (%)"
    )
    assert lines[1] == "Rückgabe,de,3,4.0,1,33.3"
    assert "Nasenauflage,de,2,0.0,0,0.0" in lines


@pytest.mark.django_db
def test_top_searches_export_xlsx(admin_client, search_log):
    response = admin_client.get(REPORTS["top_searches"] + "?export=xlsx")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:2] == b"PK"


@pytest.mark.django_db
def test_date_filter_sums_only_the_chosen_days(admin_client, search_log):
    since = (TODAY() - dt.timedelta(days=7)).isoformat()
    body = csv_of(admin_client.get(REPORTS["top_searches"] + f"?export=csv&date_from={since}"))
    assert "Rückgabe" in body and "old question" not in body

    until = (TODAY() - dt.timedelta(days=50)).isoformat()
    body = csv_of(admin_client.get(REPORTS["top_searches"] + f"?export=csv&date_to={until}"))
    assert body.splitlines()[1:] == ["old question,en,1,1.0,0,0.0"]


@pytest.mark.django_db
def test_date_filter_sums_the_days_in_the_range(admin_client):
    analytics.log_search("Etui", "de", 1)
    move_back(10)
    analytics.log_search("Etui", "de", 1)
    analytics.log_search("Etui", "de", 1)
    since = (TODAY() - dt.timedelta(days=1)).isoformat()
    body = csv_of(admin_client.get(REPORTS["top_searches"] + f"?export=csv&date_from={since}"))
    assert body.splitlines()[1] == "Etui,de,2,1.0,0,0.0"
    body = csv_of(admin_client.get(REPORTS["top_searches"] + "?export=csv"))
    assert body.splitlines()[1] == "Etui,de,3,1.0,0,0.0"


@pytest.mark.django_db
def test_source_and_language_filters(admin_client, search_log):
    body = csv_of(admin_client.get(REPORTS["top_searches"] + "?export=csv&source=autocomplete"))
    assert body.splitlines()[1:] == ["glasses case,en,1,2.0,0,0.0"]

    body = csv_of(admin_client.get(REPORTS["top_searches"] + "?export=csv&locale=de"))
    assert [line.split(",")[0] for line in body.splitlines()[1:]] == ["Rückgabe", "Nasenauflage"]


@pytest.mark.django_db
def test_searching_a_report_finds_normalised_terms(admin_client, search_log):
    body = csv_of(admin_client.get(REPORTS["top_searches"] + "?export=csv&q=Rückgabe"))
    assert [line.split(",")[0] for line in body.splitlines()[1:]] == ["Rückgabe"]


@pytest.mark.django_db
def test_searches_without_results_are_content_gaps(admin_client, search_log):
    body = csv_of(admin_client.get(REPORTS["without_results"] + "?export=csv"))
    lines = body.splitlines()
    assert lines[1].startswith("Nasenauflage,de,2,2,")
    assert len(lines) == 2


@pytest.mark.django_db
def test_searches_without_clicks(admin_client, search_log):
    body = csv_of(admin_client.get(REPORTS["without_clicks"] + "?export=csv"))
    terms = [line.split(",")[0] for line in body.splitlines()[1:]]
    assert terms == ["Nasenauflage", "glasses case", "old question"]


@pytest.mark.django_db
def test_clicked_results_name_the_article(admin_client, search_log):
    html = admin_client.get(REPORTS["clicked_results"]).content.decode()
    assert "Wie funktioniert die Rücksendung?" in html
    assert f"/admin/pages/{search_log.pk}/edit/" in html

    body = csv_of(admin_client.get(REPORTS["clicked_results"] + "?export=csv"))
    assert body.splitlines()[1] == (
        f"Rückgabe,de,Wie funktioniert die Rücksendung?,{search_log.url},1,{TODAY().isoformat()}"
    )


@pytest.mark.django_db
def test_exports_do_not_turn_customer_text_into_formulas(admin_client):
    analytics.log_search("=HYPERLINK(1)", "en", 0)
    analytics.log_click("=HYPERLINK(1)", "en", None, "/x/", "@SUM(1)")
    body = csv_of(admin_client.get(REPORTS["top_searches"] + "?export=csv"))
    assert body.splitlines()[1].startswith("'=HYPERLINK(1),")
    body = csv_of(admin_client.get(REPORTS["clicked_results"] + "?export=csv"))
    assert body.splitlines()[1].startswith("'=HYPERLINK(1),en,'@SUM(1),")


@pytest.mark.django_db
def test_customer_text_is_escaped_in_reports(admin_client):
    analytics.log_search("<script>alert(1)</script>", "en", 0)
    html = admin_client.get(REPORTS["top_searches"]).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert(1)" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", REPORTS.values())
def test_reports_render_for_a_superuser_and_an_editor(admin_client, editor, search_log, url):
    for client in (admin_client, client_for(editor)):
        response = client.get(url)
        assert response.status_code == 200
        assert (
            "Rückgabe" in response.content.decode() or "Nasenauflage" in response.content.decode()
        )
        assert client.get(url.replace("/?", "/") + "results/").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("url", REPORTS.values())
def test_reports_refuse_users_without_permission(admin_only_user, search_log, url):
    for address in (url, url + "?export=csv", url + "results/"):
        response = client_for(admin_only_user).get(address)
        assert response.status_code in (302, 403)
        assert "Rückgabe" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("url", REPORTS.values())
def test_reports_send_anonymous_users_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_menu_shows_reports_only_with_permission(editor, admin_only_user):
    assert "Searches without results" in client_for(editor).get("/admin/").content.decode()
    html = client_for(admin_only_user).get("/admin/").content.decode()
    assert "Searches without results" not in html


@pytest.mark.django_db
def test_reports_show_the_most_frequent_spelling(admin_client):
    for spelling in ["Brille drückt", "brille druckt", "Brille drückt", "BRILLE DRÜCKT"]:
        analytics.log_search(spelling, "de", 2)
    analytics.log_search("Rückerstattung", "de", 0)

    html = admin_client.get(REPORTS["top_searches"]).content.decode()
    assert "Brille drückt" in html and "brille druckt" not in html
    body = csv_of(admin_client.get(REPORTS["without_results"] + "?export=csv"))
    assert body.splitlines()[1].startswith("Rückerstattung,de,1,1,")


@pytest.mark.django_db
def test_autocomplete_clicks_are_no_rows_of_top_searches(admin_client):
    analytics.log_search("Etui", "de", 1)
    analytics.log_click("eti", "de", None, "/hilfe/etui/", "Etui", source="autocomplete")
    body = csv_of(admin_client.get(REPORTS["top_searches"] + "?export=csv"))
    assert [line.split(",")[0] for line in body.splitlines()[1:]] == ["Etui"]
    body = csv_of(admin_client.get(REPORTS["clicked_results"] + "?export=csv"))
    assert body.splitlines()[1].startswith("eti,de,Etui,/hilfe/etui/,1,")


@pytest.mark.django_db
def test_editors_hide_a_query_from_autocomplete(editor, search_log):
    query = Query.objects.get(text="ruckgabe")
    url = f"/admin/help-search/queries/{query.pk}/visibility/"
    client = client_for(editor)
    html = client.get(REPORTS["top_searches"]).content.decode()
    assert f'action="{url}"' in html

    response = client.post(url, {"hidden": "1", "next": REPORTS["top_searches"] + "?locale=de"})
    assert response["Location"] == REPORTS["top_searches"] + "?locale=de"
    query.refresh_from_db()
    assert query.hidden
    assert "Offer again" in client.get(REPORTS["top_searches"]).content.decode()

    response = client.post(url, {"hidden": "0", "next": "https://evil.example/"})
    assert response["Location"] == REPORTS["top_searches"]
    assert client.get(url).status_code == 405
    query.refresh_from_db()
    assert not query.hidden


@pytest.mark.django_db
def test_hiding_a_query_needs_the_permission(admin_only_user, django_user_model, search_log):
    query = Query.objects.get(text="ruckgabe")
    url = f"/admin/help-search/queries/{query.pk}/visibility/"
    reader = django_user_model.objects.create_user("reader", password="pw")
    reader.user_permissions.add(*Permission.objects.filter(
        codename__in=["access_admin", "view_query"]
    ))
    assert 'visibility/"' not in client_for(reader).get(REPORTS["top_searches"]).content.decode()
    for user in (admin_only_user, reader):
        assert client_for(user).post(url, {"hidden": "1"}).status_code in (302, 403)
    assert Client().post(url, {"hidden": "1"}).status_code == 302
    query.refresh_from_db()
    assert not query.hidden


@pytest.mark.django_db
def test_command_counts_in_the_singular_too():
    Query.objects.create(text="alt", locale="de")
    Query.objects.update(created_at=timezone.now() - dt.timedelta(days=3))
    out = io.StringIO()
    call_command("searchlog_garbage_collect", "--days", "1", stdout=out)
    assert out.getvalue() == "Deleted 1 search log row older than 1 day.\n"
