"""Demo data: each plugin loads its own, in dependency order (``flask demo load``)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class DemoLogin:
    """A demo user a plugin created, printed with its password after the load."""

    username: str
    password: str
    role: str
    organisation: str
