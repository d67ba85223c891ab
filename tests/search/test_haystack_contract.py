"""Where our engine meets haystack's own API (as haystack's test suite drives it): skipped
documents, fields outside the help-search schema, features it does not offer, delete_index()."""

import pytest
from haystack import connections, indexes
from haystack.exceptions import SearchBackendError, SkipDocument
from haystack.query import SearchQuerySet

from faq.search_indexes import ArticleIndex
from search.query import plan_query

pytestmark = pytest.mark.django_db


@pytest.fixture
def backend():
    return connections["default"].get_backend()


def found(backend, text: str) -> list[str]:
    label = ArticleIndex().get_model()._meta.label_lower
    plan = plan_query(text, "en")
    return [hit.pk for hit in backend.search_plan(plan, [label]).hits]


class SkippingIndex(ArticleIndex):
    def prepare(self, obj):
        if "draft" in obj.title.lower():
            raise SkipDocument
        return super().prepare(obj)


def test_a_skipped_document_is_left_out_and_the_batch_goes_on(backend, make_article, caplog):
    articles = [
        make_article("Where is my parcel?"),
        make_article("Draft about parcels"),
        make_article("Parcel lost in transit"),
    ]
    backend.clear()
    with caplog.at_level("DEBUG", logger="search.backends.whoosh"):
        backend.update(SkippingIndex(), articles)

    label = ArticleIndex().get_model()._meta.label_lower
    documents = backend.open_index(label, "en").current_searcher().doc_count()
    assert documents == 2
    assert "skipped" in caplog.text


class IndexWithAuthor(ArticleIndex):
    author = indexes.CharField(default="Ann")


def test_fields_outside_the_schema_are_refused_by_name(backend, make_article):
    with pytest.raises(SearchBackendError, match="IndexWithAuthor also has author"):
        backend.update(IndexWithAuthor(), [make_article()])


def test_features_it_does_not_offer_say_so(backend, make_article):
    article = make_article()
    with pytest.raises(NotImplementedError, match="no more_like_this"):
        list(SearchQuerySet().more_like_this(article))
    with pytest.raises(NotImplementedError, match="no more_like_this"):
        backend.more_like_this(article)
    with pytest.raises(SearchBackendError, match="search.service.search"):
        list(SearchQuerySet().filter(content="parcel"))


def test_delete_index_stops_searches_finding_the_documents(backend, make_article):
    backend.clear()
    article = make_article("Where is my parcel?")
    backend.update(ArticleIndex(), [article])
    assert found(backend, "parcel") == [article.pk]

    backend.delete_index()

    with pytest.raises(Exception, match="No search index"):
        found(backend, "parcel")
