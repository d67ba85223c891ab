from haystack import indexes

from .models import ForumPost


class ForumPostIndex(indexes.SearchIndex, indexes.Indexable):
    """Forum posts with the help search's field conventions (docs/search.md)."""

    text = indexes.CharField(document=True, model_attr="body")
    title = indexes.CharField(model_attr="title")
    keywords = indexes.CharField(default="")
    short_answer = indexes.CharField()
    locale = indexes.CharField(model_attr="language")
    url = indexes.CharField()
    category = indexes.CharField(default="Community")
    category_id = indexes.IntegerField(null=True)

    def get_model(self):
        return ForumPost

    def prepare_short_answer(self, obj):
        return obj.body.split("\n", 1)[0][:300]

    def prepare_url(self, obj):
        return f"/{obj.language}/community/posts/{obj.pk}/"
