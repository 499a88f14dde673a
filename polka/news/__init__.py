"""News of the network and its branches, with readers' comments."""
