"""Visible threads are in sitemap.xml beside the pages; hidden and deleted ones are not."""

import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from community import posting
from community.models import PostState, Thread

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
pytestmark = pytest.mark.django_db


def test_sitemap_lists_visible_threads_with_their_last_activity(forum, board, asker):
    shown = posting.start_thread(board, asker, "Nose pads press", "They leave marks.")
    hidden = posting.start_thread(board, asker, "Hidden thread", "Nobody sees this.")
    deleted = posting.start_thread(board, asker, "Deleted thread", "Gone.")
    Thread.objects.filter(pk=hidden.pk).update(state=PostState.HIDDEN)
    Thread.objects.filter(pk=deleted.pk).update(state=PostState.DELETED)
    response = Client().get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    entries = {url.find("s:loc", NS).text: url.find("s:lastmod", NS)
               for url in root.findall("s:url", NS)}
    location = f"http://localhost{forum.url}{shown.url_part}"
    assert location in entries
    assert entries[location].text == shown.last_activity_at.date().isoformat()
    assert f"http://localhost{forum.url}" in entries  # the pages are still there
    assert not any(f"/{hidden.pk}-" in url or f"/{deleted.pk}-" in url for url in entries)


def test_no_threads_without_a_live_forum_page(forum, board, asker):
    thread = posting.start_thread(board, asker, "Nose pads press", "They leave marks.")
    forum.unpublish()
    content = Client().get("/sitemap.xml").content.decode()
    assert thread.url_part not in content
