"""Short snippets of a result with the customer's words marked, computed only for shown results.

Whoosh's highlighter re-analyses a document's whole stored text for every hit; on help articles
that cost more than the search itself. This scans a bounded start of the text instead, with
words stemmed once per process (`search.text.stem_spans`).
"""

from django.utils.html import escape

from .text import clean, stem_spans

SCAN_CHARS = 1500
SNIPPET_CHARS = 180


def snippet(
    text: str,
    stems: set[str],
    language: str,
    *,
    scan_chars: int = SCAN_CHARS,
    length: int = SNIPPET_CHARS,
) -> str:
    """HTML: about `length` characters of `text` around its first matches, matches in <mark>."""
    head = " ".join(clean(text[:scan_chars], None).split())
    if not head or not stems:
        return ""
    spans = _spans(head, stems, language, length)
    if not spans:
        return ""
    start = max(0, spans[0][0] - length // 4)
    start = head.rfind(" ", 0, start) + 1 if start else 0
    end = min(len(head), start + length)
    end = head.find(" ", end) if head.find(" ", end) != -1 else len(head)
    parts, cursor = [], start
    for span_start, span_end in spans:
        if span_start < cursor or span_end > end:
            continue
        parts.append(escape(head[cursor:span_start]))
        parts.append(f"<mark>{escape(head[span_start:span_end])}</mark>")
        cursor = span_end
    parts.append(escape(head[cursor:end]))
    prefix = "… " if start else ""
    suffix = " …" if end < len(head) else ""
    return prefix + "".join(parts) + suffix


def _spans(head: str, stems: set[str], language: str, length: int) -> list[tuple[int, int]]:
    """Where `stems` occur in `head` (a hyphen chain before its words), up to the end of the
    window of `length` after the first match."""
    spans: list[tuple[int, int]] = []
    for start, end, word_stems in stem_spans(head, language):
        if spans and start > spans[0][0] + length:
            break
        if not stems.isdisjoint(word_stems):
            spans.append((start, end))
    return sorted(spans, key=lambda span: (span[0], -span[1]))
