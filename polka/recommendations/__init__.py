""" "The librarian recommends": reading lists for an audience."""
