"""Receptor modules: kinetic, competitive binding of every ligand present."""
