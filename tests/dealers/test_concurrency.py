"""Real threads on PostgreSQL: a notice credits once, a claim transitions once (D19)."""
import os
import threading
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.auth.models import User
from core.cases.models import TimelineEvent
from core.clock import today
from core.errors import BusinessRuleError
from core.extensions import db
from plugins.dealers.models import Claim, ClaimState, FeeNotice, LedgerEntry
from plugins.dealers.services import claims, parts_return, settlement

from . import builders

pytestmark = [
    pytest.mark.postgres_only,
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
                       reason="row locks and concurrent transactions need PostgreSQL; SQLite serialises writers"),
]
THREADS = 8


def run_together(app, work):
    """Run ``work()`` in THREADS threads, each in its own app context and transaction."""
    barrier = threading.Barrier(THREADS)
    results, errors = [], []

    def worker():
        with app.app_context():
            barrier.wait()
            try:
                results.append(work())
                db.session.commit()
            except BusinessRuleError as error:
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_d19_eight_threads_confirming_one_notice_credit_once(make_app):
    app = make_app(builders.PLUGINS)
    with app.app_context():
        org = builders.dealer()
        user = builders.dealer_user(org)
        builders.verified_claim(org, builders.sale(org), user)
        builders.verified_claim(org, builders.sale(org), user)
        [notice] = settlement.issue_notices(today() - timedelta(days=1), today())
        db.session.commit()
        notice_id, user_id, total = notice.id, user.id, notice.total

    def confirm():
        return settlement.confirm_notice(db.session.get(FeeNotice, notice_id), db.session.get(User, user_id))

    results, errors = run_together(app, confirm)
    assert sorted(results) == [False] * (THREADS - 1) + [True] and not errors
    with app.app_context():
        assert db.session.scalar(select(func.count(LedgerEntry.id)).where(LedgerEntry.notice_id == notice_id)) == 1
        assert settlement.balance(org.id) == -total
        assert set(db.session.scalars(select(Claim.state))) == {ClaimState.SETTLED}
        settled_events = db.session.scalar(select(func.count(TimelineEvent.id))
                                           .where(TimelineEvent.type == "dealers.claim_settled"))
        assert settled_events == 2
        assert total > Decimal("0")


def test_d19_concurrent_claim_approvals_make_one_transition(make_app):
    app = make_app(builders.PLUGINS)
    with app.app_context():
        org = builders.dealer()
        user = builders.dealer_user(org)
        claim = builders.submitted_claim(org, builders.sale(org), user)
        parts_return.receive_shipment(parts_return.ship_parts(org.id, list(claim.parts), "truck"))
        claims.start_appraisal(claim)
        claims.appraise_part(claim.parts[0], True, False)
        db.session.commit()
        claim_id, case_id = claim.id, claim.case_id

    def approve():
        claims.approve(db.session.get(Claim, claim_id), note="Revisado")
        return True

    results, errors = run_together(app, approve)
    assert len(results) == 1 and len(errors) == THREADS - 1
    with app.app_context():
        approvals = db.session.scalar(select(func.count(TimelineEvent.id)).where(
            TimelineEvent.case_id == case_id, TimelineEvent.type == "dealers.claim_approved"))
        assert approvals == 1
        assert db.session.get(Claim, claim_id).state == ClaimState.APPROVED


def test_d19_two_clerks_issuing_at_once_put_each_claim_on_one_notice(make_app):
    app = make_app(builders.PLUGINS)
    with app.app_context():
        org = builders.dealer()
        user = builders.dealer_user(org)
        for _ in range(3):
            builders.verified_claim(org, builders.sale(org), user)

    results, errors = run_together(app, lambda: len(settlement.issue_notices(today(), today())))
    assert not errors
    with app.app_context():
        notices = db.session.scalars(select(FeeNotice)).all()
        assert len(notices) == 1 and notices[0].claim_count == 3 and sorted(results)[-1] == 1
        assert db.session.scalar(select(func.count(Claim.id)).where(Claim.notice_id.is_(None))) == 0
