"""A small living world for the page tests: two dealers with staff, the sales office, parts, stock, plans, orders."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.extensions import db
from plugins.inventory_parts.services import orders, plans, stock
from tests import factories

from .helpers import dealer, part, receive, season


@dataclass
class World:
    norte: object
    sur: object
    norte_user: object
    sur_user: object
    office: object
    parts: list
    season: object
    plan: object
    order: object
    delivered: object


def build(parts: int = 2) -> World:
    norte, sur = dealer("Agro Norte"), dealer("Maquinaria Sur")
    norte_user = factories.user(["dealer"], organisation=norte, username="norte")
    sur_user = factories.user(["dealer"], organisation=sur, username="sur")
    office = factories.user(["sales_office"], username="oficina")
    items = [part(number=f"PZ-{n:03d}", kind="wear" if n % 2 else "three_guarantee", list_price="10.00")
             for n in range(parts)]
    for item in items:
        receive(item, 100)
        receive(item, 5, stock.dealer_location(norte))
    campaign = season("Campaña de verano", date(2026, 6, 1), date(2026, 9, 30))
    plan = plans.create_plan(norte.id, campaign)
    order = orders.create_order(norte.id, [(item, 1) for item in items])
    delivered = orders.create_order(norte.id, [(items[0], 2)])
    orders.ship_order(delivered)
    orders.record_payment(delivered, delivered.total)
    orders.attach_signed_note(delivered, "albaran.pdf", "application/pdf", b"%PDF firmado")
    orders.close_delivery(delivered)
    db.session.commit()
    return World(norte, sur, norte_user, sur_user, office, items, campaign, plan, order, delivered)


def snapshot() -> tuple:
    """Everything a forbidden request must leave as it was."""
    from plugins.inventory_parts.models import PartsOrder, ReservePlan, StockMove, StockReturn

    db.session.expire_all()
    return (
        [(o.id, o.state, o.paid_at, o.signed_note_sha256) for o in db.session.query(PartsOrder).order_by(PartsOrder.id)],
        [(p.id, p.state, p.late_reason, [(l.proposed_quantity, l.decision) for l in p.lines])
         for p in db.session.query(ReservePlan).order_by(ReservePlan.id)],
        db.session.query(StockMove).count(), db.session.query(StockReturn).count(),
    )
