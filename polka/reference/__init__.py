"""Ask a librarian: the virtual reference service."""
