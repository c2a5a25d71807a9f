"""Response-time clocks that plugins declare and core runs.

A :class:`DeadlinePolicy` says which timeline event starts a clock, which one
meets it, which pause and resume it, how long it runs and on which calendar.
Core watches every timeline event (see :func:`on_case_event`), keeps one
:class:`DeadlineClock` row per case and policy, and ``flask deadlines run``
records each breach exactly once: the breach is claimed with a conditional
``UPDATE ... WHERE breached_at IS NULL`` and written to the timeline in the
same transaction, so a worker killed and restarted never records it twice.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Callable
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import ForeignKey, Index, String, select, update
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.clock import as_utc, now
from core.extensions import db
from core.models_base import UTCDateTime
from core.policies import policy


# --- Calendars ------------------------------------------------------------------

class AlwaysCalendar:
    """Every minute counts: emergency clocks run through nights and weekends."""

    name = "always"

    def add(self, start: datetime, duration: timedelta) -> datetime:
        return start + duration

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        return max(end - start, timedelta(0))


@dataclass(frozen=True)
class WorkingHoursCalendar:
    """Only working hours count (default Monday-Friday 08:00-18:00, Madrid)."""

    name: str = "working_hours"
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    opens: time = time(8, 0)
    closes: time = time(18, 0)
    zone: str = "Europe/Madrid"

    def _windows(self, start: datetime):
        """Working windows (aware UTC pairs) from the day of ``start`` on."""
        tz = ZoneInfo(self.zone)
        day = start.astimezone(tz).date()
        while True:
            if day.weekday() in self.weekdays:
                yield (
                    datetime.combine(day, self.opens, tz).astimezone(ZoneInfo("UTC")),
                    datetime.combine(day, self.closes, tz).astimezone(ZoneInfo("UTC")),
                )
            day += timedelta(days=1)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        remaining = duration
        for opens, closes in self._windows(start):
            if closes <= start:
                continue
            begin = max(opens, start)
            if begin + remaining <= closes:
                return begin + remaining
            remaining -= closes - begin
        raise AssertionError("unreachable: the windows never end")

    def elapsed(self, start: datetime, end: datetime) -> timedelta:
        total = timedelta(0)
        for opens, closes in self._windows(start):
            if opens >= end:
                return total
            begin, finish = max(opens, start), min(closes, end)
            if finish > begin:
                total += finish - begin
        return total


CALENDARS = {"always": AlwaysCalendar(), "working_hours": WorkingHoursCalendar()}


# --- Policies -------------------------------------------------------------------

@dataclass(frozen=True)
class DeadlinePolicy:
    """A response clock a plugin declares.

    :param name: unique, prefixed by its plugin (``"warranty.s1_answer"``).
    :param label: translatable label shown on the case page and in lists.
    :param duration: a :class:`timedelta`, or the name of a policy whose value is
        a number of minutes (so deployments can change it).
    :param starts_on: event types that start the clock.
    :param met_on: event types that meet (stop) it.
    :param pauses_on: event types that pause it (waiting for the customer, ...).
    :param resumes_on: event types that resume a paused clock.
    :param applies: ``applies(case, event) -> bool``; the clock starts only when true.
    :param calendar: ``"always"`` or ``"working_hours"``.
    """

    name: str
    label: object
    duration: timedelta | str
    starts_on: frozenset[str]
    met_on: frozenset[str]
    pauses_on: frozenset[str] = frozenset()
    resumes_on: frozenset[str] = frozenset()
    applies: Callable = field(default=lambda case, event: True, compare=False)
    calendar: str = "always"

    def length(self) -> timedelta:
        if isinstance(self.duration, timedelta):
            return self.duration
        return timedelta(minutes=float(policy(self.duration)))


class ClockStatus:
    RUNNING = "running"
    PAUSED = "paused"
    MET = "met"
    ALL = (RUNNING, PAUSED, MET)


class DeadlineClock(db.Model):
    """One clock of one policy on one case."""

    __tablename__ = "core_deadline_clock"
    __table_args__ = (
        Index("ix_core_deadline_clock_due", "status", "breached_at", "due_at"),
        Index("ix_core_deadline_clock_case", "case_id", "policy"),
    )
    __audit__ = False  # every change to a clock is an event on the case timeline

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"))
    policy: Mapped[str] = mapped_column(String(80))
    status: Mapped[str] = mapped_column(String(20), default=ClockStatus.RUNNING)
    started_at = mapped_column(UTCDateTime)
    due_at = mapped_column(UTCDateTime, nullable=True)  # None while paused
    paused_at = mapped_column(UTCDateTime, nullable=True)
    remaining_seconds: Mapped[int | None] = mapped_column(nullable=True)
    met_at = mapped_column(UTCDateTime, nullable=True)
    breached_at = mapped_column(UTCDateTime, nullable=True)

    case = relationship("Case")

    @property
    def is_breached(self) -> bool:
        return self.breached_at is not None

    def time_left(self, at: datetime) -> timedelta | None:
        """Time left until due (negative when overdue); None when met or paused."""
        if self.status != ClockStatus.RUNNING or self.due_at is None:
            return None
        return as_utc(self.due_at) - at


def deadline_policies() -> dict[str, DeadlinePolicy]:
    return current_app.extensions["postventa"].deadline_policies


def _calendar(p: DeadlinePolicy):
    return CALENDARS[p.calendar]


def on_case_event(case, event) -> None:
    """Start, pause, resume or meet the case's clocks for one timeline event."""
    policies = deadline_policies()
    if not policies:
        return
    relevant = [
        p for p in policies.values()
        if event.type in p.starts_on | p.met_on | p.pauses_on | p.resumes_on
    ]
    if not relevant:
        return
    at = as_utc(event.occurred_at)
    existing = {
        c.policy: c
        for c in db.session.scalars(
            select(DeadlineClock).where(
                DeadlineClock.case_id == case.id,
                DeadlineClock.policy.in_([p.name for p in relevant]),
            )
        )
    }
    for p in relevant:
        clock = existing.get(p.name)
        if event.type in p.starts_on and clock is None and p.applies(case, event):
            db.session.add(
                DeadlineClock(
                    case_id=case.id,
                    policy=p.name,
                    status=ClockStatus.RUNNING,
                    started_at=at,
                    due_at=_calendar(p).add(at, p.length()),
                )
            )
        elif clock is None:
            continue
        elif event.type in p.met_on and clock.status != ClockStatus.MET:
            clock.status = ClockStatus.MET
            clock.met_at = at
            clock.due_at = clock.due_at or at
        elif event.type in p.pauses_on and clock.status == ClockStatus.RUNNING:
            clock.status = ClockStatus.PAUSED
            clock.paused_at = at
            clock.remaining_seconds = int((as_utc(clock.due_at) - at).total_seconds())
            clock.due_at = None
        elif event.type in p.resumes_on and clock.status == ClockStatus.PAUSED:
            clock.status = ClockStatus.RUNNING
            clock.due_at = _calendar(p).add(at, timedelta(seconds=clock.remaining_seconds or 0))
            clock.paused_at = None


def run_deadlines(batch_size: int = 500) -> int:
    """Record every breach that is due and not yet recorded. Returns how many.

    Each breach is its own transaction: claimed with a conditional UPDATE, written
    to the timeline, escalated through ``postventa_deadline_breached``, committed.
    A second worker, or this one restarted, finds the row claimed and skips it.
    """
    from core.cases.timeline import record

    hook = current_app.extensions["postventa"].hook
    recorded = 0
    while True:
        at = now()
        due_ids = db.session.scalars(
            select(DeadlineClock.id)
            .where(
                DeadlineClock.status == ClockStatus.RUNNING,
                DeadlineClock.breached_at.is_(None),
                DeadlineClock.due_at <= at,
            )
            .order_by(DeadlineClock.due_at, DeadlineClock.id)
            .limit(batch_size)
        ).all()
        db.session.rollback()
        if not due_ids:
            return recorded
        for clock_id in due_ids:
            claimed = db.session.execute(
                update(DeadlineClock)
                .where(DeadlineClock.id == clock_id, DeadlineClock.breached_at.is_(None))
                .values(breached_at=at)
                .execution_options(synchronize_session=False)
            ).rowcount
            if not claimed:
                db.session.rollback()
                continue
            clock = db.session.get(DeadlineClock, clock_id, populate_existing=True)
            p = deadline_policies().get(clock.policy)
            record(
                clock.case,
                "deadline.breached",
                {"policy": clock.policy, "label": str(p.label) if p else clock.policy,
                 "due_at": as_utc(clock.due_at).isoformat()},
                at=at,
            )
            hook.postventa_deadline_breached(clock=clock, case=clock.case)
            db.session.commit()
            recorded += 1


def clocks_for_case(case_id: int) -> list[DeadlineClock]:
    """The case's clocks, in the order they started."""
    return list(
        db.session.scalars(
            select(DeadlineClock).where(DeadlineClock.case_id == case_id).order_by(DeadlineClock.started_at, DeadlineClock.id)
        )
    )
