"""How often the first answer block an agent is offered is the right article.

For each labelled demo development message (example_site/demo_content/dev-queries.jsonl) the
contact form's suggestions are computed as at send time (`search.suggestions.suggest`, the
message's language, `HELPCENTER_CONTACT_SUGGESTIONS` answers), stored on a conversation as the
form stores them, and turned into answer blocks by the composer's own
`contactform.replies.answer_blocks`. The first block is right when its article is one of the
expected ones and in the message's language. Everything happens in a throwaway database and
index (search_evaluate's `throwaway_site`).

Run: `python -m tests.benchmarks.bench_answer_blocks` (dev settings, the semantic model if
installed); prints the share overall and per language.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "example_site" / "demo_content"


def measure(records) -> dict[str, tuple[int, int]]:
    from contactform.conf import app_settings
    from contactform.models import Submission
    from contactform.replies import answer_blocks
    from search import suggestions
    from search.management.commands.search_evaluate import external_ids

    ids = external_ids()
    right, total = Counter(), Counter()
    for record in records:
        locale = record.get("locale", "en")
        found = suggestions.suggest(record["query"], locale, limit=app_settings.SUGGESTIONS)
        conversation = Submission(
            locale=locale, suggested_answers=[{"id": item.result.pk} for item in found]
        )
        blocks = answer_blocks(conversation)
        total[locale] += 1
        if blocks and ids.get(blocks[0].id) in set(record["expected"]):
            right[locale] += 1
    return {locale: (right[locale], total[locale]) for locale in sorted(total)}


def main(argv: list[str]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "example_site.settings.dev")
    import django

    django.setup()
    from django.test.utils import override_settings

    from search import evaluation
    from search.management.commands.search_evaluate import throwaway_site

    queries = Path(argv[0]) if argv else DEMO / "dev-queries.jsonl"
    records = evaluation.read_queries(queries)
    site = throwaway_site(DEMO / "articles.jsonl", DEMO / "synonyms.json", baseline=False)
    with override_settings(HELPCENTER_SEARCH_ENCODER_DEADLINE_MS=60_000), site:
        figures = measure(records)
    right = sum(r for r, _t in figures.values())
    total = sum(t for _r, t in figures.values())
    print(f"first answer block right: {right}/{total} = {right / total:.3f}")
    for locale, (r, t) in figures.items():
        print(f"  {locale}: {r}/{t} = {r / t:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
