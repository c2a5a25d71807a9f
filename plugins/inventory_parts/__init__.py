"""Spare parts and stock: catalogue, stock ledger, dealer parts orders on cash on
delivery (D6), seasonal reserve plans (D11), dealer returns (D13), old-part
warehouses (D17), abnormal-life report (W5) and post-warranty prices (W6).

Other plugins meet this one only through the "facts" hooks of
``core/hookspecs.py``: parts consumed, old parts appraised, part prices and
service life, dealer scorecard facts.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission
from core.cases.timeline import EventType
from core.hookspecs import hookimpl
from core.web import MenuItem

PERMISSIONS = [
    Permission("inventory.catalogue.view", _l("See the parts catalogue")),
    Permission("inventory.catalogue.manage", _l("Edit and import the parts catalogue, locations and seasons")),
    Permission("inventory.stock.view", _l("See stock and the stock ledger")),
    Permission("inventory.stock.move", _l("Post receipts, transfers and adjustments")),
    Permission("inventory.order.view", _l("See parts orders")),
    Permission("inventory.order.create", _l("Order parts")),
    Permission("inventory.order.ship", _l("Ship parts orders and close deliveries")),
    Permission("inventory.order.cancel", _l("Cancel parts orders that have not shipped")),
    Permission("inventory.order.payment", _l("Record cash-on-delivery payments")),
    Permission("inventory.order.note", _l("Upload the signed delivery note")),
    Permission("inventory.plan.view", _l("See reserve plans")),
    Permission("inventory.plan.propose", _l("Propose reserve plans")),
    Permission("inventory.plan.decide", _l("Approve, change or reject reserve plans")),
    Permission("inventory.return.request", _l("Return stock to the company")),
    Permission("inventory.return.receive", _l("Receive returned stock")),
    Permission("inventory.life.view", _l("See the abnormal-life report")),
    Permission("inventory.life.record", _l("Record part failures")),
    Permission("inventory.reports.view", _l("See parts reports")),
]


@hookimpl
def postventa_permissions():
    return PERMISSIONS


@hookimpl
def postventa_default_roles():
    view = ["inventory.catalogue.view", "inventory.stock.view"]
    office = view + [
        "inventory.catalogue.manage", "inventory.stock.move", "inventory.order.view", "inventory.order.ship",
        "inventory.order.cancel",
        "inventory.order.payment", "inventory.order.note", "inventory.plan.view", "inventory.plan.decide",
        "inventory.return.receive", "inventory.reports.view",
    ]
    return {
        "sales_office": office,
        "sales_rep": view + ["inventory.order.view", "inventory.plan.view", "inventory.reports.view"],
        "finance": view + ["inventory.order.view", "inventory.order.payment", "inventory.reports.view"],
        "production": view + ["inventory.stock.move", "inventory.reports.view"],
        "technical": view + ["inventory.stock.move", "inventory.life.view", "inventory.life.record",
                             "inventory.reports.view"],
        "engineering": view + ["inventory.life.view", "inventory.reports.view"],
        "leadership": view + ["inventory.order.view", "inventory.plan.view", "inventory.life.view",
                              "inventory.reports.view"],
        "technician": ["inventory.catalogue.view"],
        "customer_service": ["inventory.catalogue.view"],
        # A dealer's staff order, plan and return for their own dealer only (every query is scoped).
        "dealer": view + ["inventory.order.view", "inventory.order.create", "inventory.order.cancel", "inventory.order.note",
                          "inventory.plan.view", "inventory.plan.propose", "inventory.return.request"],
        "admin": [p.name for p in PERMISSIONS],
    }


@hookimpl
def postventa_policy_defaults():
    return {
        "inventory_parts.company_location_code": "CENTRAL",
        "inventory_parts.old_usable_location_code": "USADAS-UTIL",  # D17
        "inventory_parts.old_unusable_location_code": "USADAS-NOUTIL",  # D17
        "inventory_parts.order_prefix": "PED",
        "inventory_parts.delivery_note_prefix": "ALB",
        "inventory_parts.payment_before_close": True,  # D6 cash on delivery
        "inventory_parts.signed_note_required": True,  # D6 signed and stamped note returned
        "inventory_parts.plan_due_days_before_season": 30,  # D11
        "inventory_parts.failure_history_months": 12,
        "inventory_parts.wear_part_minimum": 2,
        "inventory_parts.quality_return_freight_payer": "company",  # D13
        "inventory_parts.dismantled_return_freight_payer": "dealer",  # D13
        "inventory_parts.unsold_return_freight_payer": "dealer",
        "inventory_parts.unsold_cycles_count_as_sold": 2,  # D13
        "inventory_parts.abnormal_life_ratio": Decimal("0.5"),  # W5 "significantly shorter"
        "inventory_parts.preferential_margin_pct": Decimal("10"),  # W6 cost-based price
        "inventory_parts.consumption_months": 12,
        "inventory_parts.refuse_unknown_parts": False,
    }


@hookimpl
def postventa_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def postventa_menu_items(user):
    return [
        MenuItem(_l("Parts"), "inventory_parts.parts", "inventory.catalogue.view", order=40),
        MenuItem(_l("Stock"), "inventory_parts.stock", "inventory.stock.view", order=41),
        MenuItem(_l("Parts orders"), "inventory_parts.orders", "inventory.order.view", order=42),
        MenuItem(_l("Reserve plans"), "inventory_parts.plans", "inventory.plan.view", order=43),
        MenuItem(_l("Parts reports"), "inventory_parts.reports", "inventory.reports.view", order=44,
                 internal_only=True),
    ]


@hookimpl
def postventa_timeline_event_types():
    return [EventType("inventory_parts.parts_issued", _l("Parts issued"),
                      "inventory_parts/events/parts_issued.html", "⚙")]


@hookimpl
def postventa_parts_consumed(case, organisation_id, lines, reference):
    from .services.consumption import issue_parts

    issue_parts(case, organisation_id, lines, reference)


@hookimpl
def postventa_old_part_appraised(part_number, serial, usable, quantity, reference):
    from .services.consumption import receive_old_part

    receive_old_part(part_number, serial, usable, quantity, reference)


@hookimpl
def postventa_part_price(part_number, price_kind):
    from .services.catalogue import price_of
    from .services.stock import find_part

    part = find_part(part_number)
    return price_of(part, price_kind) if part is not None else None


@hookimpl
def postventa_part_service_life(part_number):
    from .services.stock import find_part

    part = find_part(part_number)
    return part.service_life_months if part is not None else None


@hookimpl
def postventa_dealer_scorecard_facts(organisation_id, since):
    from .services.plans import scorecard_facts

    return scorecard_facts(organisation_id, since)


@hookimpl
def postventa_demo_data(app):
    from .demo import load_demo

    return load_demo(app)
