"""Polka: a library services platform for networks of public libraries."""
