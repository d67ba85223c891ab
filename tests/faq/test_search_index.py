"""What of an article the search index reads: its content, not the labels of its template."""

from faq.search_indexes import ArticleIndex


def test_callout_labels_are_not_indexed_but_their_text_is(make_article):
    article = make_article(
        body=[
            {"type": "rich_text", "value": "<p>Die Nasenpads nutzen sich ab.</p>"},
            {"type": "callout", "value": {"kind": "info", "text": "<p>Ersatz ist gratis.</p>"}},
            {"type": "steps", "value": [{"title": "Abziehen", "text": "Pad abziehen."}]},
        ]
    )
    text = ArticleIndex().prepare_text(article)
    assert "Ersatz ist gratis." in text and "Abziehen" in text and "Pad abziehen." in text
    assert "Good to know" not in text and "info" not in text
