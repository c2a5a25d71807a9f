"""Dealers and three guarantees plugin (in construction)."""
