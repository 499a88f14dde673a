"""Benchmarks: scripts run by `make bench`, each printing the figures of its issue."""
