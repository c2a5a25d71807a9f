"""Time, injected.

Production code never calls ``datetime.now()``; it asks :func:`now`, which reads
the clock the app was built with (``create_app({"CLOCK": ...})``). Tests pass a
:class:`FrozenClock` and move it by hand.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import current_app


class SystemClock:
    """The real clock: timezone-aware UTC."""

    def __call__(self) -> datetime:
        return datetime.now(timezone.utc)


class FrozenClock:
    """A clock that only moves when told to (tests, demo data, benchmarks)."""

    def __init__(self, at: datetime):
        self.at = as_utc(at)

    def __call__(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta | None = None, **kwargs) -> datetime:
        self.at = self.at + (delta or timedelta(**kwargs))
        return self.at

    def set(self, at: datetime) -> None:
        self.at = as_utc(at)


def as_utc(value: datetime) -> datetime:
    """Return ``value`` as aware UTC; naive values are taken to be UTC already.

    SQLite hands back naive datetimes even for ``DateTime(timezone=True)``
    columns, so every comparison goes through here.
    """
    if value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value.astimezone(timezone.utc)


def now() -> datetime:
    """The current time of the running app, aware UTC."""
    return current_app.extensions["postventa"].clock()


def today():
    """The current UTC date of the running app."""
    return now().date()
