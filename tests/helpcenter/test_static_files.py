"""The apps' style sheets are well-formed: a brace lost in a merge silently drops every rule after
it (the forum's honeypot field showed up that way)."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ["helpcenter", "faq", "search", "contactform", "community", "example_site"]
STYLE_SHEETS = sorted(path for app in APPS for path in (ROOT / app / "static").rglob("*.css"))


def test_there_are_style_sheets_to_check():
    assert len(STYLE_SHEETS) >= 5


@pytest.mark.parametrize("path", STYLE_SHEETS, ids=lambda path: str(path.relative_to(ROOT)))
def test_every_rule_of_a_style_sheet_is_closed(path):
    depth = 0
    in_comment = False
    text = path.read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), start=1):
        index = 0
        while index < len(line):
            if in_comment:
                end = line.find("*/", index)
                if end < 0:
                    break
                in_comment, index = False, end + 2
                continue
            if line.startswith("/*", index):
                in_comment, index = True, index + 2
                continue
            depth += {"{": 1, "}": -1}.get(line[index], 0)
            assert depth >= 0, f"{path.name}:{number} closes a rule that was never opened"
            index += 1
        if line.rstrip().endswith("{") and depth == 1:
            opened_at = number
    assert depth == 0, f"{path.name}: the rule opened at line {opened_at} is never closed"
