"""Absolute links in e-mails come from the Wagtail Site or WAGTAILADMIN_BASE_URL, never a guess."""

from wagtail.models import Site

from helpcenter.links import absolute_url


def test_a_page_link_takes_host_and_port_from_its_site(make_article):
    article = make_article(title="Where is my parcel?")
    Site.objects.filter(is_default_site=True).update(hostname="help.example", port=8131)
    assert absolute_url(article) == f"http://help.example:8131{article.url}"


def test_a_path_takes_the_admin_address_or_the_given_site(help_center, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://admin.example:8443/"
    assert absolute_url("/admin/pages/") == "https://admin.example:8443/admin/pages/"
    site = Site.objects.get(is_default_site=True)
    site.port = 8132
    assert absolute_url("/en/help/", site=site) == "http://localhost:8132/en/help/"
    assert absolute_url("https://elsewhere.example/x") == "https://elsewhere.example/x"


def test_no_known_address_gives_no_link(db, settings):
    del settings.WAGTAILADMIN_BASE_URL
    assert absolute_url("/admin/pages/") == ""
