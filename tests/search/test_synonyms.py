import pytest

from search.synonyms import (
    ORIGINAL_WEIGHT,
    SYNONYM_WEIGHT,
    Expansion,
    SynonymGroup,
    SynonymSet,
    parse_line,
)
from search.text import analyse, searchable


def query(text, locale):
    return [term.stem for term in searchable(analyse(text, locale))]


def expanded_terms(synonyms, text, locale):
    return [expansion.term for expansion in synonyms.expand(query(text, locale))]


# --- parse_line ---------------------------------------------------------------------------


def test_parse_multi_way_line():
    group = parse_line("  Nasenpad,Gummi ,  Nasen   auflage ")
    assert group == SynonymGroup(("Nasenpad", "Gummi", "Nasen auflage"))
    assert not group.one_way
    assert str(group) == "Nasenpad, Gummi, Nasen auflage"


@pytest.mark.parametrize(
    "line", ["Gummi -> Nasenpad, Pad", "Gummi=>Nasenpad,Pad", "Gummi → Nasenpad, Pad"]
)
def test_parse_one_way_line(line):
    group = parse_line(line)
    assert group == SynonymGroup(("Gummi",), ("Nasenpad", "Pad"))
    assert group.one_way
    assert str(group) == "Gummi -> Nasenpad, Pad"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "no word"),
        ("   ", "no word"),
        ("Gummi", "at least two"),
        ("Gummi,", "empty entry"),
        ("a,, b", "empty entry"),
        ("a -> ", 'no word right of "->"'),
        (" -> b", 'no word left of "->"'),
        ("a -> b -> c", "only once"),
        ("a, A", "listed twice"),
        ("Gummi -> gummi, Pad", "on both sides"),
        ("(, )", "no letters or digits"),
        ("a, " + "b" * 101, "longer than 100"),
        ("a, b" * 400, "longer than 1000"),
    ],
)
def test_parse_rejects_bad_lines_with_a_clear_message(line, message):
    with pytest.raises(ValueError, match=message.replace("(", r"\(")):
        parse_line(line)


# --- expansion ----------------------------------------------------------------------------


def test_multi_way_groups_expand_every_way():
    synonyms = SynonymSet.from_groups(["Nasenpad, Gummi, Nasenauflage"], "de")
    assert synonyms.expand(query("Gummis", "de")) == [
        Expansion("gummi", ORIGINAL_WEIGHT, "gummi"),
        Expansion("nasenpad", SYNONYM_WEIGHT, "gummi"),
        Expansion("nasenauflag", SYNONYM_WEIGHT, "gummi"),
    ]
    assert expanded_terms(synonyms, "Nasenauflage", "de") == ["nasenauflag", "nasenpad", "gummi"]


def test_one_way_groups_expand_only_from_the_left():
    synonyms = SynonymSet.from_groups(["Gummi -> Nasenpad"], "de")
    assert expanded_terms(synonyms, "Gummis tauschen", "de") == ["gummi", "tausch", "nasenpad"]
    assert expanded_terms(synonyms, "Nasenpad tauschen", "de") == ["nasenpad", "tausch"]


def test_umlaut_spellings_hit_the_same_group():
    synonyms = SynonymSet.from_groups(["Rückgabe, Retoure"], "de")
    assert expanded_terms(synonyms, "Rueckgabe", "de") == ["ruckgab", "retour"]
    assert expanded_terms(synonyms, "Retouren", "de") == ["retour", "ruckgab"]


def test_multi_word_entries_match_consecutive_terms_and_expand_to_phrases():
    synonyms = SynonymSet.from_groups([["nose pad", "nosepiece"]], "en")
    result = synonyms.expand(query("How to replace the nose pads", "en"))
    assert result[-1] == Expansion("nosepiec", SYNONYM_WEIGHT, "nose pad")
    assert expanded_terms(synonyms, "nosepieces", "en") == ["nosepiec", ("nose", "pad")]
    assert expanded_terms(synonyms, "pad of the nose", "en") == ["pad", "nose"]


def test_expansion_is_not_transitive_and_has_no_duplicates():
    synonyms = SynonymSet.from_groups(
        ["parcel, package", "package -> delivery", "parcel -> package"], "en"
    )
    result = synonyms.expand(query("parcel parcel", "en"))
    assert [e.term for e in result] == ["parcel", "packag"]
    assert "deliveri" in expanded_terms(synonyms, "package", "en")


def test_expand_accepts_analysed_terms_and_skips_stop_words_and_extras():
    synonyms = SynonymSet.from_groups(["Mail -> Post"], "de")
    terms = analyse("die E-Mail", "de")
    assert [e.term for e in synonyms.expand(terms)] == ["e", "mail", "post"]


def test_group_objects_and_custom_weight():
    synonyms = SynonymSet.from_groups([SynonymGroup(("order",), ("purchase",))], "en", weight=0.5)
    assert synonyms.expand(["order"]) == [
        Expansion("order", 1.0, "order"),
        Expansion("purchas", 0.5, "order"),
    ]


def test_empty_synonym_set_returns_the_query():
    synonyms = SynonymSet.from_groups([], "en")
    assert not synonyms
    assert synonyms.expand(["order", "status"]) == [
        Expansion("order", 1.0, "order"),
        Expansion("status", 1.0, "status"),
    ]
    assert synonyms.expand([]) == []


def test_invalid_lines_are_rejected_when_building():
    with pytest.raises(ValueError, match="at least two"):
        SynonymSet.from_groups(["ok, fine", "lonely"], "en")
    with pytest.raises(ValueError, match="at least two"):
        SynonymSet.from_groups([["lonely"]], "en")
    with pytest.raises(ValueError, match="listed twice"):
        SynonymSet.from_groups([["Order", "order "]], "en")


def test_entries_given_as_lists_may_contain_commas_and_arrows():
    synonyms = SynonymSet.from_groups([["cable, usb", "usb -> cable"]], "en")
    assert expanded_terms(synonyms, "cable usb", "en") == ["cabl", "usb", ("usb", "cabl")]
