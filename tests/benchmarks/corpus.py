"""The benchmark's documents and queries, generated from real help text and reproducible.

- Articles: sentences of the English demo articles (example_site/demo_content) recombined,
  each with three product names drawn Zipf-like from a 20,000-word jargon list, so that the
  vocabulary grows with the number of articles the way a real catalogue's does.
- Forum threads: a title (a StackFAQ title or paraphrase, tests/fixtures/stackfaq), a question
  and 0..14 replies made of StackFAQ answer sentences and demo sentences, with one word in 40
  misspelt, as people type in forums; 6 threads in 10 with replies have an accepted answer.
- Queries: the English demo development queries (paraphrases, typos, keywords, synonyms) and
  StackFAQ paraphrases, a third of those with a typo; autocomplete prefixes are the first 3..N
  characters of queries; suggest messages wrap queries the way contact-form messages read.

Document `n` depends only on (seed, n), so any range of documents can be made in any order.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass
from functools import cache
from html import unescape
from pathlib import Path

from tests.benchmarks.bench_typos import make_terms, typo

REPO = Path(__file__).resolve().parents[2]
DEMO = REPO / "example_site" / "demo_content"
STACKFAQ = REPO / "tests" / "fixtures" / "stackfaq"

_TAG = re.compile(r"<[^>]+>")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
_WORD = re.compile(r"[A-Za-z]{5,}")


@dataclass(frozen=True)
class Texts:
    article_titles: list[str]
    article_sentences: list[str]
    keywords: list[str]
    forum_titles: list[str]
    forum_sentences: list[str]
    jargon: list[str]


def _strings(value) -> list[str]:
    """Every string inside a StreamField block value (rich text, steps, callouts)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in _strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []


def _sentences(text: str) -> list[str]:
    plain = " ".join(unescape(_TAG.sub(" ", text)).split())
    return [s for s in _SENTENCE_END.split(plain) if 30 <= len(s) <= 400]


def _records(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


@cache
def texts() -> Texts:
    demo = [r for r in _records(DEMO / "articles.jsonl") if r["locale"] == "en"]
    stackfaq = _records(STACKFAQ / "articles.jsonl")
    article_sentences = [
        sentence
        for record in demo
        for text in [record["short_answer"], *_strings(record["body"])]
        for sentence in _sentences(text)
    ]
    forum_sentences = [
        sentence
        for record in stackfaq
        for text in (record["short_answer"], record["body"])
        for sentence in _sentences(text)
    ]
    paraphrases = [r["query"] for r in _records(STACKFAQ / "dev-queries.jsonl")]
    return Texts(
        article_titles=[r["title"] for r in demo],
        article_sentences=article_sentences,
        keywords=sorted({k for r in demo for k in r["keywords"]}),
        forum_titles=[r["title"] for r in stackfaq] + paraphrases,
        forum_sentences=forum_sentences,
        jargon=[word.capitalize() for word in make_terms(20_000, seed=5)],
    )


@cache
def _jargon_weights() -> list[float]:
    total, weights = 0.0, []
    for rank in range(1, len(texts().jargon) + 1):
        total += 1 / rank
        weights.append(total)
    return weights


def _jargon(rng: random.Random, count: int) -> list[str]:
    """Product names, Zipf-distributed: a few are everywhere, most are rare."""
    return rng.choices(texts().jargon, cum_weights=_jargon_weights(), k=count)


@dataclass(frozen=True)
class ArticleText:
    pk: int
    title: str
    short_answer: str
    keywords: str
    paragraphs: list[str]


def article(pk: int, seed: int = 7) -> ArticleText:
    t = texts()
    rng = random.Random(seed * 1_000_003 + pk)
    names = _jargon(rng, 3)
    title = f"{rng.choice(t.article_titles).rstrip('?')} with {names[0]}?"
    paragraphs = []
    for _ in range(rng.randint(2, 4)):
        chosen = rng.sample(t.article_sentences, rng.randint(2, 4))
        at = rng.randrange(len(chosen))
        chosen[at] = f"{chosen[at]} This applies to {names[1 + at % 2]} as well."
        paragraphs.append(" ".join(chosen))
    return ArticleText(
        pk=pk,
        title=title,
        short_answer=rng.choice(t.article_sentences)[:300],
        keywords=", ".join([*rng.sample(t.keywords, 3), names[0].lower()]),
        paragraphs=paragraphs,
    )


@dataclass(frozen=True)
class ThreadText:
    """A forum thread: a question, its replies and which reply (if any) the asker accepted."""

    pk: int
    title: str
    question: str
    replies: tuple[str, ...]
    accepted: int | None


MAX_REPLIES = 14  # 0..14 replies, 7 on average: a thread of 8 posts, as on support forums


def _misspell(text: str, rng: random.Random, share: float) -> str:
    return _WORD.sub(
        lambda match: typo(match.group(0), rng) if rng.random() < share else match.group(0), text
    )


def thread(pk: int, seed: int = 7) -> ThreadText:
    t = texts()
    rng = random.Random(seed * 2_000_003 + pk)

    def post() -> str:
        pool = t.forum_sentences if rng.random() < 0.7 else t.article_sentences
        return _misspell(" ".join(rng.sample(pool, rng.randint(1, 3))), rng, 1 / 40)

    title = rng.choice(t.forum_titles)
    question = post()
    replies = tuple(post() for _ in range(rng.randint(0, MAX_REPLIES)))
    accepted = rng.randrange(len(replies)) if replies and rng.random() < 0.6 else None
    return ThreadText(pk=pk, title=title, question=question, replies=replies, accepted=accepted)


def _one_typo(text: str, rng: random.Random) -> str:
    words = list(_WORD.finditer(text))
    if not words:
        return text
    match = rng.choice(words)
    return text[: match.start()] + typo(match.group(0), rng) + text[match.end() :]


@dataclass(frozen=True)
class Queries:
    search: list[str]
    prefixes: list[str]
    messages: list[str]


MESSAGE_FRAMES = (
    "Hello, {q}. I ordered last week and need help quickly, thank you!",
    "Hi there,\n\n{q}\n\nI already looked in the help center but could not find it. Thanks, Anna",
    "{q}? This is the second time I am writing about this, please get back to me.",
    "Good morning. My order number is KS-1048273. {q}. Kind regards",
    "Hey, quick question: {q}. Also, do you ship to Austria?",
)


def queries(count: int = 250, seed: int = 11) -> Queries:
    """About `count` search queries, twice as many prefixes, `count` whole messages."""
    rng = random.Random(seed)
    demo = [r["query"] for r in _records(DEMO / "dev-queries.jsonl") if r["locale"] == "en"]
    stackfaq = [r["query"] for r in _records(STACKFAQ / "dev-queries.jsonl")]
    picked = rng.sample(stackfaq, max(0, min(len(stackfaq), count - len(demo))))
    with_typos = [_one_typo(q, rng) if n % 3 == 0 else q for n, q in enumerate(picked)]
    search = demo[:count] + with_typos
    rng.shuffle(search)
    # As typed: a prefix may end inside a word or after a space.
    prefixes = [query[: rng.randint(3, max(3, len(query)))] for query in search for _ in range(2)]
    messages = [rng.choice(MESSAGE_FRAMES).format(q=q.rstrip("?.!")) for q in search]
    return Queries(search=search, prefixes=prefixes, messages=messages)
