"""Validation: published data sets and the report of every experiment."""
