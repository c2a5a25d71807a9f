"""Warranty and service plugin (in construction)."""
