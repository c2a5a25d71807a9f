"""Faults: the database failing in the middle of a settlement or a CSV import leaves no partial
result and a clear error; a deadline worker killed mid-run and restarted, or two workers in
parallel processes, record and escalate each breach exactly once.

The database failure is injected into the real connection: a ``before_cursor_execute``
listener raises the driver's own ``OperationalError`` on the Nth statement that writes a
given table, exactly as a dropped connection or a full disk would surface.
"""
from __future__ import annotations

import io
import signal
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from core.clock import today
from core.extensions import db
from tests import factories
from tests.conftest import login, needs_plugins

from .clocks import AnswerClock
from .deadline_workers import due_emergencies, every_breach, finish, start_worker, tally
from .world import changed, row_counts

CASES = 8


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
    slow = start_worker(database_url, seconds_per_breach=0.2)
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
    breached, per_clock = every_breach(case_ids)
    assert per_clock == {key: 1 for key in breached}


def test_two_deadline_worker_processes_record_each_breach_once(clocked, database_url):
    case_ids = due_emergencies(CASES)
    workers = [start_worker(database_url, seconds_per_breach=0.02) for _ in range(2)]
    outputs = [finish(worker) for worker in workers]
    breaches, escalations = tally(case_ids)
    assert breaches == {case_id: 1 for case_id in case_ids}
    assert escalations == {case_id: 1 for case_id in case_ids}
    recorded = [int(out.strip().rsplit(" ", 1)[-1]) for out in outputs]
    breached, per_clock = every_breach(case_ids)  # every plugin's clocks on these cases, too
    assert sum(recorded) == len(breached) and per_clock == {key: 1 for key in breached}, outputs


# --- The database failing in the middle of a settlement or an import ---------------------

def assert_failed_cleanly(response):
    """The request failed as a whole: a server error, and nothing of the failure shown to the user."""
    html = response.get_data(as_text=True)
    assert response.status_code in (500, 503), response.status_code
    assert "Traceback" not in html and "injected" not in html and "INSERT" not in html


@pytest.fixture
def failing_app(make_app, request):
    """An app of just the plugins the test needs, answering a server error as in production
    (with its error page: exceptions do not propagate to the test)."""
    app = make_app(request.param, PROPAGATE_EXCEPTIONS=False)
    with app.app_context():
        yield app


def with_plugins(*names):
    """The test needs these plugins (skipped otherwise) and runs on an app of exactly them."""
    def mark(test):
        test = pytest.mark.parametrize("failing_app", [list(names)], indirect=True, ids=["+".join(names) or "core"])(test)
        return needs_plugins(*names)(test)
    return mark


def staff_client(app, roles):
    client = app.test_client()
    login(client, factories.user(roles).username)
    return client


@with_plugins("warranty", "dealers")
def test_settlement_interrupted_by_the_database_issues_nothing(failing_app):
    from plugins.dealers.models import Claim, ClaimState, FeeNotice
    from tests.dealers import builders

    org = builders.dealer()
    user = builders.dealer_user(org)
    claim_ids = [builders.verified_claim(org, builders.sale(org), user).id for _ in range(3)]
    client = staff_client(failing_app, ["finance"])
    period = {"period_start": (today() - timedelta(days=1)).isoformat(), "period_end": today().isoformat(),
              "dealer_id": "0"}
    before = row_counts()
    # The claims are already moved onto the notice when the timeline write fails.
    with database_fails_on(db.engine, "INSERT", "core_timeline_event") as fault:
        response = client.post("/dealers/notices/issue", data=period)
    assert fault["failed"], "the settlement never wrote the timeline: the fault was not injected"
    assert_failed_cleanly(response)
    assert changed(before, row_counts()) == []
    states = db.session.execute(select(Claim.state, Claim.notice_id).where(Claim.id.in_(claim_ids))).all()
    assert states == [(ClaimState.VERIFIED, None)] * 3
    assert client.post("/dealers/notices/issue", data=period).status_code == 302  # the retry settles them all
    db.session.rollback()
    [notice] = db.session.scalars(select(FeeNotice)).all()
    assert notice.claim_count == 3


@with_plugins("warranty", "dealers")
def test_confirmation_interrupted_by_the_database_credits_nothing_and_the_retry_credits_once(failing_app):
    from plugins.dealers.models import Claim, ClaimState, FeeNotice, LedgerEntry, NoticeState
    from plugins.dealers.services import settlement
    from tests.dealers import builders

    org = builders.dealer()
    manager = builders.dealer_user(org)
    builders.verified_claim(org, builders.sale(org), manager)
    [notice] = settlement.issue_notices(today() - timedelta(days=1), today())
    db.session.commit()
    notice_id = notice.id
    client = failing_app.test_client()
    login(client, manager.username)
    before = row_counts()
    with database_fails_on(db.engine, "INSERT", "dealers_ledger_entry") as fault:
        response = client.post(f"/dealers/notices/{notice_id}/confirm", data={})
    assert fault["failed"]
    assert_failed_cleanly(response)
    assert changed(before, row_counts()) == []
    db.session.rollback()
    assert db.session.get(FeeNotice, notice_id).state == NoticeState.ISSUED
    assert client.post(f"/dealers/notices/{notice_id}/confirm", data={}).status_code == 302
    assert client.post(f"/dealers/notices/{notice_id}/confirm", data={}).status_code == 302  # a double click
    db.session.rollback()
    assert db.session.scalar(select(func.count(LedgerEntry.id)).where(LedgerEntry.notice_id == notice_id)) == 1
    assert set(db.session.scalars(select(Claim.state).where(Claim.notice_id == notice_id))) == {ClaimState.SETTLED}


@with_plugins()
def test_a_database_failure_answers_with_the_app_error_page(failing_app):
    """A clear error: the app's own error page, in the user's language, that says nothing was saved."""
    case = factories.case()
    client = staff_client(failing_app, ["customer_service"])
    with database_fails_on(db.engine, "INSERT", "core_timeline_event") as fault:
        response = client.post(f"/cases/{case.id}/comment", data={"text": "Se cae la base de datos"})
    assert fault["failed"]
    assert_failed_cleanly(response)
    assert 'class="error-page"' in response.get_data(as_text=True), (
        "a database failure answers with the framework's bare English 'Internal Server Error' page, "
        "not the app's error page: core/errors_web.py registers no handler for 500 / OperationalError"
    )


def post_csv(client, url: str, text: str):
    return client.post(url, data={"file": (io.BytesIO(text.encode()), "import.csv")},
                       content_type="multipart/form-data")


@with_plugins("inventory_parts")
def test_parts_import_interrupted_by_the_database_keeps_no_row(failing_app):
    from plugins.inventory_parts.models import Part

    client = staff_client(failing_app, ["admin"])
    rows = "\n".join(f"FLT-{n},Filtro {n},wear,ud,10.00,15.00" for n in range(5))
    csv_text = "number,name,kind,unit,cost_price,list_price\n" + rows + "\n"
    before = row_counts()
    with database_fails_on(db.engine, "INSERT", "inventory_part", nth=3) as fault:
        response = post_csv(client, "/parts/import", csv_text)
    assert fault["failed"], f"the import never reached its third row ({response.status_code})"
    assert_failed_cleanly(response)
    assert changed(before, row_counts()) == []
    assert post_csv(client, "/parts/import", csv_text).status_code == 200  # the same file, once the database is back
    db.session.rollback()
    assert db.session.scalar(select(func.count(Part.id)).where(Part.number.like("FLT-%"))) == 5


@with_plugins("warranty")
def test_units_import_interrupted_by_the_database_keeps_no_row(failing_app):
    from plugins.warranty import services as warranty
    from plugins.warranty.models import Unit

    warranty.create_product("FLT-9", "Enfriadora", "enfriadoras")
    customer = factories.org(name="Cliente de la importación")
    db.session.commit()
    client = staff_client(failing_app, ["admin"])
    rows = "\n".join(f"FLT-9,SN-FLT-{n},{customer.name}" for n in range(5))
    csv_text = "model,serial,customer\n" + rows + "\n"
    before = row_counts()
    with database_fails_on(db.engine, "INSERT", "warranty_unit", nth=3) as fault:
        response = post_csv(client, "/warranty/units/import", csv_text)
    assert fault["failed"], f"the import never reached its third row ({response.status_code})"
    assert_failed_cleanly(response)
    assert changed(before, row_counts()) == []
    assert post_csv(client, "/warranty/units/import", csv_text).status_code == 200
    db.session.rollback()
    assert db.session.scalar(select(func.count(Unit.id)).where(Unit.serial.like("SN-FLT-%"))) == 5
