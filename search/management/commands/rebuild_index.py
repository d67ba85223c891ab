"""haystack's `rebuild_index` (clear, then `update_index`) holding the index writer lock.

Without the lock a queue run could write between the clear and the new documents, or write an
older copy of an article over the rebuild's; with it, queue runs wait and are applied afterwards.
"""

from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from haystack.management.commands import rebuild_index

from search.indexing import IndexWriterBusy, exclusive_writer


class Command(rebuild_index.Command):
    help = (
        "Empty the search index and index every published, public object again, while the index "
        "queue waits. Searches find nothing until it is done: on a live site prefer "
        "'update_index --remove'."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show progress bars."
        )

    def handle(self, **options):
        if options["interactive"]:
            answer = input(
                _("This empties the search index and indexes everything again. Continue? [y/N] ")
            )
            if not answer.lower().startswith("y"):
                self.stdout.write(_("No action taken."))
                return
        clear_options = {
            key: value for key, value in options.items()
            if key not in {"batchsize", "workers", "max_retries", "no_progress"}
        }
        clear_options["interactive"] = False
        update_options = {key: value for key, value in options.items() if key != "interactive"}
        try:
            with exclusive_writer(on_wait=self._waiting):
                call_command("clear_index", **clear_options)
                call_command("update_index", **update_options)
        except IndexWriterBusy as error:
            raise CommandError(
                _("Another process kept the search index locked; nothing was changed.")
            ) from error

    def _waiting(self):
        self.stderr.write(_("Waiting for the search index writer (another process is updating)…"))
