from django.apps import apps
from haystack import indexes
from wagtail import blocks

from .listings import article_model


class ArticleIndex(indexes.SearchIndex, indexes.Indexable):
    """Published, public articles: one document each (field conventions: docs/search.md)."""

    text = indexes.CharField(document=True)
    title = indexes.CharField(model_attr="title")
    keywords = indexes.CharField(model_attr="keywords")
    questions = indexes.CharField(default="")
    short_answer = indexes.CharField(model_attr="short_answer")
    locale = indexes.CharField()
    url = indexes.CharField()
    category = indexes.CharField(null=True)
    category_id = indexes.IntegerField(null=True)

    def get_model(self):
        return article_model()

    def index_queryset(self, using=None):
        return self.get_model().objects.live().public().select_related("locale")

    def prepare_text(self, obj):
        parts = [obj.short_answer]
        for block in obj.body:
            parts.extend(str(part) for part in block_content(block.block, block.value))
        return "\n".join(parts)

    def prepare_questions(self, obj):
        """The editors' example questions, then the learned phrasings they approved."""
        questions = [line.strip() for line in obj.example_questions.splitlines() if line.strip()]
        if apps.is_installed("search"):
            from search.learning import approved_for

            known = {question.casefold() for question in questions}
            questions += [text for text in approved_for(obj.pk) if text.casefold() not in known]
        return "\n".join(questions)

    def prepare_locale(self, obj):
        return obj.locale.language_code

    def prepare_url(self, obj):
        return obj.url or ""

    def prepare(self, obj):
        data = super().prepare(obj)
        parent = obj.get_parent()
        data["category"] = parent.title if parent else None
        data["category_id"] = parent.pk if parent else None
        return data


def block_content(block, value) -> list[str]:
    """What a block says, without the labels of its choices: a callout's kind ("Good to know")
    is the template's label, in the language the index happens to run in, not the article's."""
    if isinstance(block, blocks.ChoiceBlock):
        return []
    if isinstance(block, blocks.StructBlock):
        return [
            part
            for name, child in block.child_blocks.items()
            for part in block_content(child, value.get(name))
        ]
    if isinstance(block, blocks.ListBlock):
        return [part for item in value for part in block_content(block.child_block, item)]
    if isinstance(block, blocks.StreamBlock):
        return [part for child in value for part in block_content(child.block, child.value)]
    return block.get_searchable_content(value)
