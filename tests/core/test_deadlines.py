"""Response clocks: started, paused, met by timeline events; each breach recorded once."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from core.cases.timeline import EventType, record
from core.deadlines import ClockStatus, DeadlineClock, DeadlinePolicy, WorkingHoursCalendar, run_deadlines
from core.extensions import db
from core.hookspecs import hookimpl
from core.jobs import run_due_jobs
from tests import factories


class ResponseClockPlugin:
    """A plugin in miniature: one clock of 30 minutes, paused while waiting for the customer."""

    escalated: list

    def __init__(self):
        self.escalated = []
        self.die_on_breach = False

    @hookimpl
    def postventa_policy_defaults(self):
        return {"testclock.answer_minutes": 30}

    @hookimpl
    def postventa_timeline_event_types(self):
        return [EventType(name, name) for name in ("testclock.answered", "testclock.waiting", "testclock.back")]

    @hookimpl
    def postventa_deadline_policies(self):
        return [DeadlinePolicy(
            name="testclock.answer", label="Answer", duration="testclock.answer_minutes",
            starts_on=frozenset({"case.opened"}), met_on=frozenset({"testclock.answered"}),
            pauses_on=frozenset({"testclock.waiting"}), resumes_on=frozenset({"testclock.back"}),
            applies=lambda case, event: case.is_emergency,
        )]

    @hookimpl
    def postventa_deadline_breached(self, clock, case):
        if self.die_on_breach:
            raise WorkerKilled("the worker died before its commit")
        self.escalated.append((clock.policy, case.number))


class WorkerKilled(Exception):
    pass


@pytest.fixture
def clocked(make_app):
    plugin = ResponseClockPlugin()
    app = make_app([], POSTVENTA_EXTRA_HOOKS=[plugin])  # core alone: no plugin's own clocks
    with app.app_context():
        yield app, plugin


def the_clock(case) -> DeadlineClock:
    db.session.expire_all()
    return db.session.scalars(db.select(DeadlineClock).where(DeadlineClock.case_id == case.id)).one()


def test_clock_starts_only_where_the_policy_applies(clocked):
    normal = factories.case(priority="normal")
    emergency = factories.case(priority="emergency")
    assert db.session.scalar(db.select(db.func.count()).where(DeadlineClock.case_id == normal.id)) == 0
    assert the_clock(emergency).status == ClockStatus.RUNNING


def test_clock_met_before_due_is_never_breached(clocked, clock):
    app, plugin = clocked
    case = factories.case(priority="emergency")
    clock.advance(minutes=29)
    record(case, "testclock.answered")
    db.session.commit()
    clock.advance(hours=5)
    assert run_deadlines() == 0
    assert the_clock(case).status == ClockStatus.MET and the_clock(case).breached_at is None
    assert plugin.escalated == []


def test_breach_is_recorded_once_and_escalated_once(clocked, clock):
    app, plugin = clocked
    case = factories.case(priority="emergency")
    clock.advance(minutes=31)
    assert run_deadlines() == 1
    assert run_deadlines() == 0  # a second worker, or the same one restarted
    breaches = [e for e in case_events(case) if e.type == "deadline.breached"]
    assert len(breaches) == 1 and breaches[0].payload["policy"] == "testclock.answer"
    assert plugin.escalated == [("testclock.answer", case.number)]


def test_worker_killed_after_claiming_leaves_no_half_breach(clocked, clock):
    """A worker dies between claiming and committing: the rollback frees the claim, the restart records it once."""
    app, plugin = clocked
    case = factories.case(priority="emergency")
    clock.advance(minutes=45)
    plugin.die_on_breach = True
    with pytest.raises(WorkerKilled):
        run_deadlines()
    db.session.rollback()
    assert the_clock(case).breached_at is None
    plugin.die_on_breach = False
    assert run_deadlines() == 1
    assert len([e for e in case_events(case) if e.type == "deadline.breached"]) == 1


def test_paused_clock_keeps_its_remaining_time(clocked, clock):
    case = factories.case(priority="emergency")
    clock.advance(minutes=10)
    record(case, "testclock.waiting")
    db.session.commit()
    clock.advance(hours=3)
    assert run_deadlines() == 0
    record(case, "testclock.back")
    db.session.commit()
    resumed = the_clock(case)
    assert resumed.status == ClockStatus.RUNNING
    assert resumed.due_at == clock() + timedelta(minutes=20)


def test_policy_override_changes_the_duration(make_app, clock):
    app = make_app([], POSTVENTA_EXTRA_HOOKS=[ResponseClockPlugin()],
                   POSTVENTA_POLICIES={"testclock.answer_minutes": 5})
    with app.app_context():
        case = factories.case(priority="emergency")
        assert the_clock(case).due_at == clock() + timedelta(minutes=5)


def test_unknown_policy_override_stops_the_start(make_app):
    from core.policies import UnknownPolicy

    with pytest.raises(UnknownPolicy):
        make_app(POSTVENTA_POLICIES={"core.no_such_thing": 1})


def test_deadlines_run_from_the_scheduled_job(clocked, clock):
    case = factories.case(priority="emergency")
    clock.advance(hours=1)
    assert "core.deadlines" in run_due_jobs()
    assert the_clock(case).breached_at is not None
    assert run_due_jobs() == []  # not due again within its interval


def test_deadlines_cli_records_breaches(clocked, clock):
    app, _ = clocked
    factories.case(priority="emergency")
    clock.advance(hours=1)
    result = app.test_cli_runner().invoke(args=["deadlines", "run"])
    assert result.exit_code == 0 and "breaches recorded: 1" in result.output


def test_working_hours_calendar_skips_nights_and_weekends():
    calendar = WorkingHoursCalendar()
    friday_evening = datetime(2026, 3, 6, 16, 30, tzinfo=timezone.utc)  # 17:30 in Madrid
    due = calendar.add(friday_evening, timedelta(hours=2))
    # 30 minutes on Friday, 90 on Monday from 08:00 Madrid (07:00 UTC)
    assert due == datetime(2026, 3, 9, 8, 30, tzinfo=timezone.utc)
    assert calendar.elapsed(friday_evening, due) == timedelta(hours=2)


def test_case_page_shows_time_left(clocked, clock):
    client = clocked[0].test_client()
    staff = factories.user(["customer_service"])
    case = factories.case(priority="emergency")
    from tests.conftest import login

    login(client, staff.username)
    clock.advance(minutes=10)
    html = client.get(f"/cases/{case.id}").get_data(as_text=True)
    assert "0 h 20 min" in html


def case_events(case):
    from core.cases.models import TimelineEvent

    db.session.expire_all()
    return list(db.session.scalars(db.select(TimelineEvent).where(TimelineEvent.case_id == case.id)))
