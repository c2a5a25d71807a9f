"""Demo data of the spare-parts plugin (Spanish)."""
from __future__ import annotations


def load_demo(app):
    return []
