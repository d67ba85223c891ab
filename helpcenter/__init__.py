"""The help-center root page, the shared layout and the helpers every other app of the suite uses."""
