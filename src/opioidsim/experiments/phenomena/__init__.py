"""One file per phenomenon id."""
