"""Spare parts and stock plugin (in construction)."""
