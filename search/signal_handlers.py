from django.db.models.signals import post_delete, post_save

from . import synonyms_store


def synonym_changed(sender, **kwargs):
    synonyms_store.synonyms_changed()


def connect():
    from .models import Synonym

    post_save.connect(synonym_changed, sender=Synonym, dispatch_uid="search_synonym_saved")
    post_delete.connect(synonym_changed, sender=Synonym, dispatch_uid="search_synonym_deleted")
