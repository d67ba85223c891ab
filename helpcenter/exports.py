"""Helpers for the CSV and spreadsheet exports of the admin reports and inboxes."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """Customers type these texts: keep spreadsheet programs from running them as formulas."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value
