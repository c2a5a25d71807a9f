"""Demo data of the training plugin (Spanish)."""
from __future__ import annotations


def load_demo(app):
    return []
