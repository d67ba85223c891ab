"""haystack's `update_index`, made safe next to the index queue and telling how far it got.

It holds the writer lock of `search.indexing` for the whole run (queue runs wait and are applied
at the end), indexes each model per language with a progress bar, and ends with a summary.
"""

import logging
import time

from django.core.management.base import CommandError
from django.utils.encoding import force_str
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from haystack import connections
from haystack.constants import DJANGO_ID
from haystack.exceptions import NotHandled
from haystack.management.commands import update_index
from haystack.query import SearchQuerySet
from haystack.utils.app_loading import haystack_get_models
from tqdm import tqdm

from search import vectors
from search.indexing import IndexWriterBusy, exclusive_writer

# A run that indexed this many documents merges each index it wrote into one segment: a bulk
# run leaves many, and a search reads each term once per segment.
MERGE_AFTER = 1000


class Command(update_index.Command):
    help = (
        "Bring the search index up to date with the database, per model and language, while the "
        "index queue waits. --remove also drops documents of objects that are gone, unpublished "
        "or private."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show progress bars."
        )

    def handle(self, **options):
        self.show_progress = options["verbosity"] >= 1 and not options["no_progress"]
        self.indexed: dict[str, int] = {}
        self.removed = 0
        self.embedded = self.reused = 0
        self.progress = None
        started = time.monotonic()
        try:
            with (
                exclusive_writer(on_wait=self._waiting),
                vectors.embedding_progress(self._embedding),
            ):
                super().handle(**options)
        except IndexWriterBusy as error:
            raise CommandError(
                _("Another process kept the search index locked; nothing was indexed.")
            ) from error
        finally:
            # haystack raises its multiprocessing logger to INFO at -v 2; keep the exit quiet.
            update_index.LOG.setLevel(logging.WARNING)
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(self.summary(time.monotonic() - started)))

    def _embedding(self, embedded: int, reused: int) -> None:
        """Passage vectors of the semantic search: shown beside the batch being indexed."""
        self.embedded += embedded
        self.reused += reused
        if self.progress is not None:
            self.progress.set_postfix_str(
                _("%(embedded)d passages embedded, %(reused)d unchanged")
                % {"embedded": self.embedded, "reused": self.reused}
            )

    def _waiting(self):
        self.stderr.write(_("Waiting for the search index writer (another process is updating)…"))

    def update_backend(self, label, using):
        backend = connections[using].get_backend()
        if self.workers > 0:
            self.update_in_parallel(label, using)
        else:
            for index in self.indexes(label, using):
                for language, part in by_language(self.queryset(index, using)):
                    self.index_part(backend, index, part, language)
        if self.remove:
            for index in self.indexes(label, using):
                self.remove_stale(backend, index, using)
        if self.commit and hasattr(backend, "optimize") and self.indexed_total >= MERGE_AFTER:
            for index in self.indexes(label, using):
                backend.optimize(index.get_model()._meta.label_lower)

    @property
    def indexed_total(self) -> int:
        return sum(self.indexed.values())

    def update_in_parallel(self, label, using):
        """haystack's own parallel indexing, with its own output."""
        remove, self.remove = self.remove, False  # haystack's removal cannot read our index
        try:
            super().update_backend(label, using)
        finally:
            self.remove = remove
        for index in self.indexes(label, using):
            self.indexed[""] = self.indexed.get("", 0) + self.queryset(index, using).count()

    def queryset(self, index, using):
        return index.build_queryset(using=using, start_date=self.start_date, end_date=self.end_date)

    @staticmethod
    def indexes(label, using):
        unified_index = connections[using].get_unified_index()
        for model in haystack_get_models(label):
            try:
                yield unified_index.get_index(model)
            except NotHandled:
                continue

    def index_part(self, backend, index, queryset, language: str) -> None:
        name = force_str(index.get_model()._meta.verbose_name_plural)
        description = f"{name} ({language})" if language else name
        total = queryset.count()
        batch_size = self.batchsize or backend.batch_size
        last_pk = None
        with tqdm(
            total=total,
            desc=description,
            unit=_("document"),
            disable=None if self.show_progress else True,  # None: only on a terminal
            file=self.stderr._out,
        ) as progress:
            self.progress = progress
            for start in range(0, total, batch_size):
                end = min(start + batch_size, total)
                last_pk = update_index.do_update(
                    backend, index, queryset, start, end, total, verbosity=0,
                    commit=self.commit, max_retries=self.max_retries, last_max_pk=last_pk,
                )
                progress.update(end - start)
                if self.verbosity >= 2 or (self.verbosity and end == total):
                    self.stdout.write(
                        _("Indexed %(done)d/%(total)d %(name)s") % {
                            "done": end, "total": total, "name": description,
                        }
                    )
        self.progress = None
        self.indexed[language] = self.indexed.get(language, 0) + total

    def remove_stale(self, backend, index, using) -> None:
        """Remove documents whose object is gone, unpublished or private."""
        model = index.get_model()
        current = {str(pk) for pk in index.index_queryset(using=using).values_list("pk", flat=True)}
        stale = indexed_ids(backend, model, using) - current
        for object_id in sorted(stale):
            backend.remove(f"{model._meta.label_lower}.{object_id}", commit=self.commit)
        self.removed += len(stale)
        if stale and self.verbosity >= 1:
            self.stdout.write(
                ngettext(
                    "Removed %(count)d stale document of %(name)s.",
                    "Removed %(count)d stale documents of %(name)s.",
                    len(stale),
                ) % {"count": len(stale), "name": force_str(model._meta.verbose_name_plural)}
            )

    def summary(self, seconds: float) -> str:
        total = self.indexed_total
        parts = ", ".join(
            f"{language} {count}" for language, count in sorted(self.indexed.items()) if language
        )
        text = ngettext(
            "Indexed %(count)d document in %(seconds).1f s",
            "Indexed %(count)d documents in %(seconds).1f s",
            total,
        ) % {"count": total, "seconds": seconds}
        if parts:
            text += f" ({parts})"
        if self.embedded or self.reused:
            text += "; " + ngettext(
                "embedded %(count)d passage (%(reused)d unchanged)",
                "embedded %(count)d passages (%(reused)d unchanged)",
                self.embedded,
            ) % {"count": self.embedded, "reused": self.reused}
        if self.remove:
            text += "; " + ngettext(
                "removed %(count)d stale document", "removed %(count)d stale documents",
                self.removed,
            ) % {"count": self.removed}
        return text + "."


def by_language(queryset):
    """The queryset split by language, for translatable models (Wagtail's `locale`)."""
    model = queryset.model
    if not any(field.name == "locale" for field in model._meta.get_fields()):
        yield "", queryset
        return
    codes = queryset.order_by().values_list("locale__language_code", flat=True).distinct()
    for code in sorted(codes):
        yield code, queryset.filter(locale__language_code=code)


def indexed_ids(backend, model, using) -> set[str]:
    """The ids of the objects of `model` that have a document in the index."""
    label = model._meta.label_lower
    if hasattr(backend, "index_names"):  # HelpWhooshSearchBackend: one index per language
        ids = set()
        for name in backend.index_names(label):
            searcher = backend.open_index(label, name.rsplit("__", 1)[1]).current_searcher()
            ids.update(str(fields[DJANGO_ID]) for fields in searcher.all_stored_fields())
        return ids
    found = SearchQuerySet(using=using).models(model).values_list("pk", flat=True)
    return {str(pk) for pk in found}
