"""Helpers for the CSV and spreadsheet exports of the admin reports and inboxes."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value) -> str:
    """Customers type these texts: keep spreadsheet programs from running them as formulas."""
    value = str(value)
    return "'" + value if value.startswith(FORMULA_PREFIXES) else value


class SpreadsheetSafeExportMixin:
    """For views with Wagtail's `SpreadsheetExportMixin` (reports, listings): every text cell of
    a CSV or XLSX export goes through `spreadsheet_safe`, whichever column it comes from."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return spreadsheet_safe(value) if isinstance(value, str) else value
