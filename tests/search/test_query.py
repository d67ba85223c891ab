"""Query planning: which words of a long message become search groups."""

from search.query import MAX_GROUPS, PART_WEIGHT, plan_query
from search.text import stem
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


def alternatives(plan):
    return {group.word: [(a.terms, a.origin) for a in group.alternatives] for group in plan.groups}


def test_neighbouring_words_the_index_knows_as_one_are_joined():
    vocabulary = Vocabulary({"backup": 4, "github": 9, "back": 3, "hub": 2, "data": 5})
    plan = plan_query("How do I back up my data on git hub?", "en", vocabulary=vocabulary)
    found = alternatives(plan)
    assert (("backup",), "joined") in found["back"]  # "up" is a stop word, still joined
    assert (("github",), "joined") in found["git"]
    assert [a for a in found["data"] if a[1] == "joined"] == []
    joined = next(a for g in plan.groups for a in g.alternatives if a.terms == ("github",))
    assert joined.source == "git hub"
    assert joined.weight < 1


def test_a_verb_and_its_particle_are_joined_by_the_verbs_stem():
    vocabulary = Vocabulary({"backup": 4, "login": 7, "backing": 1, "logging": 2})
    found = alternatives(plan_query("backing up twitter, logging in", "en", vocabulary=vocabulary))
    assert (("backup",), "joined") in found["backing"]
    assert (("login",), "joined") in found["logging"]


def test_words_are_not_joined_into_words_the_index_lacks():
    vocabulary = Vocabulary({"back": 3, "data": 5})
    plan = plan_query("back up data", "en", vocabulary=vocabulary)
    assert all(a.origin != "joined" for g in plan.groups for a in g.alternatives)
    assert all(a.origin != "joined" for g in plan_query("back up", "en").groups
               for a in g.alternatives)


def test_a_typo_inside_a_compound_still_finds_its_parts():
    from search.text import CompoundSplitter

    counts = {"paket": 9, "verfolgung": 4, "rabatt": 5, "code": 7, "sendung": 3}
    vocabulary, splitter = Vocabulary(counts), CompoundSplitter(counts, locale="de")
    plan = plan_query("Paketerfolgung", "de", vocabulary=vocabulary, splitter=splitter)
    assert plan.corrections == {"paketerfolgung": "paketverfolgung"}
    parts = {a.terms[0] for a in plan.groups[0].alternatives if a.origin == "typo"}
    assert parts == {stem("paket", "de"), stem("verfolgung", "de")}
    assert all(a.weight < 0.5 for a in plan.groups[0].alternatives if a.origin == "typo")
    plan = plan_query("Rabatttcode", "de", vocabulary=vocabulary, splitter=splitter)
    assert {a.terms[0] for a in plan.groups[0].alternatives if a.origin == "typo"} == {
        stem("rabatt", "de"), stem("code", "de")
    }


def test_a_compound_that_splits_as_typed_is_not_corrected():
    from search.text import CompoundSplitter

    counts = {"paket": 9, "verfolgen": 4, "sendung": 3}
    vocabulary, splitter = Vocabulary(counts), CompoundSplitter(counts, locale="de")
    plan = plan_query("Paketverfolgung", "de", vocabulary=vocabulary, splitter=splitter)
    assert plan.corrections == {}  # no "Did you mean paketverfolgen"
    found = {(a.terms[0], a.origin, a.weight) for a in plan.groups[0].alternatives}
    assert (stem("paket", "de"), "part", PART_WEIGHT) in found
    assert (stem("verfolgung", "de"), "part", PART_WEIGHT) in found


def test_only_german_compounds_are_read_with_a_corrected_part():
    from search.text import CompoundSplitter

    counts = {"sunglasses": 9, "case": 7}
    vocabulary, splitter = Vocabulary(counts), CompoundSplitter(counts, locale="en")
    assert splitter.split("sunglassescase") == ("sunglasses", "case")  # would split
    plan = plan_query("sunglasescase", "en", vocabulary=vocabulary, splitter=splitter)
    assert plan.corrections == {}
    assert [a.origin for a in plan.groups[0].alternatives] == ["query"]


def test_compound_correction_leaves_unrelated_words_alone():
    from search.text import CompoundSplitter

    counts = {"paket": 9, "verfolgung": 4}
    vocabulary, splitter = Vocabulary(counts), CompoundSplitter(counts, locale="de")
    plan = plan_query("Kundenservice", "de", vocabulary=vocabulary, splitter=splitter)
    assert plan.corrections == {}
    assert [a.origin for a in plan.groups[0].alternatives] == ["query"]


def test_a_german_compound_is_searched_by_its_known_head():
    from search.text import CompoundSplitter

    counts = {"erstattung": 4, "geld": 9, "bestellung": 6}
    vocabulary, splitter = Vocabulary(counts), CompoundSplitter(counts, locale="de")
    plan = plan_query("Rückerstattung", "de", vocabulary=vocabulary, splitter=splitter)
    found = {(a.terms[0], a.origin, a.weight) for a in plan.groups[0].alternatives}
    assert (stem("erstattung", "de"), "part", PART_WEIGHT) in found
    known = plan_query("Bestellung", "de", vocabulary=vocabulary, splitter=splitter)
    assert [a.origin for a in known.groups[0].alternatives] == ["query"]
    english = plan_query("overshipping", "en", vocabulary=Vocabulary({"shipping": 3}))
    assert [a.origin for a in english.groups[0].alternatives] == ["query"]
