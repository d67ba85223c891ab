import pytest

from faq import popularity
from faq.models import ArticleFeedback
from tests.helpers import client_for

REPORTS = ["/admin/help-reports/popularity/", "/admin/help-reports/feedback/"]


@pytest.fixture
def data(make_article):
    article = make_article("Where is my parcel?")
    for _ in range(3):
        popularity.record_view(article.pk)
    popularity.record_vote(article.pk, helpful=True)
    popularity.record_vote(article.pk, helpful=False)
    ArticleFeedback.objects.create(
        page=article, visitor="v1", helpful=False, comment="The tracking link <b>is dead</b>"
    )
    return article


def test_popularity_report_shows_figures(admin_client, data):
    html = admin_client.get(REPORTS[0]).content.decode()
    assert "Where is my parcel?" in html
    assert "50%" in html


def test_feedback_report_shows_comments_escaped(admin_client, data):
    html = admin_client.get(REPORTS[1]).content.decode()
    assert "The tracking link &lt;b&gt;is dead&lt;/b&gt;" in html


def test_popularity_report_exports_csv(admin_client, data):
    response = admin_client.get(REPORTS[0] + "?export=csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    assert "Where is my parcel?,3," in body


@pytest.mark.parametrize("url", REPORTS)
def test_editors_see_reports(editor, data, url):
    assert client_for(editor).get(url).status_code == 200


@pytest.mark.parametrize("url", REPORTS)
def test_users_without_permission_are_refused(admin_only_user, data, url):
    response = client_for(admin_only_user).get(url)
    assert response.status_code in (302, 403)
    assert "Where is my parcel?" not in response.content.decode()


@pytest.mark.parametrize("url", REPORTS)
def test_anonymous_users_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_menu_shows_reports_only_with_permission(editor, admin_only_user, data):
    assert "Article popularity" in client_for(editor).get("/admin/").content.decode()
    assert "Article popularity" not in client_for(admin_only_user).get("/admin/").content.decode()
