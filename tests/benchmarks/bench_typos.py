"""Benchmark typo correction and completion on a generated 50k-term vocabulary.

Run: ``.venv/bin/python -m tests.benchmarks.bench_typos [WORDLIST]`` from the project root;
without a word list the words are generated.
Prints p50/p95 per lookup; the target is about 0.1 ms per ``correct`` call.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable

from search.typos import Vocabulary

ONSETS = (
    "",
    "",
    "b",
    "br",
    "d",
    "f",
    "fl",
    "g",
    "gr",
    "h",
    "k",
    "kl",
    "kr",
    "l",
    "m",
    "n",
    "p",
    "pf",
    "r",
    "s",
    "sch",
    "sp",
    "st",
    "str",
    "t",
    "tr",
    "w",
    "z",
    "zw",
    "v",
    "ver",
    "be",
    "ge",
    "ent",
    "an",
    "auf",
    "aus",
    "ein",
    "ab",
    "un",
)
VOWELS = ("a", "e", "i", "o", "u", "ei", "au", "ie", "a", "e")
CODAS = ("", "", "n", "r", "s", "t", "l", "ch", "ng", "nd", "st", "rt", "m", "ck", "ft", "ung")


def make_terms(count: int, seed: int = 7) -> dict[str, int]:
    """Return ``count`` German-looking words with Zipf-like document frequencies."""
    rng = random.Random(seed)
    terms: dict[str, int] = {}
    while len(terms) < count:
        syllables = rng.choice((1, 2, 2, 2, 3, 3, 4))
        word = "".join(
            rng.choice(ONSETS) + rng.choice(VOWELS) + rng.choice(CODAS) for _ in range(syllables)
        )
        if len(word) >= 3:
            terms.setdefault(word, int(2000 / (len(terms) + 1) ** 0.8) + 1)
    return terms


def typo(word: str, rng: random.Random) -> str:
    """Return ``word`` with one random edit: substitution, deletion, insertion or swap."""
    i = rng.randrange(len(word))
    kind = rng.choice("sdit")
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if kind == "s":
        return word[:i] + letter + word[i + 1 :]
    if kind == "d":
        return word[:i] + word[i + 1 :]
    if kind == "i":
        return word[:i] + letter + word[i:]
    i = min(i, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


def make_queries(terms: dict[str, int], count: int, seed: int = 11) -> list[str]:
    """A third known words, a third misspelt words, a third unknown words."""
    rng = random.Random(seed)
    words = [w for w in terms if len(w) >= 5]
    queries = []
    for n in range(count):
        word = rng.choice(words)
        if n % 3 == 1:
            word = typo(word, rng)
        elif n % 3 == 2:
            word = "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(len(word)))
        queries.append(word)
    return queries


def measure(
    function: Callable[[str], object], queries: list[str], repeat: int = 5
) -> tuple[float, float]:
    """Return p50 and p95 of one call in milliseconds (each query's fastest of ``repeat``)."""
    timings = []
    for query in queries:
        fastest = float("inf")
        for _ in range(repeat):
            start = time.perf_counter_ns()
            function(query)
            fastest = min(fastest, time.perf_counter_ns() - start)
        timings.append(fastest / 1e6)
    quantiles = statistics.quantiles(timings, n=100)
    return quantiles[49], quantiles[94]


def load_terms(path: str, count: int = 50_000, seed: int = 3) -> dict[str, int]:
    """Return ``count`` folded words of a word list (e.g. /usr/share/dict/ngerman)."""
    from search.text import normalise

    with open(path, encoding="utf-8") as handle:
        words = sorted({normalise(line, None, "de") for line in handle if line.strip()})
    rng = random.Random(seed)
    chosen = rng.sample(words, min(count, len(words)))
    return {word: int(2000 / (rank + 1) ** 0.8) + 1 for rank, word in enumerate(chosen)}


def run(terms: dict[str, int]) -> dict:
    """Figures of `Vocabulary` on `terms`: build time, p50/p95 of correct and complete in ms."""
    queries = make_queries(terms, 3000)
    kinds = ("known", "misspelt", "unknown")
    figures: dict = {"terms": len(terms), "mean_length": statistics.mean(map(len, terms))}
    for flag in (False, True):
        start = time.perf_counter()
        vocabulary = Vocabulary(terms, first_letter_typos=flag)
        entry = {"built_ms": (time.perf_counter() - start) * 1000}
        for offset, kind in enumerate(kinds):
            entry[f"correct_{kind}"] = measure(vocabulary.correct, queries[offset::3])
        figures[f"first_letter_typos={flag}"] = entry
    prefixes = [q[: random.Random(n).randint(2, 9)] for n, q in enumerate(queries)]
    figures["complete_uncached"] = measure(lambda p: vocabulary._complete(p, 8), prefixes)
    return figures


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    terms = load_terms(argv[0]) if argv else make_terms(50_000)
    figures = run(terms)
    print(f"{figures['terms']} terms, mean length {figures['mean_length']:.1f}")
    for flag in (False, True):
        entry = figures[f"first_letter_typos={flag}"]
        print(f"first_letter_typos={flag}: built in {entry['built_ms']:.0f} ms")
        for kind in ("known", "misspelt", "unknown"):
            p50, p95 = entry[f"correct_{kind}"]
            print(f"  correct, {kind:8} tokens  p50 {p50:.3f} ms  p95 {p95:.3f} ms")
    p50, p95 = figures["complete_uncached"]
    print(f"  complete, uncached, 2-9 letters  p50 {p50:.3f} ms  p95 {p95:.3f} ms")


if __name__ == "__main__":
    main()
