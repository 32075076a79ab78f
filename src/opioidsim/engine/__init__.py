"""How to integrate: compiles an assembled model and solves batches of subjects.

Knows no biology: it sees states, parameters, inputs and events as numbers.
"""
