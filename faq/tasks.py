from django_tasks import task


@task()
def update_article_index(page_ids: list[int]) -> None:
    """Bring the search-index entries of these articles in line with the database.

    Published articles are (re)indexed; unpublished, private or deleted ones are removed.
    """
    from haystack import connections
    from haystack.exceptions import NotHandled

    from .listings import article_model

    model = article_model()
    for alias in connections.connections_info:
        try:
            index = connections[alias].get_unified_index().get_index(model)
        except NotHandled:
            continue
        backend = connections[alias].get_backend()
        indexable = list(index.index_queryset(using=alias).filter(pk__in=page_ids))
        if indexable:
            backend.update(index, indexable)
        for page_id in set(page_ids) - {article.pk for article in indexable}:
            backend.remove(f"{model._meta.label_lower}.{page_id}")
