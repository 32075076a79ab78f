"""``opioidsim serve``: a page to build a scenario and watch every layer move (Dash)."""
