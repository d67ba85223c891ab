"""Signals of the community forum (connect receivers in your AppConfig.ready)."""

from django.dispatch import Signal

thread_merged = Signal()
"""Sent when a thread was merged into another, with `source=` (the merged thread) and `target=`
(the thread it now lives in); receivers run in the merge's transaction."""
