"""Settings split by environment: base (shared), dev, test, production."""
