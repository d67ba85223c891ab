from haystack import indexes

from .links import thread_url
from .markup import plain_text
from .models import Post, PostState, Thread

SHORT_ANSWER_LENGTH = 300


class ThreadIndex(indexes.SearchIndex, indexes.Indexable):
    """Visible threads: title, question and accepted answer (field conventions: docs/search.md).

    Hidden and deleted threads, duplicates and threads a live article answers are not in
    `index_queryset`, so the writer removes them; a hidden or deleted answer is not read (only a
    published accepted answer is).
    """

    text = indexes.CharField(document=True)
    title = indexes.CharField(model_attr="title")
    keywords = indexes.CharField(default="")
    short_answer = indexes.CharField()
    locale = indexes.CharField()
    url = indexes.CharField()
    category = indexes.CharField(null=True)
    category_id = indexes.IntegerField(null=True)

    def get_model(self):
        return Thread

    def index_queryset(self, using=None):
        return Thread.objects.searchable().select_related("board__locale", "accepted_post")

    def _answer(self, obj) -> Post | None:
        post = obj.accepted_post
        return post if post is not None and post.state == PostState.APPROVED else None

    def prepare_text(self, obj):
        question = obj.posts.filter(is_question=True).values_list("source", flat=True).first()
        answer = self._answer(obj)
        return "\n".join(plain_text(part) for part in (question, answer and answer.source) if part)

    def prepare_short_answer(self, obj):
        answer = self._answer(obj)
        if answer is None:
            return ""
        return plain_text(answer.source)[:SHORT_ANSWER_LENGTH]

    def prepare_locale(self, obj):
        return obj.board.locale.language_code

    def prepare_url(self, obj):
        return thread_url(obj) or ""

    def prepare_category(self, obj):
        return obj.board.name

    def prepare_category_id(self, obj):
        return None
