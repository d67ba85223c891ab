import pickle

import pytest
from whoosh import query
from whoosh.fields import ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from search.analyzers import PART_BOOST, HelpAnalyzer, get_lexicon, register_lexicon
from search.text import CompoundSplitter, TermKind, analyse, searchable

GERMAN_DOCS = {
    "ruckgabe": "Rückgabe einer Bestellung: So senden Sie Ware zurück.",
    "etui": "Das Brillenetui ist aus Leder.",
    "brille": "Die Brille reinigen Sie mit dem Tuch.",
    "nasenpad": "Nasenpadwechsel in fünf Minuten.",
    "email": "Passwort per E-Mail ändern",
    "stop": "Was ist das?",
}
ENGLISH_DOCS = {
    "issues": "Known issues with passwords",
    "shoes": "The blue shoes are true classics",
    "shipping": "Shipping costs for parcels",
}


@pytest.fixture
def lexicon():
    register_lexicon("test", CompoundSplitter(["brille", "etui", "nasenpad", "wechsel"]))
    yield "test"
    register_lexicon("test", None)


def build_index(lexicon_name=None):
    schema = Schema(
        id=ID(stored=True, unique=True),
        de=TEXT(analyzer=HelpAnalyzer("de", lexicon=lexicon_name)),
        en=TEXT(analyzer=HelpAnalyzer("en")),
    )
    storage = RamStorage()
    index = storage.create_index(schema)
    writer = index.writer()
    for key, text in GERMAN_DOCS.items():
        writer.add_document(id=key, de=text)
    for key, text in ENGLISH_DOCS.items():
        writer.add_document(id=key, en=text)
    writer.commit()
    return storage.open_index()  # reads the pickled schema back


def search(index, field, text, locale):
    terms = [query.Term(field, term.stem) for term in searchable(analyse(text, locale))]
    with index.searcher() as searcher:
        return [hit["id"] for hit in searcher.search(query.Or(terms), limit=None)]


def test_analyzer_pickles_with_plain_attributes():
    analyzer = HelpAnalyzer("de-CH", lexicon="default")
    copy = pickle.loads(pickle.dumps(analyzer))  # noqa: S301 - our own bytes, as Whoosh does
    assert copy == analyzer
    assert vars(copy) == {"locale": "de-CH", "lexicon": "default", "split_compounds": True}
    assert copy != HelpAnalyzer("en")
    assert "de-CH" in repr(copy)


def test_the_pickled_schema_keeps_the_analyzer():
    index = build_index("default")
    assert index.schema["de"].analyzer == HelpAnalyzer("de", lexicon="default")


@pytest.mark.parametrize(
    "text",
    [
        "Rückgabe der Brillenetuis per E-Mail, bitte!",
        "How do I change my password? Issues with e-mail",
        "",
        "\x00 \u200b 👍",
        '(AND) OR "*"',
    ],
)
@pytest.mark.parametrize("locale", ["de", "en"])
def test_query_mode_tokens_equal_the_query_side_stems(text, locale):
    analyzer = HelpAnalyzer(locale)
    tokens = [token.text for token in analyzer(text, mode="query")]
    assert tokens == [
        t.stem
        for t in searchable(analyse(text, locale, max_length=None))
        if t.kind == TermKind.WORD
    ]


@pytest.mark.parametrize("text", ["Rückgabe", "Ruckgabe", "Rueckgabe", "Rückgaben", "RÜCKGABE"])
def test_german_spellings_find_the_document(text):
    assert search(build_index(), "de", text, "de") == ["ruckgabe"]


def test_compound_parts_are_found_with_a_lexicon(lexicon):
    index = build_index(lexicon)
    assert sorted(search(index, "de", "Etui", "de")) == ["etui"]
    assert sorted(search(index, "de", "Brille", "de")) == ["brille", "etui"]
    assert search(index, "de", "Wechsel", "de") == ["nasenpad"]
    assert search(index, "de", "Nasenpad", "de") == ["nasenpad"]


def test_whole_words_rank_above_compound_parts(lexicon):
    assert search(build_index(lexicon), "de", "Brille", "de") == ["brille", "etui"]


def test_without_a_lexicon_compounds_are_not_split():
    assert get_lexicon("missing") is None
    index = build_index("missing")
    assert search(index, "de", "Etui", "de") == []
    assert search(index, "de", "Brillenetui", "de") == ["etui"]


def test_a_document_splits_compounds_against_its_own_words():
    analyzer = HelpAnalyzer("de")
    tokens = [
        (t.text, t.pos, t.boost)
        for t in analyzer("Das Brillenetui: eine Brille im Etui", positions=True, mode="index")
    ]
    assert ("brill", 1, PART_BOOST) in tokens and ("etui", 1, PART_BOOST) in tokens
    assert ("brillenetui", 1, 1.0) in tokens


def test_hyphenated_words_are_found_written_together():
    index = build_index()
    assert search(index, "de", "Email", "de") == ["email"]
    assert search(index, "de", "Mail", "de") == ["email"]
    assert search(index, "de", "ändern", "de") == ["email"]


def test_english_documents(lexicon):
    index = build_index(lexicon)
    assert search(index, "en", "issue", "en") == ["issues"]
    assert search(index, "en", "password", "en") == ["issues"]
    assert search(index, "en", "shoe", "en") == ["shoes"]
    assert search(index, "en", "true blue", "en") == ["shoes"]
    assert search(index, "en", "parcel shipped", "en") == ["shipping"]


def test_stop_words_are_not_indexed_unless_the_text_has_nothing_else():
    index = build_index()
    with index.searcher() as searcher:
        assert not searcher.search(query.Term("en", "the"))
        assert not searcher.search(query.Term("de", "ein"))
    assert search(index, "de", "was ist das", "de") == ["stop"]


def test_positions_characters_and_stopped_tokens():
    text = "Wie ändere ich das Passwort?"
    tokens = list(
        HelpAnalyzer("de")(
            text, positions=True, chars=True, removestops=False, keeporiginal=True, start_pos=10
        )
    )
    assert [(t.text, t.pos, t.stopped) for t in tokens] == [
        ("wie", 10, True),
        ("and", 11, False),
        ("ich", 12, True),
        ("das", 13, True),
        ("passwort", 14, False),
    ]
    assert [text[t.startchar : t.endchar] for t in tokens] == [t.original for t in tokens]
    removed = [t.text for t in HelpAnalyzer("de")(text)]
    assert removed == ["and", "passwort"]


def test_character_offsets_survive_line_breaks():
    text = "Erste Zeile.\n\n  Zweite\tZeile mit Ümlaut"
    tokens = list(HelpAnalyzer("de")(text, chars=True, keeporiginal=True, start_char=0))
    assert [text[t.startchar : t.endchar] for t in tokens] == [
        "Erste",
        "Zeile",
        "Zweite",
        "Zeile",
        "Ümlaut",
    ]


def test_spelling_mode_yields_unstemmed_words():
    tokens = [t.text for t in HelpAnalyzer("de")("Die Rückgaben", no_morph=True)]
    assert tokens == ["ruckgaben"]


def test_untokenised_values_give_one_token():
    tokens = list(HelpAnalyzer("de")("Rückgaben  Brille", tokenize=False))
    assert [t.text for t in tokens] == ["ruckgaben brille"]


@pytest.mark.parametrize("value", ["", " ", "\x00", "👍🙂", "\u202e\u200b", "(", "a" * 100_000])
def test_hostile_values(value):
    tokens = [t.text for t in HelpAnalyzer("de")(value, mode="index")]
    assert all(token.isalnum() and len(token) <= 64 for token in tokens)
