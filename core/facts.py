"""Small value objects that plugins hand each other through hooks.

They carry facts across plugin borders so that no plugin imports another
plugin's models (see the "Facts that plugins exchange" hooks in hookspecs.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class InstalledUnit:
    """A piece of equipment in the field."""

    serial: str
    product_model: str
    product_family: str
    maker: str = ""
    installed_on: object = None  # a date, or None when not installed yet
    settings: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PartLine:
    """A quantity of one part used on a job."""

    part_number: str
    quantity: Decimal
    serial: str = ""


@dataclass(frozen=True)
class Authorisation:
    """The answer to "may this person do this work?"."""

    allowed: bool
    reason: str = ""


@dataclass(frozen=True)
class ScoreFact:
    """One line of a dealer's record, counted by another plugin."""

    key: str
    label: str
    value: int
    good: bool
