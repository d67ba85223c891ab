"""Klarsicht Eyewear: a demo shop whose help center runs on wagtail-helpcenter."""
