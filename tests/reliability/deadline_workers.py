"""Deadline workers for the fault and concurrency tests: cases whose clocks fell due, worker
subprocesses (``flask deadlines run``) and the per-case tally of breaches and escalations."""
from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter

from sqlalchemy import func, select

from core.cases.models import TimelineEvent
from core.cases.services import open_case
from core.deadlines import DeadlineClock
from core.extensions import db
from tests import factories
from tests.conftest import ALL_PLUGINS

from .clocks import ESCALATED, POLICY
from .world import PROJECT_ROOT


def due_emergencies(count: int) -> list[int]:
    """``count`` emergency cases whose answer clocks are due (on the frozen clock + 31 min)."""
    customer = factories.org()
    ids = [open_case(f"Urgencia {n}", customer.id, priority="emergency").id for n in range(count)]
    db.session.commit()
    return ids


def tally(case_ids: list[int]) -> tuple[Counter, Counter]:
    """(breaches of the reliability clock, escalations) per case id, read from the timelines."""
    db.session.rollback()
    rows = db.session.execute(
        select(TimelineEvent.case_id, TimelineEvent.type, TimelineEvent.payload)
        .where(TimelineEvent.case_id.in_(case_ids), TimelineEvent.type.in_(["deadline.breached", ESCALATED]))
    ).all()
    db.session.rollback()
    breaches = Counter(r.case_id for r in rows if r.type == "deadline.breached" and r.payload.get("policy") == POLICY)
    escalations = Counter(r.case_id for r in rows if r.type == ESCALATED)
    return breaches, escalations


def every_breach(case_ids: list[int]) -> tuple[set, Counter]:
    """(clocks marked breached, breach events per clock) on these cases, for every plugin's clocks.

    A clock is keyed by (case id, policy); each breached clock must have exactly one event.
    """
    db.session.rollback()
    breached = {tuple(row) for row in db.session.execute(select(DeadlineClock.case_id, DeadlineClock.policy).where(
        DeadlineClock.case_id.in_(case_ids), DeadlineClock.breached_at.is_not(None)))}
    rows = db.session.execute(select(TimelineEvent.case_id, TimelineEvent.payload).where(
        TimelineEvent.case_id.in_(case_ids), TimelineEvent.type == "deadline.breached")).all()
    db.session.rollback()
    return breached, Counter((r.case_id, r.payload.get("policy")) for r in rows)


def due_clocks(case_ids: list[int], at) -> int:
    """Clocks on these cases that are running and due at ``at``."""
    count = db.session.scalar(select(func.count(DeadlineClock.id)).where(
        DeadlineClock.case_id.in_(case_ids), DeadlineClock.status == "running",
        DeadlineClock.breached_at.is_(None), DeadlineClock.due_at <= at))
    db.session.rollback()
    return count


def start_worker(database_url: str, seconds_per_breach: float = 0.0) -> subprocess.Popen:
    """``flask deadlines run`` in its own process, on the same database, on the system clock."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "POSTVENTA_PLUGINS": ",".join(ALL_PLUGINS) or "none",
        "RELIABILITY_BREACH_SECONDS": str(seconds_per_breach),
        "PYTHONPATH": PROJECT_ROOT,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "tests.reliability.worker_app", "deadlines", "run"],
        cwd=PROJECT_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )


def finish(worker: subprocess.Popen, timeout: float = 60) -> str:
    out, err = worker.communicate(timeout=timeout)
    assert worker.returncode == 0, f"worker failed ({worker.returncode}):\n{out}\n{err}"
    return out
