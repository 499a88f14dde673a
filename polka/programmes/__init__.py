"""Projects, reading programmes and book exhibitions."""
