"""Members write Markdown; the forum stores and shows it as sanitised HTML.

markdown-it-py renders CommonMark with raw HTML switched off and images left out (a post cannot
load anything from elsewhere); nh3 then keeps only the tags below, only http(s) and mailto
links, and gives every link ``rel="nofollow ugc noopener"``. Both steps run on every save, so a
change to these rules applies to a post the next time it is rendered (`render_markdown`).
"""

import html as html_lib

import nh3
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "del", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "table", "thead", "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}
URL_SCHEMES = {"http", "https", "mailto"}
QUOTE_MAX_LENGTH = 2000

_renderer = (
    MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    .enable(["table", "strikethrough"])
    .disable(["image", "html_block", "html_inline"])
)


def _demote_headings(tokens) -> None:
    # A post sits under the page's h1 and the thread's h2: its headings start at h3.
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            level = min(int(token.tag[1]) + 2, 6)
            token.tag = f"h{level}"


def render_markdown(source: str) -> str:
    """Safe HTML for a member's Markdown."""
    tokens = _renderer.parse(source.replace("\x00", ""))
    _demote_headings(tokens)
    html = _renderer.renderer.render(tokens, _renderer.options, {})
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="nofollow ugc noopener",
        strip_comments=True,
    )


def quote(author_name: str, source: str) -> str:
    """The Markdown a reply starts with when a member quotes a post."""
    lines = source.strip()[:QUOTE_MAX_LENGTH].splitlines() or [""]
    quoted = "\n".join(f"> {line}" if line else ">" for line in lines)
    return f"> **{author_name}:**\n{quoted}\n\n"


def text_of(html: str) -> str:
    """The words of rendered HTML, entities decoded, for search documents and JSON-LD."""
    return html_lib.unescape(nh3.clean(html, tags=set())).strip()


def plain_text(source: str) -> str:
    """The words of a member's Markdown."""
    return text_of(render_markdown(source))
