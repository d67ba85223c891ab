from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from faq.importer import ArticleImporter, count_records, read_records


class Command(BaseCommand):
    help = (
        "Import help articles from a JSON Lines (.jsonl) or CSV (.csv) file. Records with a known "
        "external_id are updated; missing categories are created; bad rows are reported by line."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The .jsonl or .csv file to import.")
        parser.add_argument(
            "--no-progress", action="store_true", help="Do not show the progress bar."
        )

    def handle(self, *args, file: Path, no_progress: bool, **options):
        if not file.is_file():
            raise CommandError(_("File not found: %(file)s") % {"file": file})
        total = count_records(file)
        with tqdm(
            total=total, unit="article", disable=no_progress, file=self.stderr._out
        ) as progress:
            report = ArticleImporter().run(read_records(file), progress=progress)
        for line, message in report.errors:
            self.stderr.write(_("line %(line)d: %(message)s") % {"line": line, "message": message})
        summary = _(
            "%(created)d created, %(updated)d updated, %(unchanged)d unchanged, %(failed)d failed"
        ) % {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "failed": len(report.errors),
        }
        if report.errors:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))
