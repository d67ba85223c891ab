from django.test import Client

from faq import popularity

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) Chrome/126.0 Safari/537.36"


def test_help_home_lists_categories_top_and_recent_questions(
    help_center, make_category, make_article
):
    orders = make_category("Orders", description="Everything about your order", icon="package")
    make_category("Payment", icon="card")
    quiet = make_article("Can I cancel my order?", category=orders)
    busy = make_article("Where is my parcel?", category=orders)
    for _ in range(3):
        popularity.record_view(busy.pk)

    response = Client(HTTP_USER_AGENT=BROWSER).get(help_center.url)
    assert response.status_code == 200
    context = response.context
    assert [c.title for c in context["categories"]] == ["Orders", "Payment"]
    assert [c.article_count for c in context["categories"]] == [2, 0]
    assert [a.title for a in context["top_articles"]] == [busy.title, quiet.title]
    assert context["top_articles"][0].category.title == "Orders"
    assert {a.title for a in context["recent_articles"]} == {busy.title, quiet.title}
    html = response.content.decode()
    assert "Everything about your order" in html
    assert 'name="q"' in html


def test_help_home_links_to_contact_page_only_when_live(help_center, make_category):
    contact = make_category("Write to us")
    help_center.contact_page = contact
    help_center.save_revision().publish()
    client = Client(HTTP_USER_AGENT=BROWSER)
    assert contact.url in client.get(help_center.url).content.decode()

    contact.unpublish()
    assert contact.url not in client.get(help_center.url).content.decode()


def test_drafts_and_private_articles_stay_hidden(help_center, make_category, make_article):
    from wagtail.models import PageViewRestriction

    category = make_category("Orders")
    make_article("Public question?", category=category)
    make_article("Draft question?", category=category, publish=False)
    private = make_article("Private question?", category=category)
    PageViewRestriction.objects.create(page=private, restriction_type="login")

    html = Client(HTTP_USER_AGENT=BROWSER).get(help_center.url).content.decode()
    assert "Public question?" in html
    assert "Draft question?" not in html and "Private question?" not in html
