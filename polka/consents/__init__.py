"""Consents: each purpose its own recorded document (who, when, from where, which text)."""
