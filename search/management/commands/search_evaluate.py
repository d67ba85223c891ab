import json
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import override_settings
from haystack import connections
from wagtail.models import Locale, Page

from search import evaluation, service, suggestions


class Command(BaseCommand):
    help = (
        "Measure the help search on labelled queries (JSON Lines: query, expected, locale): "
        "recall@1/3/5, MRR and latency for search, autocomplete and suggest. With --articles it "
        "builds a throwaway database and index from that import_articles file."
    )

    def add_arguments(self, parser):
        parser.add_argument("queries", type=Path)
        parser.add_argument("--articles", type=Path, help="import_articles file to index.")
        parser.add_argument("--synonyms", type=Path, help="JSON list of {locale, line}.")
        parser.add_argument("--baseline", action="store_true",
                            help="Also measure plain haystack auto_query on the same articles.")
        parser.add_argument("--typos", action="store_true",
                            help="Give every query one typing mistake (seeded, reproducible).")
        parser.add_argument("--calibrate", action="store_true",
                            help="Fit the suggest confidence on these queries and print it.")
        parser.add_argument("--json", action="store_true", help="Print figures as JSON last.")
        parser.add_argument("--misses", action="store_true",
                            help="List the queries whose answer is not among the first three.")
        parser.add_argument("--mode", choices=service.MODES, default="hybrid",
                            help="Rank by words, by meaning, or both fused (default).")

    def handle(self, *args, queries: Path, articles: Path | None, synonyms: Path | None,
               baseline: bool, calibrate: bool, json: bool, typos: bool, mode: str, misses: bool,
               **options):
        if not queries.is_file():
            raise CommandError(f"File not found: {queries}")
        records = evaluation.read_queries(queries)
        if typos:
            records = evaluation.with_typos(records)
        context = throwaway_site(articles, synonyms, baseline) if articles else current_site()
        self.mode = mode
        self.misses = [] if misses else None
        # Measure the model, not how busy the machine is: no query falls back to words only
        # because its vector missed the deadline.
        no_deadline = override_settings(HELPCENTER_SEARCH_ENCODER_DEADLINE_MS=60_000)
        with no_deadline, context as baseline_alias:
            figures = self.evaluate(records, baseline_alias if baseline else None)
            if calibrate:
                figures["calibration"] = self.calibrate(records)
        self.report(figures, as_json=json)

    def evaluate(self, records, baseline_alias):
        ids = external_ids()

        def search(text, locale):
            found = service.search(text, locale, limit=10, mode=self.mode).results
            return [article_key(ids, r) for r in found]

        if self.misses is not None:
            for record in records:
                found = search(record["query"], record.get("locale", "en"))
                if not set(found[:3]) & set(record["expected"]):
                    self.misses.append((record, found[:3]))

        def autocomplete(text, locale):
            return [article_key(ids, r) for r in service.autocomplete(text, locale, limit=10)]

        def suggest(text, locale):
            found = suggestions.suggest(text, locale, limit=5, mode=self.mode)
            return [article_key(ids, s.result) for s in found]

        measured = {
            name: evaluation.measure(name, records, run)
            for name, run in (("search", search), ("autocomplete", autocomplete),
                              ("suggest", suggest))
        }
        figures = {name: measurement.figures() for name, measurement in measured.items()}
        figures["by_kind"] = {
            name: evaluation.by_kind(records, measured[name]) for name in ("search", "suggest")
        }
        if baseline_alias:
            figures["baseline"] = evaluation.measure(
                "baseline", records, haystack_auto_query(baseline_alias, ids)
            ).figures()
        return figures

    def calibrate(self, records):
        ids = external_ids()
        rows = []
        for record in records:
            results = service.search(record["query"], record.get("locale", "en"), limit=10,
                                     max_length=4000, mode=self.mode).results
            if results:
                correct = article_key(ids, results[0]) in set(record["expected"])
                rows.append((suggestions.features(results, 0), correct))
        coefficients = evaluation.fit_logistic(rows)
        pairs = [(suggestions.confidence(f, coefficients), ok) for f, ok in rows]
        return {"coefficients": coefficients, "reliability": evaluation.reliability(pairs)}

    def report(self, figures, *, as_json: bool):
        for name, values in figures.items():
            if name == "by_kind":
                self.report_kinds(values)
                continue
            if name == "calibration":
                self.stdout.write(f"calibration: {values['coefficients']}")
                for band in values["reliability"]:
                    self.stdout.write(f"  {band}")
                continue
            self.stdout.write(
                f"{name:13s} recall@1 {values['recall@1']:.3f}  recall@3 {values['recall@3']:.3f}"
                f"  recall@5 {values['recall@5']:.3f}  MRR {values['mrr']:.3f}"
                f"  no result {values['no_result']:.3f}"
                f"  p50 {values['p50_ms']:.1f} ms  p95 {values['p95_ms']:.1f} ms"
            )
        for record, found in self.misses or ():
            self.stdout.write(
                f"miss [{record.get('locale', 'en')} {record.get('kind', '')}] {record['query']!r}:"
                f" expected {', '.join(record['expected'])}; first {', '.join(map(str, found))}"
            )
        if as_json:
            self.stdout.write(json.dumps(figures))

    def report_kinds(self, kinds: dict) -> None:
        """recall@1 / recall@3 per language and kind of query, for search and suggest."""
        groups = sorted({group for values in kinds.values() for group in values})
        if len(groups) < 2:
            return
        self.stdout.write("by kind        search r@1  r@3   suggest r@1  r@3   queries")
        for group in groups:
            search, suggest = kinds["search"][group], kinds["suggest"][group]
            self.stdout.write(
                f"  {group:13s}  {search['recall@1']:.3f}  {search['recall@3']:.3f}"
                f"         {suggest['recall@1']:.3f}  {suggest['recall@3']:.3f}"
                f"   {search['queries']}"
            )


def external_ids() -> dict[int, str]:
    """Article id -> external id; look results up with `article_key`, never by id alone (a
    forum thread may have an article's id)."""
    from faq.listings import article_model

    return dict(article_model().objects.values_list("pk", "external_id"))


def article_key(ids: dict[int, str], result) -> str | None:
    """The external id of a result that is an article, None for other sources' results."""
    from faq.listings import article_model

    if result.model != article_model()._meta.label_lower:
        return None
    return ids.get(result.pk)


def haystack_auto_query(alias, ids):
    from haystack.query import SearchQuerySet

    from faq.listings import article_model

    def run(text, locale):
        queryset = SearchQuerySet(using=alias).models(article_model()).filter(locale=locale)
        return [ids.get(int(hit.pk)) for hit in queryset.auto_query(text)[:10]]

    return run


@contextmanager
def current_site():
    yield None


@contextmanager
def throwaway_site(articles: Path, synonyms: Path | None, baseline: bool):
    """A fresh test database and index folders, removed afterwards."""
    from django.test.utils import setup_test_environment, teardown_test_environment

    from faq.importer import ArticleImporter, read_records
    from helpcenter.models import HelpCenterPage
    from search import indexing

    folder = Path(tempfile.mkdtemp(prefix="helpcenter-eval-"))
    default = connections.connections_info["default"]
    saved_path = default.get("PATH")
    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        default["PATH"] = str(folder / "index")
        connections["default"].reset_sessions()
        Locale.objects.get_or_create(language_code="en")
        languages = {json.loads(line).get("locale", "en")
                     for line in articles.open(encoding="utf-8") if line.strip()}
        for code in languages:
            Locale.objects.get_or_create(language_code=code)
        root = Page.get_first_root_node()
        help_center = root.add_child(instance=HelpCenterPage(title="Help", slug="help"))
        help_center.save_revision().publish()
        if synonyms:
            from search.synonyms_store import load_synonyms

            load_synonyms(synonyms)
        report = ArticleImporter().run(read_records(articles))
        if report.errors:
            raise CommandError(f"{len(report.errors)} articles could not be imported")
        indexing.drain()
        alias = None
        if baseline:
            alias = "helpcenter-baseline"
            connections.connections_info[alias] = {
                "ENGINE": "haystack.backends.whoosh_backend.WhooshEngine",
                "PATH": str(folder / "baseline"),
            }
            build_baseline(alias)
        yield alias
    finally:
        default["PATH"] = saved_path
        connections["default"].reset_sessions()
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
        shutil.rmtree(folder, ignore_errors=True)


def build_baseline(alias):
    from faq.listings import article_model

    backend = connections[alias].get_backend()
    index = connections[alias].get_unified_index().get_index(article_model())
    backend.update(index, index.index_queryset(using=alias))
