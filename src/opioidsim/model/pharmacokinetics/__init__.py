"""Pharmacokinetics: one module per drug (and its metabolites)."""
