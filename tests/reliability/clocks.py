"""A response clock for the deadline-worker tests, shared by the test app and the worker subprocesses.

Every emergency case gets a 30-minute answer clock. Escalating a breach writes a
``reliability.escalated`` event on the case in the breach's own transaction, so the
database itself says how many times each breach was escalated (across processes).
``RELIABILITY_BREACH_SECONDS`` makes each escalation slow, so a test can kill a
worker in the middle of its run.
"""
from __future__ import annotations

import os
import time

from core.cases.timeline import EventType, record
from core.deadlines import DeadlinePolicy
from core.hookspecs import hookimpl

POLICY = "reliability.answer"
ESCALATED = "reliability.escalated"


class AnswerClock:
    @hookimpl
    def postventa_policy_defaults(self):
        return {"reliability.answer_minutes": 30}

    @hookimpl
    def postventa_timeline_event_types(self):
        return [EventType(ESCALATED, "Escalated")]

    @hookimpl
    def postventa_deadline_policies(self):
        return [DeadlinePolicy(
            name=POLICY, label="Answer", duration="reliability.answer_minutes",
            starts_on=frozenset({"case.opened"}), met_on=frozenset(),
            applies=lambda case, event: case.is_emergency,
        )]

    @hookimpl
    def postventa_deadline_breached(self, clock, case):
        if clock.policy != POLICY:
            return
        record(case, ESCALATED, {"pid": os.getpid()})
        time.sleep(float(os.environ.get("RELIABILITY_BREACH_SECONDS", "0")))
