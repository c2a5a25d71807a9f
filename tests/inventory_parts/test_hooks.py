"""The facts hooks, called as another plugin would: through ``app.extensions["postventa"].hook``."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.auth.services import company
from core.cases.models import TimelineEvent
from core.errors import BusinessRuleError
from core.extensions import db
from core.facts import PartLine
from plugins.inventory_parts.models import PartFailure, StockMove
from plugins.inventory_parts.services import stock
from tests import factories

from .helpers import dealer, on_hand, part, receive


def test_parts_consumed_issues_company_stock_and_writes_the_timeline(inv_app, hook):
    item = part(number="FIL-01")
    receive(item, 4)
    case = factories.case()
    hook.postventa_parts_consumed(case=case, organisation_id=company().id,
                                  lines=[PartLine("FIL-01", Decimal("3"), serial="S-1")], reference="reparación 7")
    db.session.commit()
    assert on_hand(item) == Decimal("1")
    move = db.session.query(StockMove).filter_by(kind="issue").one()
    assert (move.case_id, move.serial, move.reference) == (case.id, "S-1", "reparación 7")
    event = db.session.query(TimelineEvent).filter_by(type="inventory_parts.parts_issued").one()
    assert event.payload["lines"][0]["part_number"] == "FIL-01"


def test_parts_consumed_issues_from_the_dealers_own_stock(inv_app, hook):
    item = part(number="COR-02")
    norte = dealer("Agro Norte")
    receive(item, 5)
    receive(item, 2, stock.dealer_location(norte))
    hook.postventa_parts_consumed(case=None, organisation_id=norte.id, lines=[PartLine("COR-02", Decimal("2"))],
                                  reference="reclamación 42")
    db.session.commit()
    assert on_hand(item, stock.dealer_location(norte)) == Decimal("0")
    assert on_hand(item) == Decimal("5")  # the company's stock is untouched


def test_parts_consumed_short_stock_raises_and_issues_nothing(inv_app, hook):
    first, second = part(number="A-1"), part(number="B-2")
    receive(first, 5)
    receive(second, 1)
    with pytest.raises(BusinessRuleError):
        hook.postventa_parts_consumed(case=None, organisation_id=company().id, reference="reparación 8",
                                      lines=[PartLine("A-1", Decimal("2")), PartLine("B-2", Decimal("2"))])
    db.session.rollback()
    assert (on_hand(first), on_hand(second)) == (Decimal("5"), Decimal("1"))


def test_parts_outside_the_catalogue_move_no_stock_by_default(inv_app, hook):
    item = part(number="EN-CAT")
    receive(item, 2)
    hook.postventa_parts_consumed(case=None, organisation_id=company().id, reference="x",
                                  lines=[PartLine("COMPRA-LOCAL", Decimal("1")), PartLine("EN-CAT", Decimal("1"))])
    hook.postventa_old_part_appraised(part_number="COMPRA-LOCAL", serial="", usable=True, quantity=1, reference="x")
    db.session.commit()
    assert on_hand(item) == Decimal("1")
    assert db.session.query(StockMove).count() == 2


def test_parts_outside_the_catalogue_are_refused_when_the_policy_says_so(make_app):
    app = make_app(["inventory_parts"], POSTVENTA_POLICIES={"inventory_parts.refuse_unknown_parts": True})
    with app.app_context():
        with pytest.raises(BusinessRuleError):
            app.extensions["postventa"].hook.postventa_parts_consumed(
                case=None, organisation_id=company().id, reference="x", lines=[PartLine("NO-EXISTE", Decimal("1"))])
        db.session.rollback()
        db.session.remove()


def test_d17_usable_old_part_goes_to_the_usable_warehouse(inv_app, hook):
    item = part(number="BOM-3")
    hook.postventa_old_part_appraised(part_number="BOM-3", serial="X1", usable=True, quantity=Decimal("1"),
                                      reference="reclamación 5")
    db.session.commit()
    assert on_hand(item, stock.old_parts_location(True)) == Decimal("1")
    assert on_hand(item, stock.old_parts_location(False)) == Decimal("0")


def test_d17_unusable_old_part_goes_to_the_unusable_warehouse(inv_app, hook):
    item = part(number="BOM-4")
    hook.postventa_old_part_appraised(part_number="BOM-4", serial="", usable=False, quantity=Decimal("2"),
                                      reference="reclamación 6")
    db.session.commit()
    unusable = stock.old_parts_location(False)
    assert on_hand(item, unusable) == Decimal("2")
    assert unusable.code == "USADAS-NOUTIL" and unusable.kind == "old_unusable"


def test_d17_designated_warehouse_is_a_policy(make_app):
    app = make_app(["inventory_parts"], POSTVENTA_POLICIES={"inventory_parts.old_usable_location_code": "REUSO"})
    with app.app_context():
        item = part(number="BOM-5")
        app.extensions["postventa"].hook.postventa_old_part_appraised(
            part_number="BOM-5", serial="", usable=True, quantity=1, reference="r")
        db.session.commit()
        assert on_hand(item, stock.old_parts_location(True)) == Decimal("1")
        assert stock.old_parts_location(True).code == "REUSO"
        db.session.remove()


def test_w6_preferential_price_is_cost_plus_the_margin_policy(inv_app, hook):
    part(number="W6-1", cost="40.00", list_price="80.00")
    assert hook.postventa_part_price(part_number="W6-1", price_kind="preferential") == Decimal("44.00")
    assert hook.postventa_part_price(part_number="W6-1", price_kind="list") == Decimal("80.00")
    assert hook.postventa_part_price(part_number="W6-1", price_kind="cost") == Decimal("40.00")
    assert hook.postventa_part_price(part_number="NADA", price_kind="list") is None


def test_w6_part_margin_overrides_policy_and_never_exceeds_list(make_app):
    app = make_app(["inventory_parts"], POSTVENTA_POLICIES={"inventory_parts.preferential_margin_pct": 25})
    with app.app_context():
        hook = app.extensions["postventa"].hook
        part(number="W6-2", cost="10.00", list_price="100.00")
        part(number="W6-3", cost="10.00", list_price="100.00", preferential_margin_pct="5")
        part(number="W6-4", cost="90.00", list_price="100.00")
        assert hook.postventa_part_price(part_number="W6-2", price_kind="preferential") == Decimal("12.50")
        assert hook.postventa_part_price(part_number="W6-3", price_kind="preferential") == Decimal("10.50")
        assert hook.postventa_part_price(part_number="W6-4", price_kind="preferential") == Decimal("100.00")
        db.session.remove()


def test_w5_service_life_hook_answers_months(inv_app, hook):
    part(number="W5-1", life=24)
    assert hook.postventa_part_service_life(part_number="W5-1") == 24
    assert hook.postventa_part_service_life(part_number="NADA") is None


def test_w5_unusable_old_part_failing_early_is_reported_abnormal(inv_app, hook, clock):
    item = part(number="W5-2", life=24)
    receive(item, 1)
    hook.postventa_parts_consumed(case=None, organisation_id=company().id, reference="reparación 1",
                                  lines=[PartLine("W5-2", Decimal("1"), serial="SN-9")])
    db.session.commit()
    clock.advance(timedelta(days=150))  # about 5 months of a 24-month life
    hook.postventa_old_part_appraised(part_number="W5-2", serial="SN-9", usable=False, quantity=1,
                                      reference="reclamación 2")
    db.session.commit()
    failure = db.session.query(PartFailure).one()
    assert failure.abnormal is True
    assert failure.fitted_on == date(2026, 3, 2)
    assert failure.life_months == Decimal("4.9")
