"""A stand-in for the future community forum, installed only by the benchmark settings.

Forum posts are a second `search.registry.SearchSource` with their own haystack index, so the
benchmark searches articles with a large forum index beside them, the way the forum app will
plug in (docs/search.md, "Making other content searchable"). Nothing here ships with the suite.
"""
