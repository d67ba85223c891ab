from django.db.models.signals import post_delete, post_save

from . import synonyms_store


def synonym_changed(sender, **kwargs):
    synonyms_store.synonyms_changed()


def phrasing_reviewed(sender, instance, created=False, **kwargs):
    """An editor approved, rejected or deleted a learned phrasing: the article's document
    gains or loses it (new phrasings are not searched, so their creation changes nothing)."""
    if not created:
        from . import learning

        learning.reindex_article(instance.page_id)


def connect():
    from .models import LearnedPhrasing, Synonym

    post_save.connect(phrasing_reviewed, sender=LearnedPhrasing,
                      dispatch_uid="search_phrasing_saved")
    post_delete.connect(phrasing_reviewed, sender=LearnedPhrasing,
                        dispatch_uid="search_phrasing_deleted")

    post_save.connect(synonym_changed, sender=Synonym, dispatch_uid="search_synonym_saved")
    post_delete.connect(synonym_changed, sender=Synonym, dispatch_uid="search_synonym_deleted")
