"""The benchmark's Wagtail-indexed view of the community forum, installed only by the benchmark
settings: Wagtail's database search backend needs an `index.Indexed` model, so a proxy of
`community.Thread` indexes the same rows and text as the help search. Nothing here ships.
"""
