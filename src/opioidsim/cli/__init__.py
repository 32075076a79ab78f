"""Command-line interface (typer): the only place that prints."""
