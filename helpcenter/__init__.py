"""The help-center root page, the shared layout and the helpers the other apps use."""
