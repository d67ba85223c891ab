import random
import threading
import time
import unicodedata

import pytest

from search import text as text_module
from search.text import (
    MAX_TOKEN_LENGTH,
    CompoundSplitter,
    Term,
    TermKind,
    analyse,
    fold,
    language_of,
    normalise,
    remove_stopwords,
    searchable,
    stem,
    stopwords,
    tokenise,
)


def stems(text, locale, **kwargs):
    return [term.stem for term in searchable(analyse(text, locale, **kwargs))]


def word_stems(text, locale, **kwargs):
    return [
        term.stem
        for term in searchable(analyse(text, locale, **kwargs))
        if term.kind == TermKind.WORD
    ]


# --- normalise -------------------------------------------------------------------------


@pytest.mark.parametrize("word", ["Rückgabe", "Ruckgabe", "Rueckgabe", "RÜCKGABE", "RUECKGABE"])
def test_german_umlaut_spellings_normalise_alike(word):
    assert normalise(word, locale="de") == "ruckgabe"


@pytest.mark.parametrize("word", ["Rückgabe", "Ruckgabe", "Rueckgabe", "Rückgaben", "rueckgaben"])
def test_german_umlaut_spellings_and_plural_share_one_stem(word):
    assert word_stems(word, "de") == ["ruckgab"]


@pytest.mark.parametrize(
    ("word", "folded"),
    [
        ("Quelle", "quelle"),  # "ue" after "q" is no umlaut
        ("Feuer", "feuer"),  # "u" after a vowel starts no umlaut
        ("Bauer", "bauer"),
        ("Öl", "ol"),
        ("Oel", "ol"),
        ("Straße", "strasse"),
        ("STRASSE", "strasse"),
        ("Mäuse", "mause"),
    ],
)
def test_german_folding_follows_lucene(word, folded):
    assert normalise(word, locale="de-DE") == folded


def _lucene_german_normalization(text):
    """Reference: Lucene's GermanNormalizationFilter state machine, char by char."""
    ordinary, vowel, umlaut = 0, 1, 2
    state, out = ordinary, []
    for char in text:
        if char in "ao":
            state = umlaut
        elif char == "u":
            state = umlaut if state == ordinary else vowel
        elif char == "e":
            if state == umlaut:
                state = vowel
                continue
            state = vowel
        elif char in "iqy":
            state = vowel
        elif char in "äöü":
            char, state = {"ä": "a", "ö": "o", "ü": "u"}[char], vowel
        elif char == "ß":
            char, state = "ss", ordinary
        else:
            state = ordinary
        out.append(char)
    return "".join(out)


def test_german_folding_matches_lucene_state_machine_on_random_strings():
    rng = random.Random(1)
    for _ in range(3000):
        text = "".join(rng.choice("aeiouyqäöüßbnr ") for _ in range(rng.randint(1, 12)))
        assert fold(text, "de") == _lucene_german_normalization(text), text


def test_english_keeps_digraphs_so_plurals_still_stem_alike():
    assert normalise("blue true does shoe issue", locale="en") == "blue true does shoe issue"
    assert word_stems("issue", "en") == word_stems("issues", "en")
    assert word_stems("value", "en") == word_stems("values", "en")
    for word in ("blue", "true", "does", "shoe"):
        assert word_stems(word, "en") == word_stems(word.upper(), "en")


def test_umlaut_and_accent_folding_apply_to_every_locale():
    folded = normalise("Rückgabe Café naïve Ørsted Łódź", locale="en")
    assert folded == "ruckgabe cafe naive orsted lodz"
    assert normalise("Rückgabe") == normalise("Ruckgabe")


def test_full_width_letters_and_ligatures_become_ascii():
    assert normalise("ＡＢＣ１２３ ﬁle") == "abc123 file"


@pytest.mark.parametrize(
    "text",
    [
        "pass\u200bword",
        "pass\u200cword",
        "pass\u200dword",
        "pass\u200eword",
        "pass\u200fword",
        "pass\u202aword\u202c",
        "\u202epassword",
        "pass\u2066word\u2069",
        "\ufeffpassword",
        "pass\x00word",
        "pass\x07word\x1b",
        "pass\u00adword",
        "pass\ud800word",
        "pass\ue000word",
    ],
)
def test_invisible_characters_are_removed(text):
    assert normalise(text) == "password"
    assert tokenise(text) == ["password"]


@pytest.mark.parametrize("text", ["", " ", "\t\n  \r", "\u200b\u200b", "\x00", "\u3000"])
def test_empty_and_blank_input(text):
    assert normalise(text) == ""
    assert tokenise(text) == []
    assert analyse(text, "de") == []


def test_removing_invisible_characters_lets_accents_compose():
    assert normalise("Ru\u200b\u0308ckgabe", locale="de") == "ruckgabe"
    assert analyse("Ru\u200b\u0308ckgabe", "de")[0].surface == "Rückgabe"


def test_whitespace_is_collapsed():
    assert normalise("  Passwort \t\n  ändern\u00a0 jetzt ", locale="de") == "passwort andern jetzt"


def test_length_is_capped_at_a_word_boundary():
    result = normalise("word " * 100, max_length=22)
    assert result == "word word word word"
    assert len(normalise("x" * 500)) == 200
    assert normalise("x" * 500, max_length=None) == "x" * 500


def test_a_long_token_without_spaces_is_handled_fast_and_capped():
    text = "a" * 10_000
    started = time.perf_counter()
    assert len(normalise(text)) == 200
    assert tokenise(text) == ["a" * MAX_TOKEN_LENGTH]
    assert [len(term.stem) for term in analyse(text, "de")] == [MAX_TOKEN_LENGTH]
    huge = "Rückgabe " * 200_000
    assert len(tokenise(huge)) < 100
    assert time.perf_counter() - started < 1.0


def test_normalise_then_tokenise_agrees_with_tokenise():
    samples = [
        "Wie ändere ich mein Passwort?",
        "E-Mail-Adresse (privat)",
        "ＡＢＣ don't 2FA",
        "Straße & Café: naïve",
        "x\u200by \U0001f600 z",
        "Ǆemal İstanbul ǅ",
    ]
    for text in samples:
        for locale in ("de", "en"):
            assert tokenise(normalise(text, locale=locale), locale) == tokenise(text, locale)


# --- tokenise ----------------------------------------------------------------------------


def test_query_syntax_is_plain_text():
    assert tokenise('field:value AND (x) NOT y OR z* "phrase" \\ ~2 ^3 +a -b') == [
        "field",
        "value",
        "and",
        "x",
        "not",
        "y",
        "or",
        "z",
        "phrase",
        "2",
        "3",
        "a",
        "b",
    ]


@pytest.mark.parametrize("text", ["(", ")", "AND", "*", '"', "\\", "field:value", "OR", "NOT"])
def test_hostile_single_inputs(text):
    for locale in ("de", "en", None):
        tokens = tokenise(text, locale)
        assert all(token.isalnum() for token in tokens)
        assert all(term.normalised == term.normalised.lower() for term in analyse(text, locale))


def test_and_is_just_a_stop_word_in_english():
    assert stems("password AND reset", "en") == ["password", "reset"]


def test_emoji_separate_words():
    assert tokenise("👍Hilfe🙂bitte 👨‍👩‍👧") == ["hilfe", "bitte"]


def test_digits_and_mixed_tokens_survive():
    assert tokenise("2FA in 30 Tagen, Version 1.5") == [
        "2fa",
        "in",
        "30",
        "tagen",
        "version",
        "1",
        "5",
    ]
    assert stem("2fa", "en") == "2fa"
    assert stem("30", "de") == "30"


def test_hyphens_and_apostrophes_split():
    assert tokenise("E-Mail don't it's") == ["e", "mail", "don", "t", "it", "s"]


def test_hyphenated_words_also_give_the_joined_word():
    terms = analyse("Zwei-Faktor-Authentifizierung per E-Mail", "de")
    joined = [(t.normalised, t.position) for t in terms if t.kind == TermKind.JOINED]
    assert joined == [("zweifaktorauthentifizierung", 0), ("email", 4)]
    assert "email" in stems("E-Mail", "de")
    assert not [t for t in analyse("Bitte - warten", "de") if t.kind == TermKind.JOINED]


# --- stop words ---------------------------------------------------------------------------


def test_stop_words_are_removed():
    assert remove_stopwords(["wie", "kann", "ich", "das", "passwort", "andern"], "de") == [
        "passwort",
        "andern",
    ]
    assert stems("How do I change my password?", "en") == ["chang", "password"]


def test_only_stop_words_are_kept():
    assert remove_stopwords(["was", "ist", "das"], "de") == ["was", "ist", "das"]
    assert stems("Was ist das?", "de") == ["was", "ist", "das"]


def test_folded_content_words_are_no_stop_words():
    # "ändern" folds to "andern", a form of "ander" in the Snowball list
    assert word_stems("Passwort ändern", "de") == ["passwort", "and"]


@pytest.mark.parametrize("locale", ["de", "en"])
def test_stop_word_files_are_folded(locale):
    words = stopwords(locale)
    assert len(words) > 100
    for word in words:
        assert tokenise(word, locale) == [word]
        assert fold(word, locale) == word
    assert "fur" in stopwords("de") and "uber" in stopwords("de") and "the" in stopwords("en")


def test_unsupported_locale_has_no_stop_words_or_stemming():
    assert stopwords("fr") == frozenset()
    assert stems("Les chaussures", "fr") == ["les", "chaussures"]
    assert stems("Running", None) == ["running"]


def test_language_of():
    assert language_of("de-AT") == "de"
    assert language_of("en_GB") == "en"
    assert language_of("DE") == "de"
    assert language_of("") is None
    assert language_of(None) is None


# --- stemming ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Gummis", "Gummi"),
        ("Etuis", "Etui"),
        ("Handys", "Handy"),
        ("Brillen", "Brille"),
        ("Häuser", "Haus"),
        ("Nasenpads", "Nasenpad"),
    ],
)
def test_german_plurals_share_a_stem(a, b):
    assert word_stems(a, "de") == word_stems(b, "de")


@pytest.mark.parametrize(
    ("a", "b"), [("passwords", "password"), ("Orders", "ordering"), ("shipping", "shipped")]
)
def test_english_forms_share_a_stem(a, b):
    assert word_stems(a, "en") == word_stems(b, "en")


def test_stemming_is_thread_safe():
    words = [
        f"{base}{suffix}"
        for base in ("bestell", "versend", "wechsel", "kauf", "lief")
        for suffix in ("ung", "ungen", "en", "t", "te", "ten", "st", "e")
    ]
    expected = [stem(word, "de") for word in words]
    text_module._stem.cache_clear()
    results, errors = [], []

    def work():
        try:
            for _ in range(50):
                results.append([stem(word, "de") for word in words])
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert all(result == expected for result in results)


# --- analyse ------------------------------------------------------------------------------


def test_analyse_keeps_every_step():
    terms = analyse("Die Rückgaben", "de")
    assert terms == [
        Term("Die", "die", "die", 0, TermKind.WORD, True, 0, 3),
        Term("Rückgaben", "ruckgaben", "ruckgab", 1, TermKind.WORD, False, 4, 13),
    ]


def test_analyse_offsets_point_into_the_text():
    text = "Wie ändere ich das Passwort?"
    for term in analyse(text, "de"):
        assert text[term.start : term.end] == term.surface


def test_decomposed_accents_stay_inside_the_word():
    decomposed = unicodedata.normalize("NFD", "Rückgabe")
    assert tokenise(decomposed, "de") == ["ruckgabe"]
    assert tokenise("q\u0303uelle") == ["quelle"]


# --- compounds ---------------------------------------------------------------------------

VOCABULARY = [
    "brille",
    "etui",
    "nasenpad",
    "nase",
    "pad",
    "wechsel",
    "versand",
    "kosten",
    "kunde",
    "konto",
    "liefern",
    "adresse",
    "ein",
    "stellung",
    "ruckgabe",
]


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("brillenetui", ("brille", "etui")),
        ("brillenetuis", ("brille", "etui")),
        ("nasenpadwechsel", ("nasenpad", "nase", "pad", "wechsel")),
        ("versandkosten", ("versand", "kosten")),
        ("kundenkonto", ("kunde", "konto")),
        ("lieferadresse", ("liefern", "adresse")),
    ],
)
def test_compounds_split_into_known_words(word, parts):
    assert CompoundSplitter(VOCABULARY).split(word) == parts


@pytest.mark.parametrize(
    "word", ["einstellung", "brille", "ruckgabe", "padetu", "xyzetui", "etui2go", ""]
)
def test_no_split_without_two_known_parts(word):
    assert CompoundSplitter(VOCABULARY).split(word) == ()


def test_a_tail_that_is_another_form_of_a_known_word_is_a_part():
    splitter = CompoundSplitter(["sendung", "paket", "verfolgen", "bestellen"])
    assert splitter.split("sendungsverfolgung") == ("sendung", "verfolgung")
    assert splitter.split("paketverfolgung") == ("paket", "verfolgung")
    assert splitter.split("paketbestellung") == ("paket", "bestellung")
    assert stem("verfolgung", "de") == stem("verfolgen", "de")


def test_a_head_that_is_another_form_of_a_known_word_is_a_part():
    splitter = CompoundSplitter(["nasenpads", "wechseln", "nase", "pads"])
    assert splitter.split("nasenpadwechsel")[:2] == ("nasenpad", "wechsel")
    assert CompoundSplitter(["paket", "bestellung"]).split("bestellpaket") == ("bestell", "paket")


def test_short_tails_need_to_be_known_words_themselves():
    # "folge" has the stem of "folgen", but tails under six letters are too ambiguous to be
    # taken on their stem alone.
    splitter = CompoundSplitter(["paket", "folgen", "bestellen"])
    assert splitter.split("paketfolge") == ()
    assert splitter.split("paketfolg") == ()
    assert splitter.split("paketbestell") == ("paket", "bestell")


def test_the_more_frequent_split_wins():
    words = {"wachs": 1, "tisch": 1, "wach": 1, "stisch": 1, "wachstisch": 1}
    assert CompoundSplitter(words).split("wachstischdecke") == ()
    words.update({"decke": 5, "tischdecke": 50})
    assert CompoundSplitter(words).split("wachstischdecke")[:2] == ("wachs", "tischdecke")


def test_extended_splitter_knows_more_words():
    base = CompoundSplitter(["etui"])
    assert base.split("brillenetui") == ()
    assert base.extended(["brille"]).split("brillenetui") == ("brille", "etui")
    assert base.split("brillenetui") == ()


def test_analyse_adds_compound_parts_as_extra_terms():
    splitter = CompoundSplitter(VOCABULARY)
    terms = analyse("Das Brillenetui", "de", splitter=splitter)
    assert [(t.normalised, t.stem, t.position, t.kind) for t in searchable(terms)] == [
        ("brillenetui", "brillenetui", 1, TermKind.WORD),
        ("brille", "brill", 1, TermKind.PART),
        ("etui", "etui", 1, TermKind.PART),
    ]
    assert "wechsel" in stems("Nasenpadwechsel", "de", splitter=splitter)
    assert stems("Brillenetui", "en", splitter=splitter) == ["brillenetui"]
