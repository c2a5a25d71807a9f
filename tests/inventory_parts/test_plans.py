"""Seasonal reserve plans (D11): due date, late flag, acceptance, decisions, orders, suggestions, scorecard."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from core.auth.services import company
from core.errors import BusinessRuleError
from core.extensions import db
from core.facts import InstalledUnit, PartLine
from core.hookspecs import hookimpl
from core.plugins import flatten
from plugins.inventory_parts.models import PartsOrder
from plugins.inventory_parts.services import plans

from .helpers import dealer, part, receive, season

TODAY = date(2026, 3, 2)  # the frozen clock's day


def submitted(opens_on, quantity=5):
    item = part(kind="wear")
    norte = dealer()
    plan = plans.create_plan(norte.id, season(opens_on=opens_on, closes_on=opens_on + timedelta(days=120)))
    line = next(line for line in plan.lines if line.part_id == item.id)
    plans.set_proposed(plan, {line.id: quantity})
    plans.submit_plan(plan)
    db.session.commit()
    return plan, line


def test_d11_plan_late_when_under_30_days(inv_app):
    plan, _ = submitted(TODAY + timedelta(days=29))
    assert plan.late is True
    assert plan.awaits_late_acceptance


def test_d11_plan_on_time_30_days_before_the_season(inv_app):
    plan, _ = submitted(TODAY + timedelta(days=30))
    assert plan.late is False


def test_d11_due_days_are_a_policy(make_app):
    app = make_app(["inventory_parts"], POSTVENTA_POLICIES={"inventory_parts.plan_due_days_before_season": 45})
    with app.app_context():
        plan, _ = submitted(TODAY + timedelta(days=40))
        assert plan.late is True
        db.session.remove()


def test_d11_late_plan_needs_the_sales_office_acceptance_with_a_reason(inv_app):
    plan, line = submitted(TODAY + timedelta(days=10))
    with pytest.raises(BusinessRuleError):
        plans.decide_line(plan, line, "approved")
    with pytest.raises(BusinessRuleError) as refused:
        plans.accept_late(plan, "  ")
    assert refused.value.field == "reason"
    plans.accept_late(plan, "Campaña adelantada por la lluvia")
    plans.decide_line(plan, line, "approved")
    assert line.approved_quantity == Decimal("5")


def test_d11_sales_office_changes_and_rejects_lines_and_the_plan_becomes_an_order(inv_app):
    first, second = part(number="T-1", kind="wear"), part(number="T-2", kind="wear")
    norte = dealer()
    plan = plans.create_plan(norte.id, season(opens_on=TODAY + timedelta(days=60),
                                              closes_on=TODAY + timedelta(days=150)))
    lines = {line.part.number: line for line in plan.lines}
    plans.set_proposed(plan, {lines["T-1"].id: 8, lines["T-2"].id: 3})
    plans.submit_plan(plan)
    with pytest.raises(BusinessRuleError):
        plans.finalise_plan(plan)  # lines still pending
    plans.decide_line(plan, lines["T-1"], "changed", Decimal("6"), "Basta con 6")
    plans.decide_line(plan, lines["T-2"], "rejected")
    order = plans.finalise_plan(plan)
    db.session.commit()
    assert plan.state == "approved"
    assert order.plan_id == plan.id and order.dealer_org_id == norte.id
    assert [(l.part.number, l.quantity) for l in order.lines] == [("T-1", Decimal("6.00"))]
    assert first.id != second.id


def test_d11_fully_rejected_plan_creates_no_order(inv_app):
    plan, line = submitted(TODAY + timedelta(days=60))
    plans.decide_line(plan, line, "rejected")
    assert plans.finalise_plan(plan) is None
    assert plan.state == "rejected"
    assert db.session.query(PartsOrder).count() == 0


def test_d11_plan_needs_a_quantity_to_be_proposed(inv_app):
    part(kind="wear")
    plan = plans.create_plan(dealer().id, season(opens_on=TODAY + timedelta(days=60)))
    plans.set_proposed(plan, {line.id: 0 for line in plan.lines})
    with pytest.raises(BusinessRuleError):
        plans.submit_plan(plan)


class Fleet:
    """Installed units another plugin would report (warranty or dealers)."""

    def __init__(self, units):
        self.units = units

    @hookimpl
    def postventa_installed_units(self, organisation_id):
        return self.units.get(organisation_id, [])


def test_d11_suggestion_from_installed_units_and_failure_history(inv_app, hook):
    norte, sur = dealer("Norte"), dealer("Sur")
    unit = lambda n, model: InstalledUnit(serial=f"U{n}", product_model=model, product_family="Cosechadoras")
    fleet = Fleet({norte.id: [unit(1, "CX-5"), unit(2, "CX-5"), unit(3, "TR-1")],
                   sur.id: [unit(4, "CX-5"), unit(5, "CX-5")]})
    inv_app.extensions["postventa"].registry.pm.register(fleet, name="fleet")
    belt = part(number="CX-BELT", kind="three_guarantee", fits="CX-5")
    filter_ = part(number="FLT", kind="wear", fits="TR-9")
    part(number="TR-PUMP", kind="three_guarantee", fits="TR-9")  # fits none of Norte's units
    receive(belt, 20)
    hook.postventa_parts_consumed(case=None, organisation_id=company().id, reference="historial",
                                  lines=[PartLine("CX-BELT", Decimal("8"))])
    db.session.commit()
    # 8 belts in 12 months over 4 fitted units = 2 per unit and year; Norte has 2 units;
    # a 183-day season: 2 x 2 x 183 / 365 = 2.005 -> 3.
    plan = plans.create_plan(norte.id, season(opens_on=date(2026, 5, 1), closes_on=date(2026, 10, 30)))
    suggested = {line.part.number: (line.fitted_units, line.suggested_quantity) for line in plan.lines}
    assert suggested == {"CX-BELT": (2, Decimal("3")), "FLT": (0, Decimal("2"))}
    assert filter_.kind == "wear"


def test_d11_scorecard_counts_declined_missed_late_and_on_time_plans(inv_app, hook, clock):
    norte = dealer()
    part(kind="wear")
    declined_season = season("Invierno", date(2026, 3, 10), date(2026, 4, 30))
    late_season = season("Primavera", date(2026, 3, 20), date(2026, 5, 30))
    season("Verano", date(2026, 3, 25), date(2026, 6, 30))  # never proposed: missed
    on_time_season = season("Otoño", date(2026, 9, 1), date(2026, 11, 30))
    plans.decline_plan(plans.create_plan(norte.id, declined_season), "Sin espacio en el almacén")
    for chosen in (late_season, on_time_season):
        plan = plans.create_plan(norte.id, chosen)
        plans.submit_plan(plan)
    db.session.commit()
    facts = {fact.key: fact for fact in flatten(hook.postventa_dealer_scorecard_facts(
        organisation_id=norte.id, since=date(2026, 1, 1)))}
    assert facts["inventory_parts.plans_declined"].value == 1
    assert facts["inventory_parts.plans_late"].value == 1
    assert facts["inventory_parts.plans_missed"].value == 1
    assert facts["inventory_parts.plans_on_time"].value == 1
    assert facts["inventory_parts.plans_on_time"].good and not facts["inventory_parts.plans_missed"].good
