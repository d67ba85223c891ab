"""Fit the global parameters of `search.fusion` on the development sets and print the grid.

    python -m tests.benchmarks.fit_fusion [--typos]

Builds each development set's throwaway site once (as `search_evaluate --articles` does), keeps
every query's lexical hits and nearest passages, then ranks them again for each combination of
lexical weight, spread, minimum cosine and relative cutoff. It prints the best combinations by
the mean recall@3 of both sets (ties: recall@1, then fewer results per query), to be written
into `search.fusion` by hand: nothing is learnt at search time.
"""

from __future__ import annotations

import itertools
import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

SETS = {
    "stackfaq": (Path("/work/shared/eval/stackfaq/dev-queries.jsonl"),
                 Path("/work/shared/eval/stackfaq/articles.jsonl"), None),
    "demo": (Path("example_site/demo_content/dev-queries.jsonl"),
             Path("example_site/demo_content/articles.jsonl"),
             Path("example_site/demo_content/synonyms.json")),
}


def collect(name: str, typos: bool) -> list[tuple[list, list, set, dict]]:
    from search import evaluation, registry, service
    from search.management.commands.search_evaluate import external_ids, throwaway_site

    queries, articles, synonyms = SETS[name]
    records = evaluation.read_queries(queries)
    if typos:
        records = evaluation.with_typos(records)
    rows = []
    with throwaway_site(articles, synonyms, False):
        ids = external_ids()
        for record in records:
            locale = record.get("locale", "en")
            plan = service.make_plan(record["query"], locale)
            sources = registry.sources()
            hits, _fallback = service._run(plan, sources, limit=100)
            dense = service._dense(plan, sources, limit=50) or []
            rows.append((hits.hits, dense, set(record["expected"]), ids))
    return rows


def score(rows, fusion, cutoff) -> dict:
    from search.fusion import fuse

    hits1 = hits3 = mrr = shown = 0.0
    for lexical, dense, expected, ids in rows:
        ranked = fuse(lexical, dense, fusion)
        top = ranked[0].relevance if ranked else 0.0
        ranked = [entry for entry in ranked if entry.relevance >= cutoff * top]
        keys = [ids.get(entry.hit.pk) for entry in ranked]
        rank = next((i for i, key in enumerate(keys[:10], start=1) if key in expected), None)
        hits1 += rank == 1
        hits3 += bool(rank and rank <= 3)
        mrr += 1 / rank if rank else 0
        shown += len(ranked)
    count = len(rows)
    return {"r@1": hits1 / count, "r@3": hits3 / count, "mrr": mrr / count,
            "shown": shown / count}


def collected(name: str, typos: bool) -> list:
    """`collect` in a process of its own (one throwaway test database per process)."""
    with tempfile.NamedTemporaryFile(suffix=".pickle") as out:
        command = [sys.executable, "-m", "tests.benchmarks.fit_fusion", "--collect", name,
                   out.name, *(["--typos"] if typos else [])]
        subprocess.run(command, check=True)  # noqa: S603 - our own module
        with open(out.name, "rb") as handle:
            return pickle.load(handle)  # noqa: S301 - written by the line above


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings.dev")
    import django

    django.setup()
    from search.fusion import FUSION, RELATIVE_CUTOFF, Fusion

    typos = "--typos" in argv
    if "--collect" in argv:
        at = argv.index("--collect")
        with open(argv[at + 2], "wb") as handle:
            pickle.dump(collect(argv[at + 1], typos), handle)
        return
    data = {name: collected(name, typos) for name in SETS}
    grid = []
    for weight, spread, min_cosine, cutoff in itertools.product(
        (0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 1.0),
        (0.02, 0.03, 0.04, 0.05, 0.06, 0.08, 0.1),
        (0.78, 0.8, 0.82, 0.84, 0.86, 2.0),
        (0.2, 0.3, 0.35, 0.4, 0.5),
    ):
        fusion = Fusion(weight, spread, min_cosine)
        figures = {name: score(rows, fusion, cutoff) for name, rows in data.items()}
        mean3 = sum(f["r@3"] for f in figures.values()) / len(figures)
        mean1 = sum(f["r@1"] for f in figures.values()) / len(figures)
        grid.append((round(mean3, 4), round(mean1, 4),
                     -sum(f["shown"] for f in figures.values()), fusion, cutoff, figures))
    grid.sort(key=lambda entry: entry[:3], reverse=True)
    current = [entry for entry in grid if entry[3] == FUSION and entry[4] == RELATIVE_CUTOFF]
    for mean3, mean1, _shown, fusion, cutoff, figures in grid[:15] + current:
        sets = "  ".join(
            f"{name} r@1 {f['r@1']:.3f} r@3 {f['r@3']:.3f} mrr {f['mrr']:.3f} "
            f"shown {f['shown']:.1f}"
            for name, f in figures.items()
        )
        print("now: " if (fusion, cutoff) == (FUSION, RELATIVE_CUTOFF) else "",
              f"w {fusion.lexical_weight} spread {fusion.spread} min {fusion.min_cosine} "
              f"cutoff {cutoff}: mean r@3 {mean3} r@1 {mean1} | {sets}")


if __name__ == "__main__":
    main(sys.argv[1:])
