"""The contact reports: deflection rate per week, deflecting articles, content gaps."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from contactform.models import Deflection, Submission
from tests.helpers import client_for

pytestmark = pytest.mark.django_db

RATE = "contactform_reports:deflection_rate"
ARTICLES = "contactform_reports:deflecting_articles"
GAPS = "contactform_reports:content_gaps"


def csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(body)))


def deflect(contact_page, article, when):
    return Deflection.objects.create(
        page=contact_page,
        article=article,
        article_title=article.title,
        locale="en",
        created_at=when,
    )


def received(submission, when):
    Submission.objects.filter(pk=submission.pk).update(created_at=when)
    return submission


def monday_of(moment):
    local = timezone.localtime(moment)
    return (local - timedelta(days=local.weekday())).date()


@pytest.fixture
def articles(make_category, make_article):
    shipping = make_category("Shipping")
    return {
        "parcel": make_article("Where is my parcel?", category=shipping),
        "pads": make_article("How do I replace the nose pads?"),
    }


@pytest.fixture
def history(contact_page, store_submission, articles, suggestion_for):
    """This week: 3 deflections, 1 message (and 1 spam). Last week: 2 messages, no deflection."""
    now = timezone.now()
    last_week = now - timedelta(days=7)
    for _ in range(2):
        deflect(contact_page, articles["parcel"], now)
    deflect(contact_page, articles["pads"], now)
    store_submission(
        contact_page,
        message="My parcel is late",
        email="a@example.com",
        suggestions=[suggestion_for(articles["parcel"], 0.7)],
    )
    store_submission(contact_page, message="spam spam", email="s@example.com", spam_reason="links")
    for n in range(2):
        received(
            store_submission(
                contact_page, message=f"Old question {n}", email=f"old{n}@example.com"
            ),
            last_week,
        )
    return {"this_week": monday_of(now), "last_week": monday_of(last_week)}


def test_deflection_rate_per_week(admin_user, history):
    client = client_for(admin_user)
    page = client.get(reverse(RATE))
    assert page.status_code == 200
    html = page.content.decode()
    assert "75%" in html and "0%" in html
    assert "In the selected period: 50% deflected (3 questions solved" in html

    rows = csv_rows(client.get(reverse(RATE), {"export": "csv"}))
    assert rows[0] == [
        "Week starting",
        "Solved by an answer",
        "Messages sent",
        "Deflection rate (%)",
    ]
    assert rows[1:] == [
        [history["this_week"].isoformat(), "3", "1", "75.0"],
        [history["last_week"].isoformat(), "0", "2", "0.0"],
    ]


def test_deflection_rate_follows_the_date_filter(admin_user, history):
    since = history["this_week"].isoformat()
    client = client_for(admin_user)
    rows = csv_rows(client.get(reverse(RATE), {"export": "csv", "date_from": since}))
    assert [row[0] for row in rows[1:]] == [since]
    html = client.get(reverse(RATE), {"date_from": since}).content.decode()
    assert "(3 questions solved by a suggested answer, 1 message sent; spam not counted)" in html


def test_deflection_rate_xlsx_export(admin_user, history):
    response = client_for(admin_user).get(reverse(RATE), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_articles_that_deflect_most(admin_user, history, articles):
    client = client_for(admin_user)
    html = client.get(reverse(ARTICLES)).content.decode()
    assert html.index("Where is my parcel?") < html.index("How do I replace the nose pads?")
    assert reverse("wagtailadmin_pages:edit", args=[articles["parcel"].pk]) in html

    rows = csv_rows(client.get(reverse(ARTICLES), {"export": "csv"}))
    assert rows[0][:5] == [
        "Article",
        "Language",
        "Solved questions",
        "Suggested, sent anyway",
        "Deflection rate (%)",
    ]
    assert [row[:5] for row in rows[1:]] == [
        ["Where is my parcel?", "en", "2", "1", "66.7"],
        ["How do I replace the nose pads?", "en", "1", "0", "100.0"],
    ]


@pytest.fixture
def gaps(contact_page, store_submission, articles, suggestion_for):
    def send(message, **fields):
        return store_submission(
            contact_page, message=message, email=f"{abs(hash(message))}@example.com", **fields
        )

    send("How do I get a refund label for my return?", topic="Returns")
    send("The refund label does not print", topic="Returns")
    send(
        "Parcel tracking shows nothing",
        suggestions=[suggestion_for(articles["parcel"], 0.3)],
        opened=[articles["parcel"].pk],
    )
    send("The hinge screw keeps falling out. Regards, Zebulon")
    send("My hinge screws are loose")
    send("hinge screw hinge screw hinge screw", spam_reason="duplicate")


def test_content_gaps_group_by_topic_category_or_nothing(admin_user, gaps):
    rows = csv_rows(client_for(admin_user).get(reverse(GAPS), {"export": "csv"}))
    assert rows[0] == [
        "About",
        "Grouped by",
        "Messages sent",
        "Opened a suggestion",
        "Average best suggestion confidence",
        "Frequent words",
        "Last message",
    ]
    by_label = {row[0]: row for row in rows[1:]}
    assert set(by_label) == {"Returns", "Shipping", "(no answer suggested)"}
    assert by_label["Returns"][1:4] == ["Topic chosen", "2", "0"]
    assert by_label["Returns"][5] == "label (2), refund (2)"
    assert by_label["Shipping"][1:5] == ["Category of the best suggestion", "1", "1", "0.3"]
    assert by_label["Shipping"][5] == ""  # single words never show
    nothing = by_label["(no answer suggested)"]
    assert nothing[1:3] == ["Nothing suggested", "2"]  # spam is not counted
    assert nothing[5] == "hinge (2), screw (2)"
    assert "zebulon" not in " ".join(rows[i][5] for i in range(1, len(rows))).casefold()
    assert [row[0] for row in rows[1:]][-1] == "Shipping"  # most messages first


def test_content_gaps_page_renders(admin_user, gaps):
    html = client_for(admin_user).get(reverse(GAPS)).content.decode()
    assert "Contact content gaps" in html and "hinge (2), screw (2)" in html


@pytest.mark.parametrize("report", [RATE, ARTICLES, GAPS])
def test_reports_need_the_inbox_permission(report, admin_only_user, editor, history):
    refused = client_for(admin_only_user).get(reverse(report))
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")
    assert client_for(editor).get(reverse(report)).status_code == 200


def test_reports_are_in_the_reports_menu_next_to_search_gaps(admin_user, admin_only_user):
    menu = client_for(admin_user).get(reverse("wagtailadmin_home")).content.decode()
    for label in (
        "Contact deflection rate",
        "Articles that deflect most",
        "Contact content gaps",
        "Searches without results",
    ):
        assert label in menu
    assert (
        "Contact content gaps"
        not in client_for(admin_only_user).get(reverse("wagtailadmin_home")).content.decode()
    )


def test_bad_filter_values_are_ignored_not_a_500(admin_user, history):
    client = client_for(admin_user)
    for params in (
        {"date_from": "yesterday"},
        {"page": "x"},
        {"ordering": "password"},
        {"locale": "<script>"},
    ):
        assert client.get(reverse(RATE), params).status_code == 200
        assert client.get(reverse(GAPS), params).status_code == 200
