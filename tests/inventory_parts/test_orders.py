"""Dealer parts orders on cash on delivery with a sales delivery note (D6)."""
from __future__ import annotations

from decimal import Decimal

import pytest

from core.errors import BusinessRuleError
from core.extensions import db
from plugins.inventory_parts.services import orders, stock

from .helpers import dealer, on_hand, part, receive

PDF = b"%PDF-1.4 albaran firmado"


def shipped_order(quantity=2):
    item = part(list_price="15.50")
    receive(item, 10)
    norte = dealer()
    order = orders.create_order(norte.id, [(item, quantity)])
    orders.ship_order(order)
    db.session.commit()
    return order, item, norte


def test_d6_shipping_issues_a_delivery_note_and_takes_company_stock(inv_app):
    order, item, _ = shipped_order()
    assert order.delivery_note_number.startswith("ALB-2026-")
    assert order.total == Decimal("31.00")
    assert on_hand(item) == Decimal("8")


def test_d6_delivery_cannot_close_before_cash_payment(inv_app):
    order, item, norte = shipped_order()
    orders.attach_signed_note(order, "albaran.pdf", "application/pdf", PDF)
    with pytest.raises(BusinessRuleError) as refused:
        orders.close_delivery(order)
    db.session.rollback()
    assert refused.value.field == "amount"
    assert on_hand(item, stock.dealer_location(norte)) == Decimal("0")


def test_d6_delivery_cannot_close_without_the_signed_note(inv_app):
    order, _, _ = shipped_order()
    orders.record_payment(order, Decimal("31.00"), "recibo 1")
    with pytest.raises(BusinessRuleError) as refused:
        orders.close_delivery(order)
    assert refused.value.field == "file"


def test_d6_cash_on_delivery_collects_the_full_amount(inv_app):
    order, _, _ = shipped_order()
    with pytest.raises(BusinessRuleError) as refused:
        orders.record_payment(order, Decimal("30.00"))
    assert refused.value.field == "amount"


def test_d6_paid_and_signed_delivery_closes_into_the_dealers_stock(inv_app):
    order, item, norte = shipped_order()
    orders.record_payment(order, Decimal("31.00"), "recibo 2")
    orders.attach_signed_note(order, "albaran.pdf", "application/pdf", PDF)
    orders.close_delivery(order)
    db.session.commit()
    assert order.state == "closed"
    assert on_hand(item, stock.dealer_location(norte)) == Decimal("2")
    assert orders.signed_note_path(order).read_bytes() == PDF


def test_d6_policies_can_waive_payment_and_note(make_app):
    app = make_app(["inventory_parts"], POSTVENTA_POLICIES={"inventory_parts.payment_before_close": False,
                                                             "inventory_parts.signed_note_required": False})
    with app.app_context():
        order, _, _ = shipped_order()
        orders.close_delivery(order)
        db.session.commit()
        assert order.state == "closed"
        db.session.remove()


def test_shipping_refused_when_company_stock_is_short(inv_app):
    item = part()
    receive(item, 1)
    order = orders.create_order(dealer().id, [(item, 3)])
    db.session.commit()
    with pytest.raises(BusinessRuleError):
        orders.ship_order(order)
    db.session.rollback()
    assert order.state == "submitted" and order.delivery_note_number is None


def test_signed_note_of_a_refused_type_is_refused(inv_app):
    order, _, _ = shipped_order()
    with pytest.raises(BusinessRuleError) as refused:
        orders.attach_signed_note(order, "nota.exe", "application/x-msdownload", b"MZ")
    assert refused.value.field == "file"


def test_order_for_a_non_dealer_is_refused(inv_app):
    from tests import factories

    customer = factories.org()
    with pytest.raises(BusinessRuleError):
        orders.create_order(customer.id, [(part(), 1)])
