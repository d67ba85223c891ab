"""Signals the forum sends; connect to them in your AppConfig.ready.

- `thread_merged(sender=Thread, source=Thread, target=Thread)`: after a moderator merged
  `source` into `target` (inside the transaction; the posts already belong to `target`).
"""

from django.dispatch import Signal

thread_merged = Signal()
"""Sent when a thread was merged into another, with `source=` (the merged thread) and `target=`
(the thread it now lives in); receivers run in the merge's transaction."""
