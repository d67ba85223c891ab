"""Query planning: which words of a long message become search groups."""

from search.query import MAX_GROUPS, plan_query
from search.typos import Vocabulary


def test_short_queries_keep_every_word_once():
    plan = plan_query("nose pad nose pad broken", "en")
    assert [group.word for group in plan.groups] == ["nose", "pad", "broken"]


def test_long_messages_keep_the_rarest_words():
    common = [f"common{n}" for n in range(MAX_GROUPS)]
    vocabulary = Vocabulary({**{word: 500 for word in common}, "hinge": 3, "screw": 7})
    message = " ".join(common[:8] + ["hinge"] + common[8:] + ["screw"])
    words = [group.word for group in plan_query(message, "en", vocabulary=vocabulary).groups]
    assert len(words) == MAX_GROUPS
    assert "hinge" in words and "screw" in words
    # The kept words stay in the order the customer wrote them.
    assert words.index("hinge") < words.index("screw")


def test_unknown_words_rank_with_the_median_known_word():
    known = {f"word{n}": n + 1 for n in range(MAX_GROUPS + 4)}
    message = " ".join([*known, "zzqx"])
    words = [group.word for group in plan_query(message, "en", vocabulary=Vocabulary(known)).groups]
    assert "zzqx" in words
    assert f"word{MAX_GROUPS + 3}" not in words
