from haystack import indexes

from .listings import article_model


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    """Published articles, one document each, with their locale and category for filtering."""

    text = indexes.CharField(document=True)
    title = indexes.CharField(model_attr="title", boost=2.0)
    short_answer = indexes.CharField(model_attr="short_answer")
    keywords = indexes.CharField(model_attr="keywords", boost=1.5)
    locale = indexes.CharField(faceted=False)
    category = indexes.CharField(null=True)

    def get_model(self):
        return article_model()

    def index_queryset(self, using=None):
        return self.get_model().objects.live().public().select_related("locale")

    def prepare_text(self, obj):
        parts = [obj.title, obj.short_answer, obj.keywords]
        for block in obj.body:
            parts.extend(str(part) for part in block.block.get_searchable_content(block.value))
        return "\n".join(parts)

    def prepare_locale(self, obj):
        return obj.locale.language_code

    def prepare_category(self, obj):
        parent = obj.get_parent()
        return parent.title if parent else None
