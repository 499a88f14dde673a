"""The literary calendar: writers' anniversaries."""
