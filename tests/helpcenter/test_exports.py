"""Exports never hand a spreadsheet program a formula typed by a customer."""

import pytest

from helpcenter.exports import spreadsheet_safe


@pytest.mark.parametrize("text", ["=HYPERLINK(\"x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_formula_starts_are_quoted(text):
    assert spreadsheet_safe(text) == "'" + text


@pytest.mark.parametrize("text", ["Where is my parcel?", "", "1 + 1", 42])
def test_other_text_is_kept(text):
    assert spreadsheet_safe(text) == str(text)
