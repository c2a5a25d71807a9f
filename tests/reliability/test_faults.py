"""Faults: the database failing in the middle of a settlement or a CSV import leaves no partial
result and a clear error; a deadline worker killed mid-run and restarted, or two workers in
parallel processes, record and escalate each breach exactly once.

The database failure is injected into the real connection: a ``before_cursor_execute``
listener raises the driver's own ``OperationalError`` on the Nth statement that writes a
given table, exactly as a dropped connection or a full disk would surface.
"""
from __future__ import annotations

import signal
import time
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from core.extensions import db

from .clocks import AnswerClock
from .deadline_workers import due_emergencies, finish, start_worker, tally
from .world import row_counts

CASES = 12


@contextmanager
def database_fails_on(engine, verb: str, table: str, nth: int = 1):
    """The Nth ``verb`` (INSERT/UPDATE/DELETE) statement on ``table`` fails as the driver would."""
    seen = {"count": 0, "failed": False}
    needle = {"INSERT": f"INSERT INTO {table}", "UPDATE": f"UPDATE {table}", "DELETE": f"DELETE FROM {table}"}[verb]

    def fail(conn, cursor, statement, parameters, context, executemany):
        words = " ".join(statement.replace('"', "").split()).upper()
        if words.startswith(needle.upper() + " ") or words.startswith(needle.upper() + "("):
            seen["count"] += 1
            if seen["count"] == nth:
                seen["failed"] = True
                raise conn.dialect.loaded_dbapi.OperationalError("injected: the database went away")

    event.listen(engine, "before_cursor_execute", fail)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", fail)


@pytest.fixture
def clocked(make_app):
    app = make_app(POSTVENTA_EXTRA_HOOKS=[AnswerClock()])
    with app.app_context():
        yield app


def test_deadline_worker_killed_mid_run_and_restarted_records_each_breach_once(clocked, database_url):
    case_ids = due_emergencies(CASES)
    slow = start_worker(database_url, seconds_per_breach=0.3)
    deadline = time.monotonic() + 60
    while sum(tally(case_ids)[0].values()) < 3 and slow.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    slow.send_signal(signal.SIGKILL)  # in the middle of an escalation: its transaction is open
    slow.communicate(timeout=30)
    done_before_restart = sum(tally(case_ids)[0].values())
    assert 3 <= done_before_restart < CASES, "the worker was not killed in the middle of its run"
    finish(start_worker(database_url))
    breaches, escalations = tally(case_ids)
    assert breaches == {case_id: 1 for case_id in case_ids}
    assert escalations == {case_id: 1 for case_id in case_ids}


def test_two_deadline_worker_processes_record_each_breach_once(clocked, database_url):
    case_ids = due_emergencies(CASES)
    workers = [start_worker(database_url, seconds_per_breach=0.05) for _ in range(2)]
    outputs = [finish(worker) for worker in workers]
    breaches, escalations = tally(case_ids)
    assert breaches == {case_id: 1 for case_id in case_ids}
    assert escalations == {case_id: 1 for case_id in case_ids}
    recorded = [int(out.strip().rsplit(" ", 1)[-1]) for out in outputs]
    assert sum(recorded) == CASES, outputs
