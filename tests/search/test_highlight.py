"""Snippets: the customer's words marked in a short window of the result's text."""

from search.highlight import snippet
from search.text import stem


def stems(*words, language="en"):
    return {stem(word, language) for word in words}


def test_marks_every_form_of_a_word_in_the_window():
    text = "Our glasses ship fast. Shipping is free, and each shipment is tracked."
    html = snippet(text, stems("ship"), "en")
    assert html.count("<mark>") == 2  # "ship", "Shipping" (stem "ship"); "shipment" is another
    assert "<mark>ship</mark>" in html
    assert "<mark>Shipping</mark>" in html


def test_german_umlauts_and_their_spellings_meet():
    text = "Die Rückgabe ist kostenlos. Für eine Ruckgabe oder Rueckgabe brauchen Sie den Beleg."
    html = snippet(text, stems("ruckgabe", language="de"), "de")
    assert html.count("<mark>") == 3


def test_a_hyphenated_word_is_marked_whole_when_searched_written_together():
    html = snippet("Send us an E-Mail with your order number.", stems("email"), "en")
    assert "<mark>E-Mail</mark>" in html


def test_text_is_escaped_and_marks_are_the_only_markup():
    html = snippet('<script>alert("x")</script> reset your password here', stems("password"), "en")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>password</mark>" in html


def test_invisible_characters_do_not_shift_the_marks():
    html = snippet("Zero\u200bwidth\u200b marks before the word warranty.", stems("warranty"), "en")
    assert "<mark>warranty</mark>" in html


def test_a_late_match_starts_the_window_near_it():
    text = " ".join(["filler"] * 150) + " the hinge screw is loose " + " ".join(["tail"] * 50)
    html = snippet(text, stems("hinge"), "en", length=80)
    assert html.startswith("… ")
    assert html.endswith(" …")
    assert "<mark>hinge</mark>" in html
    assert len(html) < 80 + 60


def test_no_match_or_no_words_gives_no_snippet():
    assert snippet("Nothing about it here.", stems("refund"), "en") == ""
    assert snippet("", stems("refund"), "en") == ""
    assert snippet("Refund policy", set(), "en") == ""
