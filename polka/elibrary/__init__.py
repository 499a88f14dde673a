"""E-library: e-book platforms, logins, e-loans, the local-history collection."""
