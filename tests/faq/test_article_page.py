import pytest
from django.contrib.auth.models import Group
from django.test import Client

from faq.models import ArticleFeedback, ArticleStats

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


@pytest.fixture
def customer():
    return Client(HTTP_USER_AGENT=BROWSER)


@pytest.fixture
def article(make_article):
    return make_article(title="How do I replace the nose pads?", short_answer="Order a pad set.")


def views_of(article):
    stats = ArticleStats.objects.filter(page=article).first()
    return stats.views if stats else 0


def feedback_url(article):
    return article.url + "feedback/"


def test_article_page_shows_question_answer_and_feedback_form(customer, article):
    response = customer.get(article.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "How do I replace the nose pads?" in html
    assert "Order a pad set." in html
    assert 'name="helpful" value="yes"' in html


def test_a_view_counts_once_per_session(customer, article):
    customer.get(article.url)
    customer.get(article.url)
    assert views_of(article) == 1
    Client(HTTP_USER_AGENT=BROWSER).get(article.url)
    assert views_of(article) == 2


@pytest.mark.parametrize(
    "user_agent", ["Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.5.0", ""]
)
def test_bots_are_not_counted(article, user_agent):
    response = Client(HTTP_USER_AGENT=user_agent).get(article.url)
    assert response.status_code == 200
    assert views_of(article) == 0


def test_editors_are_not_counted(article, django_user_model):
    editor = django_user_model.objects.create_user("editor", password="pw")
    editor.groups.add(Group.objects.get(name="Editors"))
    client = Client(HTTP_USER_AGENT=BROWSER)
    client.force_login(editor)
    client.get(article.url)
    assert views_of(article) == 0


def test_previews_are_not_counted(article, admin_client):
    response = admin_client.get(f"/admin/pages/{article.pk}/edit/preview/")
    assert response.status_code == 200
    assert views_of(article) == 0


def test_helpful_vote_without_javascript(customer, article):
    response = customer.post(feedback_url(article), {"helpful": "yes"})
    assert response.status_code == 302
    assert response["Location"].endswith(article.url + "#feedback")
    stats = ArticleStats.objects.get(page=article)
    assert (stats.helpful_yes, stats.helpful_no) == (1, 0)
    html = customer.get(article.url).content.decode()
    assert "Thank you for your feedback" in html
    assert 'value="yes"' not in html


def test_one_vote_per_visitor_which_they_may_change(customer, article):
    customer.post(feedback_url(article), {"helpful": "yes"})
    customer.post(feedback_url(article), {"helpful": "yes"})
    stats = ArticleStats.objects.get(page=article)
    assert (stats.helpful_yes, stats.helpful_no) == (1, 0)

    customer.post(feedback_url(article), {"helpful": "no"})
    stats.refresh_from_db()
    assert (stats.helpful_yes, stats.helpful_no) == (0, 1)
    assert not ArticleFeedback.objects.get().helpful
    customer.post(feedback_url(article), {"helpful": "yes"})
    stats.refresh_from_db()
    assert (stats.helpful_yes, stats.helpful_no) == (1, 0)
    assert ArticleFeedback.objects.count() == 1


def test_the_article_says_how_many_found_it_helpful(customer, article):
    assert "found this article helpful" not in customer.get(article.url).content.decode()
    for helpful in ("yes", "yes", "no"):
        Client(HTTP_USER_AGENT=BROWSER).post(feedback_url(article), {"helpful": helpful})
    customer.post(feedback_url(article), {"helpful": "yes"})
    html = customer.get(article.url).content.decode()
    assert "3 of 4 people found this article helpful." in html
    assert "You answered “Yes”." in html and "Change to “No”" in html

    customer.post(feedback_url(article), {"helpful": "no", "comment": ""})
    html = customer.get(article.url).content.decode()
    assert "2 of 4 people found this article helpful." in html
    assert "Change to “Yes”" in html


def test_one_vote_reads_in_the_singular(customer, article):
    customer.post(feedback_url(article), {"helpful": "yes"})
    html = customer.get(article.url).content.decode()
    assert "1 of 1 person found this article helpful." in html


def test_no_vote_then_optional_comment(customer, article):
    customer.post(feedback_url(article), {"helpful": "no"})
    html = customer.get(article.url).content.decode()
    assert 'name="comment"' in html
    customer.post(feedback_url(article), {"helpful": "no", "comment": "Which size <b>fits</b>?"})
    feedback = ArticleFeedback.objects.get()
    assert not feedback.helpful and feedback.comment == "Which size <b>fits</b>?"
    assert ArticleStats.objects.get(page=article).helpful_no == 1
    html = customer.get(article.url).content.decode()
    assert 'name="comment"' not in html


def test_a_comment_left_while_signed_in_keeps_its_author(customer, article, django_user_model):
    member = django_user_model.objects.create_user("ann", "ann@example.com", "pw")
    customer.force_login(member)
    customer.post(feedback_url(article), {"helpful": "no", "comment": "Needs a picture"})
    assert ArticleFeedback.objects.get().author == member  # shown on the customer's timeline


@pytest.mark.parametrize("fetch", [False, True], ids=["plain", "fetch"])
def test_an_empty_comment_after_no_thanks_and_closes_the_box(customer, article, fetch):
    headers = {"HTTP_X_REQUESTED_WITH": "fetch"} if fetch else {}
    customer.post(feedback_url(article), {"helpful": "no"}, **headers)
    response = customer.post(feedback_url(article), {"helpful": "no", "comment": "  "}, **headers)
    html = (response if fetch else customer.get(article.url)).content.decode()
    assert "Thank you for your feedback" in html
    assert 'name="comment"' not in html
    feedback = ArticleFeedback.objects.get()
    assert not feedback.helpful and feedback.comment == ""
    assert ArticleStats.objects.get(page=article).helpful_no == 1


def test_fetch_vote_returns_the_feedback_fragment(customer, article):
    response = customer.post(
        feedback_url(article), {"helpful": "no"}, HTTP_X_REQUESTED_WITH="fetch"
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="feedback"' in html and 'name="comment"' in html
    assert "<html" not in html


def test_invalid_vote_shows_a_message_and_records_nothing(customer, article):
    response = customer.post(feedback_url(article), {"helpful": "maybe"}, follow=True)
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not ArticleFeedback.objects.exists()


def test_vote_requires_csrf_token(article):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER)
    response = client.post(feedback_url(article), {"helpful": "yes"})
    assert response.status_code == 403
    assert not ArticleFeedback.objects.exists()


def test_votes_are_rate_limited_per_address(article, settings):
    settings.HELPCENTER_FEEDBACK_RATE_LIMIT_PER_HOUR = 2
    for _ in range(2):
        assert (
            Client(HTTP_USER_AGENT=BROWSER)
            .post(feedback_url(article), {"helpful": "yes"})
            .status_code
            == 302
        )
    response = Client(HTTP_USER_AGENT=BROWSER).post(feedback_url(article), {"helpful": "yes"})
    assert response.status_code == 429
    assert ArticleStats.objects.get(page=article).helpful_yes == 2


def test_votes_without_the_visitor_cookie_count_a_few_times_per_address_and_day(
    article, settings
):
    settings.HELPCENTER_FEEDBACK_VOTES_PER_ADDRESS_PER_DAY = 3
    statuses = [
        Client(HTTP_USER_AGENT=BROWSER).post(feedback_url(article), {"helpful": "yes"}).status_code
        for _ in range(6)
    ]
    assert statuses == [302] * 3 + [429] * 3
    assert ArticleStats.objects.get(page=article).helpful_yes == 3
    assert ArticleFeedback.objects.count() == 3
    # Another address still counts.
    other = Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.7")
    assert other.post(feedback_url(article), {"helpful": "no"}).status_code == 302


def test_a_comment_after_no_is_not_another_vote(customer, article, settings):
    settings.HELPCENTER_FEEDBACK_VOTES_PER_ADDRESS_PER_DAY = 1
    customer.post(feedback_url(article), {"helpful": "no"})
    response = customer.post(feedback_url(article), {"helpful": "no", "comment": "Too short"})
    assert response.status_code == 302
    assert ArticleFeedback.objects.get().comment == "Too short"


def test_views_with_fresh_sessions_count_a_few_times_per_address_and_day(article, settings):
    settings.HELPCENTER_VIEWS_PER_ADDRESS_PER_DAY = 4
    for _ in range(10):
        assert Client(HTTP_USER_AGENT=BROWSER).get(article.url).status_code == 200
    assert ArticleStats.objects.get(page=article).views == 4
    Client(HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="192.0.2.7").get(article.url)
    assert ArticleStats.objects.get(page=article).views == 5


def test_get_on_feedback_url_redirects_to_article(customer, article):
    response = customer.get(feedback_url(article))
    assert response.status_code == 302
    assert response["Location"] == article.url


def test_comment_is_capped(customer, article, settings):
    settings.HELPCENTER_FEEDBACK_COMMENT_MAX_LENGTH = 20
    customer.post(feedback_url(article), {"helpful": "no"})
    response = customer.post(
        feedback_url(article), {"helpful": "no", "comment": "x" * 21}, follow=True
    )
    assert "at most 20 characters" in response.content.decode()
    assert ArticleFeedback.objects.get().comment == ""


def test_unpublished_article_is_not_found(customer, article):
    url = article.url
    article.unpublish()
    assert customer.get(url).status_code == 404


def test_the_retention_purge_forgets_who_wrote_an_old_comment(customer, article, django_user_model):
    from datetime import timedelta

    from django.utils import timezone

    from helpcenter import erasure

    member = django_user_model.objects.create_user("ann", "ann@example.com", "pw")
    customer.force_login(member)
    customer.post(feedback_url(article), {"helpful": "no", "comment": "Needs a picture"})
    ArticleFeedback.objects.update(created_at=timezone.now() - timedelta(days=400))

    counts = erasure.purge(timezone.now() - timedelta(days=365))

    feedback = ArticleFeedback.objects.get()
    assert counts["feedback comment authors forgotten"] == 1
    assert feedback.author is None and feedback.comment == "Needs a picture"
