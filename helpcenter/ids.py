"""Object ids read from URLs and query strings, where anyone can type anything."""

MAX_ID = 2**63 - 1  # the largest integer every supported database stores


def parse_id(value) -> int | None:
    """A positive integer id, or None for anything else ("abc", "1e5", "-1", too large)."""
    text = str(value if value is not None else "").strip()
    if not text.isdigit() or not text.isascii():
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None
