"""Measures the help search on labelled queries: recall@k, MRR, latency, and a baseline.

Used by `manage.py search_evaluate` and by the benchmarks. A query record is
`{"query": ..., "expected": [external_id, ...], "locale": ...}`.
"""

from __future__ import annotations

import json
import math
import random
import re
import statistics
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

CUTOFFS = (1, 3, 5)


def read_queries(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(share * len(ordered)) - 1)]


@dataclass
class Measurement:
    """Ranks of the expected answers and latencies of one system over all queries."""

    name: str
    ranks: list[int | None] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    result_counts: list[int] = field(default_factory=list)
    empty: int = 0

    def add(self, rank: int | None, latency_ms: float, result_count: int) -> None:
        self.ranks.append(rank)
        self.latencies_ms.append(latency_ms)
        self.result_counts.append(result_count)
        self.empty += result_count == 0

    def figures(self) -> dict:
        count = len(self.ranks) or 1
        figures = {
            f"recall@{k}": sum(1 for r in self.ranks if r is not None and r <= k) / count
            for k in CUTOFFS
        }
        figures["mrr"] = sum(1 / r for r in self.ranks if r) / count
        figures["no_result"] = self.empty / count
        figures["p50_ms"] = percentile(self.latencies_ms, 0.50)
        figures["p95_ms"] = percentile(self.latencies_ms, 0.95)
        figures["queries"] = len(self.ranks)
        return {name: round(value, 4) for name, value in figures.items()}


def measure(name: str, queries: Iterable[dict],
            run: Callable[[str, str], list[str]]) -> Measurement:
    """`run(query, locale)` returns the external ids of the results, best first."""
    measurement = Measurement(name)
    for record in queries:
        start = time.perf_counter()
        found = run(record["query"], record.get("locale", "en"))
        latency = (time.perf_counter() - start) * 1000
        expected = set(record["expected"])
        rank = next((i for i, key in enumerate(found, start=1) if key in expected), None)
        measurement.add(rank, latency, len(found))
    return measurement


def by_kind(records: list[dict], measurement: Measurement) -> dict[str, dict]:
    """The figures of one measurement per language and kind of query ("en natural")."""
    groups: dict[str, Measurement] = {}
    rows = zip(records, measurement.ranks, measurement.latencies_ms, measurement.result_counts,
               strict=True)
    for record, rank, latency, result_count in rows:
        name = f"{record.get('locale', 'en')} {record.get('kind', 'all')}"
        groups.setdefault(name, Measurement(name)).add(rank, latency, result_count)
    return {name: group.figures() for name, group in sorted(groups.items())}


def fit_logistic(rows: list[tuple[tuple[float, ...], bool]], *, steps: int = 4000,
                 rate: float = 0.5, l2: float = 0.01) -> tuple[float, ...]:
    """Fit intercept and weights of P(correct | features) by gradient descent (no numpy)."""
    width = len(rows[0][0])
    weights = [0.0] * (width + 1)
    for _ in range(steps):
        gradient = [0.0] * (width + 1)
        for features, correct in rows:
            z = weights[0] + sum(w * x for w, x in zip(weights[1:], features, strict=True))
            error = 1 / (1 + math.exp(-max(min(z, 50), -50))) - float(correct)
            gradient[0] += error
            for i, x in enumerate(features, start=1):
                gradient[i] += error * x
        for i in range(width + 1):
            penalty = l2 * weights[i] if i else 0.0
            weights[i] -= rate * (gradient[i] / len(rows) + penalty)
    return tuple(round(w, 3) for w in weights)


def reliability(pairs: list[tuple[float, bool]], bins: int = 5) -> list[dict]:
    """How often answers in each confidence band were right (for docs/search.md)."""
    table = []
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        inside = [ok for p, ok in pairs if low <= p < high or (high == 1 and p == 1)]
        if inside:
            table.append({"confidence": f"{low:.1f}-{high:.1f}", "answers": len(inside),
                          "right": round(sum(inside) / len(inside), 3)})
    return table


TYPO_MIN_LETTERS = 5


def with_typo(text: str, rng: random.Random) -> str:
    """`text` with one typing mistake in one of its words of 5 letters or more (a letter
    dropped, doubled, swapped with its neighbour or replaced by a keyboard neighbour); text
    without such a word is returned as it is."""
    words = list(re.finditer(rf"[^\W\d_]{{{TYPO_MIN_LETTERS},}}", text))
    if not words:
        return text
    match = rng.choice(words)
    word = match.group()
    at = rng.randrange(len(word) - 1)
    kind = rng.choice(("drop", "double", "swap", "replace"))
    if kind == "swap" and word[at] != word[at + 1]:
        typo = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    elif kind == "double":
        typo = word[:at] + word[at] + word[at:]
    elif kind == "replace" and word[at].lower() in _KEYBOARD_NEIGHBOURS:
        typo = word[:at] + rng.choice(_KEYBOARD_NEIGHBOURS[word[at].lower()]) + word[at + 1:]
    else:
        typo = word[:at] + word[at + 1:]
    return text[: match.start()] + typo + text[match.end():]


def with_typos(records: list[dict], seed: int = 7) -> list[dict]:
    """The records with one typo each (see `with_typo`), the same for the same seed."""
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    return [{**record, "query": with_typo(record["query"], rng)} for record in records]


_KEYBOARD_ROWS = ("qwertzuiop", "asdfghjkl", "yxcvbnm")
_KEYBOARD_NEIGHBOURS = {
    letter: "".join(
        other
        for other_row in _KEYBOARD_ROWS
        for other in other_row
        if abs(_KEYBOARD_ROWS.index(other_row) - _KEYBOARD_ROWS.index(row)) <= 1
        and abs(other_row.index(other) - row.index(letter)) <= 1
        and other != letter
    )
    for row in _KEYBOARD_ROWS
    for letter in row
}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else 0.0
