"""Stock returned by a dealer and who pays (D13)."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.errors import BusinessRuleError
from core.extensions import db
from plugins.inventory_parts.services import orders, returns, stock

from .helpers import dealer, on_hand, part, receive, season


def delivered(quantity=4):
    item = part(list_price="10.00")
    receive(item, 10)
    norte = dealer()
    order = orders.create_order(norte.id, [(item, quantity)])
    orders.ship_order(order)
    orders.record_payment(order, order.total)
    orders.attach_signed_note(order, "albaran.pdf", "application/pdf", b"%PDF firmado")
    orders.close_delivery(order)
    db.session.commit()
    return order, item, norte


def test_d13_quality_problem_return_freight_paid_by_the_company(inv_app):
    order, item, norte = delivered()
    request = returns.request_return(order, item.id, 1, "quality")
    received = returns.receive_return(request, Decimal("12.00"))
    db.session.commit()
    assert (received.freight_payer, received.dealer_charge) == ("company", Decimal("0"))
    assert on_hand(item, stock.dealer_location(norte)) == Decimal("3")
    assert on_hand(item) == Decimal("7")


def test_d13_dismantled_parts_dealer_pays_freight_and_restoration(inv_app):
    order, item, _ = delivered()
    request = returns.request_return(order, item.id, 2, "dismantled")
    received = returns.receive_return(request, Decimal("12.00"), Decimal("8.50"))
    assert received.freight_payer == "dealer"
    assert received.dealer_charge == Decimal("20.50")


def test_d13_freight_payer_is_a_policy(make_app):
    app = make_app(["inventory_parts"], POSTVENTA_POLICIES={"inventory_parts.quality_return_freight_payer": "dealer"})
    with app.app_context():
        order, item, _ = delivered()
        received = returns.receive_return(returns.request_return(order, item.id, 1, "quality"), Decimal("5"))
        assert received.dealer_charge == Decimal("5.00")
        db.session.commit()
        db.session.remove()


def test_d13_unsold_after_two_work_cycles_counts_as_sold(inv_app, clock):
    order, item, _ = delivered()
    season("Campaña 1", date(2026, 3, 10), date(2026, 6, 30))
    season("Campaña 2", date(2026, 7, 1), date(2026, 10, 31))
    clock.advance(timedelta(days=200))  # 2026-09-18: one cycle closed
    returns.request_return(order, item.id, 1, "unsold")
    clock.advance(timedelta(days=60))  # 2026-11-17: two cycles closed
    with pytest.raises(BusinessRuleError) as refused:
        returns.request_return(order, item.id, 1, "unsold")
    assert refused.value.field == "reason"
    returns.request_return(order, item.id, 1, "quality")  # quality problems still come back
    db.session.commit()


def test_return_cannot_exceed_what_was_delivered(inv_app):
    order, item, _ = delivered(quantity=2)
    returns.request_return(order, item.id, 2, "quality")
    with pytest.raises(BusinessRuleError) as refused:
        returns.request_return(order, item.id, 1, "quality")
    assert refused.value.field == "quantity"


def test_restoration_is_charged_only_for_dismantled_parts(inv_app):
    order, item, _ = delivered()
    request = returns.request_return(order, item.id, 1, "quality")
    with pytest.raises(BusinessRuleError) as refused:
        returns.receive_return(request, Decimal("3"), Decimal("2"))
    assert refused.value.field == "restoration_cost"
