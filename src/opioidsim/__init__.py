"""opioidsim."""
