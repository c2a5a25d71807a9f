"""Concurrency on PostgreSQL with real threads: nothing lost, nothing doubled.

The plugins' own tests already prove their services under threads (case numbers in
tests/core/test_timeline.py; notice credit, claim approval and parallel settlement in
tests/dealers/test_concurrency.py; stock issue through the parts hook in
tests/inventory_parts/test_stock.py; enrolment in tests/training/test_enrolment.py). This
file covers what they leave out:

* parallel deadline workers (threads running ``run_deadlines``) record and escalate each
  breach exactly once;
* the same money, stock and capacity properties through the *pages*, with one browser
  (test client) per thread hitting the real views at once: a double-clicked notice
  confirmation, claim approval, stock transfers out of one shelf and enrolment at
  capacity. A view that checks before it writes, or that lets a lost race answer 500,
  fails here even when its service is sound.
"""
from __future__ import annotations

import os
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.cases.models import TimelineEvent
from core.clock import today
from core.deadlines import run_deadlines
from core.extensions import db
from tests import factories
from tests.conftest import login, needs_plugins

from .clocks import AnswerClock
from .deadline_workers import due_clocks, due_emergencies, every_breach, tally

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
                       reason="real concurrent transactions need PostgreSQL; SQLite serialises writers"),
]
THREADS = 8


def all_at_once(jobs):
    """Run every job in its own thread, released together; returns their results or exceptions."""
    barrier = threading.Barrier(len(jobs))
    results = [None] * len(jobs)

    def run(index, job):
        barrier.wait()
        try:
            results[index] = job()
        except Exception as error:  # noqa: BLE001 - returned and asserted by the test
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, job)) for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def clients_of(app, usernames):
    clients = []
    for username in usernames:
        client = app.test_client()
        login(client, username)
        clients.append(client)
    return clients


def posting(client, url, data=None):
    return lambda: client.post(url, data=data or {}).status_code


def test_parallel_deadline_workers_record_each_breach_once(make_app, clock):
    app = make_app(POSTVENTA_EXTRA_HOOKS=[AnswerClock()])
    with app.app_context():
        case_ids = due_emergencies(40)
        clock.advance(minutes=31)
        due = due_clocks(case_ids, clock())  # ours, and any plugin's clock that also fell due

    def worker():
        with app.app_context():
            try:
                return run_deadlines(batch_size=10)
            finally:
                db.session.remove()

    recorded = all_at_once([worker] * THREADS)
    assert all(isinstance(n, int) for n in recorded), recorded
    with app.app_context():
        breached, per_clock = every_breach(case_ids)
        assert sum(recorded) == due == len(breached)
        assert per_clock == {key: 1 for key in breached}
        breaches, escalations = tally(case_ids)
        assert breaches == {case_id: 1 for case_id in case_ids}
        assert escalations == {case_id: 1 for case_id in case_ids}


@needs_plugins("warranty", "dealers")
def test_double_clicked_notice_confirmation_credits_once(make_app):
    from plugins.dealers.models import LedgerEntry
    from plugins.dealers.services import settlement
    from tests.dealers import builders

    app = make_app(builders.PLUGINS)
    with app.app_context():
        org = builders.dealer()
        manager = builders.dealer_user(org)
        builders.verified_claim(org, builders.sale(org), manager)
        [notice] = settlement.issue_notices(today() - timedelta(days=1), today())
        db.session.commit()
        url, total = f"/dealers/notices/{notice.id}/confirm", notice.total
        clients = clients_of(app, [manager.username] * THREADS)
        answers = all_at_once([posting(c, url) for c in clients])
        assert answers == [302] * THREADS, answers
        db.session.rollback()
        assert db.session.scalar(select(func.count(LedgerEntry.id)).where(LedgerEntry.notice_id == notice.id)) == 1
        assert settlement.balance(org.id) == -total


@needs_plugins("warranty", "dealers")
def test_claim_approved_from_several_pages_at_once_transitions_once(make_app):
    from plugins.dealers.models import Claim, ClaimState
    from plugins.dealers.services import claims, parts_return
    from tests.dealers import builders

    app = make_app(builders.PLUGINS)
    with app.app_context():
        org = builders.dealer()
        claim = builders.submitted_claim(org, builders.sale(org), builders.dealer_user(org))
        parts_return.receive_shipment(parts_return.ship_parts(org.id, list(claim.parts), "truck"))
        claims.start_appraisal(claim)
        claims.appraise_part(claim.parts[0], True, False)
        db.session.commit()
        claim_id, case_id = claim.id, claim.case_id
        staff = [factories.user(["admin"]).username for _ in range(THREADS)]
        clients = clients_of(app, staff)
        answers = all_at_once([posting(c, f"/dealers/claims/{claim_id}/approve", {"note": "Revisado"})
                               for c in clients])
        assert all(not isinstance(a, Exception) and a < 500 for a in answers), answers
        db.session.rollback()
        approvals = db.session.scalar(select(func.count(TimelineEvent.id)).where(
            TimelineEvent.case_id == case_id, TimelineEvent.type == "dealers.claim_approved"))
        assert approvals == 1
        assert db.session.get(Claim, claim_id).state == ClaimState.APPROVED


@needs_plugins("inventory_parts")
def test_transfers_from_one_shelf_at_once_never_take_it_below_zero(make_app):
    from plugins.inventory_parts.services import stock
    from tests.inventory_parts.helpers import assert_ledger_balances, on_hand, part, receive

    app = make_app(["inventory_parts"])
    with app.app_context():
        item = part(number="CONC-REL")
        receive(item, 5)
        source = stock.company_location()
        target = stock._location_by_code("REL-2", "Almacén 2", source.kind, source.owner_org_id)
        db.session.commit()
        form = {"kind": "transfer", "part_number": "CONC-REL", "location_id": source.id, "target_id": target.id,
                "quantity": "1", "reason": "Traspaso"}
        clients = clients_of(app, [factories.user(["admin"]).username for _ in range(THREADS)])
        answers = all_at_once([posting(c, "/parts/moves/new", form) for c in clients])
        assert sorted(answers) == [302] * 5 + [422] * 3, answers
        assert on_hand(item, source) == Decimal("0") and on_hand(item, target) == Decimal("5")
        assert_ledger_balances()


@needs_plugins("training")
def test_enrolment_pages_at_capacity_never_overbook(make_app):
    from plugins.training.models import Enrolment
    from tests.training import builders

    app = make_app(["training"])
    with app.app_context():
        given = builders.session(capacity=3)
        people = [factories.user(["technician"]).id for _ in range(10)]
        clients = clients_of(app, [factories.user(["admin"]).username for _ in people])
        answers = all_at_once([posting(c, f"/training/sessions/{given.id}/enrol", {"user_id": person})
                               for c, person in zip(clients, people)])
        assert all(not isinstance(a, Exception) and a < 500 for a in answers), answers
        db.session.rollback()
        counts = dict(db.session.execute(select(Enrolment.status, func.count())
                                         .where(Enrolment.session_id == given.id).group_by(Enrolment.status)).all())
        assert counts == {"enrolled": 3, "waiting": 7}
