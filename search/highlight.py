"""Short snippets of a result with the customer's words marked, computed only for shown results.

Whoosh's highlighter re-analyses a document's whole stored text for every hit; on help articles
that cost more than the search itself. This scans a bounded start of the text instead.
"""

from django.utils.html import escape

from .text import analyse

SCAN_CHARS = 1500
SCAN_STEP = 400
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
    head = " ".join(text[:scan_chars].split())
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
    """Where `stems` occur in `head`, analysed a step at a time (cut at spaces) until the window
    of `length` after the first match is covered: analysis is the costly part."""
    spans: list[tuple[int, int]] = []
    done = 0
    while done < len(head):
        cut = head.find(" ", done + SCAN_STEP)
        cut = len(head) if cut == -1 else cut
        spans.extend(
            (done + term.start, done + term.end)
            for term in analyse(head[done:cut], language, max_length=None)
            if term.stem in stems and term.end > term.start
        )
        done = cut
        if spans and spans[0][0] + length < done:
            break
    return spans
