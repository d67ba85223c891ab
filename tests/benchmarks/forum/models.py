from wagtail.search import index

from community.models import Thread


class IndexedThread(index.Indexed, Thread):
    """The community's threads as Wagtail's search backend indexes a model: the same rows, the
    same text (title, question, accepted answer) as the help search's ThreadIndex."""

    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("searched_text"),
        index.FilterField("state"),
    ]

    class Meta:
        proxy = True

    def searched_text(self) -> str:
        from community.search_indexes import ThreadIndex

        return ThreadIndex().prepare_text(self)

