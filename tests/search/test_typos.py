import random
import time

import pytest
from rapidfuzz.distance import OSA

from search.typos import Correction, Vocabulary, max_edits

WORDS = {
    "nasenpad": 40,
    "nasenpads": 5,
    "nasenpak": 60,
    "nase": 30,
    "bestellung": 50,
    "bestellungen": 20,
    "versand": 70,
    "verstand": 3,
    "haus": 90,
    "maus": 10,
    "brillenetui": 15,
    "brille": 80,
    "wechsel": 25,
    "rueckgabe": 1,
}


@pytest.fixture(scope="module")
def vocabulary():
    return Vocabulary(WORDS.items())


@pytest.mark.parametrize(("length", "edits"), [(1, 0), (4, 0), (5, 1), (8, 1), (9, 2), (30, 2)])
def test_edit_budget_follows_word_length(length, edits):
    assert max_edits(length) == edits


def test_a_transposition_is_one_edit(vocabulary):
    assert vocabulary.correct("nsaenpad") == "nasenpad"
    assert vocabulary.candidates("nsaenpad")[0] == Correction("nasenpad", 1, 40)


def test_words_of_four_letters_are_never_corrected(vocabulary):
    assert vocabulary.correct("hais") == "hais"
    assert vocabulary.correct("mous") == "mous"
    assert vocabulary.candidates("hais") == []


def test_known_words_are_never_corrected():
    vocabulary = Vocabulary([("nasenpad", 1), ("nasenpat", 1000)])
    assert vocabulary.correct("nasenpad") == "nasenpad"
    assert vocabulary.candidates("nasenpad") == []


def test_fewer_edits_beat_higher_frequency():
    vocabulary = Vocabulary({"bestellung": 1, "bestellanx": 1000})
    assert (OSA.distance("bestelluny", "bestellung"), OSA.distance("bestelluny", "bestellanx")) == (
        1,
        2,
    )
    assert vocabulary.correct("bestelluny") == "bestellung"
    assert [c.distance for c in vocabulary.candidates("bestellany")] == [1, 2]


def test_higher_frequency_breaks_ties(vocabulary):
    assert vocabulary.correct("nasenpaf") == "nasenpak"
    assert [c.term for c in vocabulary.candidates("nasenpaf")] == ["nasenpak", "nasenpad"]


def test_edit_budget_is_respected(vocabulary):
    assert vocabulary.correct("nasenpxy") == "nasenpxy"  # 8 letters, 2 edits
    assert vocabulary.correct("bestxllunx") == "bestellung"  # 10 letters, 2 edits
    assert vocabulary.correct("bxstxllunx") == "bxstxllunx"  # 3 edits


def test_typos_in_the_second_letter_are_found(vocabulary):
    assert vocabulary.correct("nxsenpad") == "nasenpad"  # substituted
    assert vocabulary.correct("nsenpad") == "nasenpad"  # left out
    assert vocabulary.correct("nxasenpad") == "nasenpad"  # added
    assert vocabulary.correct("vresand") == "versand"  # swapped with the third


def test_a_first_letter_typo_costs_two_edits(vocabulary):
    assert vocabulary.correct("masenpad") == "masenpad"  # 8 letters: budget 1
    assert vocabulary.correct("xestellung") == "bestellung"  # substituted
    assert vocabulary.correct("estellung") == "bestellung"  # left out
    assert vocabulary.correct("abestellung") == "bestellung"  # added
    assert vocabulary.correct("ebstellung") == "bestellung"  # swapped
    assert vocabulary.candidates("xestellung")[0].distance == 2
    assert vocabulary.correct("xestellunx") == "xestellunx"  # plus one more typo: 3
    assert Vocabulary(WORDS, first_letter_typos=False).correct("xestellung") == "xestellung"


@pytest.mark.parametrize(
    "token", ["", "(", "*", "\x00", "12345678", "2fa", "a" * 10_000, "nasen pad"]
)
def test_odd_tokens_are_returned_unchanged(vocabulary, token):
    started = time.perf_counter()
    assert vocabulary.correct(token) == token
    assert time.perf_counter() - started < 0.1


def test_tokens_with_digits_are_not_corrected():
    assert Vocabulary({"12345678": 5}).correct("12345679") == "12345679"


def test_vocabulary_sums_duplicate_terms():
    vocabulary = Vocabulary([("etui", 2), ("etui", 3), ("", 9)])
    assert vocabulary.frequency("etui") == 5
    assert len(vocabulary) == 1
    assert "etui" in vocabulary and "" not in vocabulary


def _random_word(rng):
    return "".join(rng.choice("abdeilnorstu") for _ in range(rng.randint(3, 11)))


def test_single_typos_after_the_first_letter_match_brute_force():
    rng = random.Random(5)
    words = {_random_word(rng): rng.randint(1, 100) for _ in range(3000)}
    vocabulary = Vocabulary(words)
    tokens = [_random_word(rng) for _ in range(300)]
    tokens += [
        word[:i] + rng.choice("abdeilnorstux") + word[i + 1 :]
        for word in list(words)[:300]
        for i in [rng.randrange(1, len(word))]
    ]
    checked = found = 0
    for token in tokens:
        if max_edits(len(token)) != 1 or token in words:
            continue
        expected = {w for w in words if w[0] == token[0] and OSA.distance(token, w) <= 1}
        assert {c.term for c in vocabulary.candidates(token, limit=10_000)} == expected
        checked, found = checked + 1, found + bool(expected)
    assert checked > 100 and found > 50


def test_two_typos_find_only_true_candidates():
    rng = random.Random(9)
    words = {_random_word(rng) + _random_word(rng): rng.randint(1, 100) for _ in range(2000)}
    vocabulary = Vocabulary(words)
    checked = 0
    for word in list(words)[:200]:
        token = word[:3] + word[4:-1] + "x" if len(word) > 9 else word
        for correction in vocabulary.candidates(token, limit=10_000):
            distance = OSA.distance(token, correction.term)
            assert distance <= correction.distance <= max_edits(len(token))
        if token != word and max_edits(len(token)) == 2 and OSA.distance(token, word) <= 2:
            assert word in {c.term for c in vocabulary.candidates(token, limit=10_000)}
            checked += 1
    assert checked > 100


# --- completion ---------------------------------------------------------------------------


def test_complete_returns_prefix_matches_by_frequency(vocabulary):
    assert vocabulary.complete("nas") == ["nasenpak", "nasenpad", "nase", "nasenpads"]
    assert vocabulary.complete("nas", limit=2) == ["nasenpak", "nasenpad"]
    assert vocabulary.complete("bestellung") == ["bestellung", "bestellungen"]


def test_complete_tolerates_typos_in_long_prefixes(vocabulary):
    assert vocabulary.complete("nsaen")[:3] == ["nasenpak", "nasenpad", "nasenpads"]
    assert vocabulary.complete("bestelung") == ["bestellung", "bestellungen"]
    assert vocabulary.complete("nsae") == []  # 4 letters: no typo allowed


def test_exact_prefix_matches_come_before_fuzzy_ones():
    vocabulary = Vocabulary({"versand": 1, "verstand": 100, "versandkosten": 2})
    assert vocabulary.complete("versa") == ["versandkosten", "versand", "verstand"]
    assert vocabulary.complete("versan") == ["versandkosten", "versand", "verstand"]


@pytest.mark.parametrize("prefix", ["", "x", "(", "\x00", "zzzzzzzzzzzz"])
def test_complete_without_matches(vocabulary, prefix):
    assert vocabulary.complete(prefix) == []


def test_complete_results_are_not_shared(vocabulary):
    first = vocabulary.complete("bre")
    first.append("junk")
    assert "junk" not in vocabulary.complete("bre")
