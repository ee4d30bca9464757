"""Relation rules, one module per family; each reads a Context and returns Facts."""
