"""Courses for librarians: programmes, sessions, participants, certificates."""
