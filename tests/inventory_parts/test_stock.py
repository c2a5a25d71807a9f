"""The stock ledger: append-only, balances kept with it, never below zero (also under concurrency)."""
from __future__ import annotations

import os
import threading
from decimal import Decimal

import pytest

from core.audit import AppendOnlyViolation
from core.errors import BusinessRuleError
from core.extensions import db
from core.facts import PartLine
from plugins.inventory_parts.models import StockMove
from plugins.inventory_parts.services import stock

from .helpers import assert_ledger_balances, on_hand, part, receive


def test_issue_beyond_on_hand_is_refused_and_changes_nothing(inv_app):
    item = part()
    receive(item, 3)
    with pytest.raises(BusinessRuleError) as refused:
        stock.post_move(item, stock.company_location(), Decimal("-4"), "issue")
    db.session.rollback()
    assert "3.00" in refused.value.message and refused.value.field == "quantity"
    assert on_hand(item) == Decimal("3")
    assert db.session.query(StockMove).count() == 1


def test_balance_is_the_sum_of_the_ledger_after_mixed_moves(inv_app):
    item = part()
    central = stock.company_location()
    receive(item, 10)
    stock.record_manual_move(item, central, "adjustment", Decimal("-1.5"), "Rotura en almacén")
    other = stock.old_parts_location(True)
    stock.record_manual_move(item, central, "transfer", Decimal("2"), "Reubicación", target=other)
    db.session.commit()
    assert on_hand(item) == Decimal("6.50")
    assert on_hand(item, other) == Decimal("2")
    assert_ledger_balances()


def test_adjustment_needs_a_reason(inv_app):
    item = part()
    with pytest.raises(BusinessRuleError) as refused:
        stock.record_manual_move(item, stock.company_location(), "adjustment", Decimal("1"), " ")
    assert refused.value.field == "reason"


def test_ledger_moves_cannot_be_changed(inv_app):
    item = part()
    receive(item, 1)
    move = db.session.query(StockMove).one()
    move.quantity = Decimal("100")
    with pytest.raises(AppendOnlyViolation):
        db.session.commit()
    db.session.rollback()


@pytest.mark.postgres_only
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
                    reason="real concurrent transactions need PostgreSQL (SQLite serialises writers)")
def test_concurrent_issues_never_take_stock_below_zero(inv_app):
    item = part(number="CONC-1")
    receive(item, 5)
    company_id = stock.company_location().owner_org_id
    db.session.commit()
    barrier = threading.Barrier(8)
    outcomes = []

    def issue_one():
        with inv_app.app_context():
            barrier.wait()
            try:
                inv_app.extensions["postventa"].hook.postventa_parts_consumed(
                    case=None, organisation_id=company_id, lines=[PartLine("CONC-1", Decimal("1"))],
                    reference="hilo")
                db.session.commit()
                outcomes.append("issued")
            except BusinessRuleError:
                db.session.rollback()
                outcomes.append("short")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=issue_one) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["issued"] * 5 + ["short"] * 3
    assert on_hand(item) == Decimal("0")
    assert_ledger_balances()
