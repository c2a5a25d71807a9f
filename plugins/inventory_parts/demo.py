"""Demo data of the spare-parts plugin, in Spanish: warehouses, parts, stock and a
consumption history, seasons, reserve plans in every state and dealer orders.

Dealers are core organisations of kind "dealer": the ones that exist are reused
(the dealers plugin's demo may have made them); otherwise two are created with
their staff logins.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from core.auth.models import Organisation, OrganisationKind
from core.auth.services import company, create_organisation, create_user
from core.clock import FrozenClock, now
from core.demo import DemoLogin
from core.demo_data import DEMO_PASSWORD
from core.extensions import db
from core.facts import PartLine

from .services import catalogue, orders, plans, returns, stock
from .services.consumption import issue_parts, receive_old_part

PARTS = [
    # number, name, kind, cost, list, life months, reorder point, fits
    ("CT-1001", "Correa de transmisión del cabezal", "three_guarantee", "38.00", "64.00", 36, 10, "CX-520|Cosechadoras"),
    ("BH-2040", "Bomba hidráulica principal", "three_guarantee", "310.00", "495.00", 60, 3, "TR-80|Tractores"),
    ("CJ-3310", "Cojinete de la rueda motriz", "three_guarantee", "22.50", "41.00", 48, 12, "TR-80|CX-520"),
    ("FA-0101", "Filtro de aceite del motor", "wear", "6.20", "11.90", 6, 40, "TR-80|CX-520|Tractores|Cosechadoras"),
    ("CS-0420", "Cuchilla de siega", "wear", "4.10", "8.50", 4, 60, "CX-520|Cosechadoras"),
    ("FR-0150", "Filtro de aire de cabina", "wear", "9.80", "17.00", 12, 20, "TR-80|Tractores"),
    ("TN-9000", "Juego de tornillería de carrocería", "other", "2.00", "4.50", None, 0, ""),
]


def _dealers() -> tuple[list[Organisation], list[DemoLogin]]:
    found = db.session.scalars(
        select(Organisation).where(Organisation.kind == OrganisationKind.DEALER).order_by(Organisation.id)
    ).all()
    if found:
        return list(found), []
    logins = []
    created = []
    for name, username, full_name, city in (
        ("Agro Norte Distribución", "parts_dealer_norte", "Nuria Norte", "León"),
        ("Maquinaria del Sur", "parts_dealer_sur", "Sergio Sur", "Córdoba"),
    ):
        dealer = create_organisation(name, OrganisationKind.DEALER, phone="+34 987 000 100",
                                     address=f"Polígono Industrial, {city}")
        create_user(username, DEMO_PASSWORD, dealer, roles=["dealer"], full_name=full_name,
                    email=f"{username}@postventa.example")
        logins.append(DemoLogin(username, DEMO_PASSWORD, "dealer", dealer.name))
        created.append(dealer)
    return created, logins


def _at(app, when):
    """Move the demo's clock, so the history has dates in the past."""
    app.extensions["postventa"].clock = FrozenClock(when)


def load_demo(app) -> list[DemoLogin]:
    real_clock = app.extensions["postventa"].clock
    start = now()
    try:
        return _load(app, start)
    finally:
        app.extensions["postventa"].clock = real_clock


def _load(app, start) -> list[DemoLogin]:
    dealers, logins = _dealers()
    norte, sur = dealers[0], dealers[1] if len(dealers) > 1 else dealers[0]
    parts = {}
    for number, name, kind, cost, list_price, life, reorder, fits in PARTS:
        parts[number] = catalogue.save_part(dict(
            number=number, name=name, kind=kind, unit="ud", cost_price=cost, list_price=list_price,
            service_life_months=life, reorder_point=reorder, fits=fits))
    central = stock.company_location()
    stock.old_parts_location(True)
    stock.old_parts_location(False)
    # A year of history: receipts, then issues to repairs month by month (the consumption chart).
    _at(app, start - timedelta(days=365))
    for number, quantity in (("CT-1001", 40), ("BH-2040", 6), ("CJ-3310", 30), ("FA-0101", 150),
                             ("CS-0420", 200), ("FR-0150", 15), ("TN-9000", 100)):
        stock.post_move(parts[number], central, Decimal(quantity), "receipt", reference="Compra a fábrica")
    for dealer in {norte.id: norte, sur.id: sur}.values():
        for number, quantity in (("FA-0101", 6), ("CS-0420", 10)):
            stock.post_move(parts[number], stock.dealer_location(dealer), Decimal(quantity), "receipt",
                            reference="Stock inicial del distribuidor")
    for month in range(11, 0, -1):
        _at(app, start - timedelta(days=30 * month))
        lines = [PartLine("FA-0101", Decimal(4 + month % 3)), PartLine("CS-0420", Decimal(6 + month % 4))]
        if month % 3 == 0:
            lines.append(PartLine("CT-1001", Decimal("1"), serial=f"CT-SN-{month:03d}"))
        issue_parts(None, company().id, lines, f"Reparación en garantía {month}")
    _at(app, start)
    receive_old_part("CT-1001", "CT-SN-003", False, Decimal("1"), "Reclamación 17: correa rota")
    receive_old_part("CJ-3310", "", True, Decimal("2"), "Reclamación 21: cojinetes recuperables")
    # Seasons: one due soon (on time), one opening within 30 days (a late plan), one past.
    today = start.date()
    summer = plans.save_season(f"Campaña de cosecha {today.year}", today + timedelta(days=45),
                               today + timedelta(days=165))
    autumn = plans.save_season(f"Campaña de siembra {today.year}", today + timedelta(days=20),
                               today + timedelta(days=120))
    plans.save_season(f"Campaña de invierno {today.year - 1}", today - timedelta(days=200),
                      today - timedelta(days=100))
    approved = plans.create_plan(norte.id, summer)
    plans.submit_plan(approved)
    for line in approved.lines:
        if line.part.number == "CS-0420":
            plans.decide_line(approved, line, "changed", line.proposed_quantity + 4, "Temporada fuerte")
        else:
            plans.decide_line(approved, line, "approved")
    plan_order = plans.finalise_plan(approved)
    orders.ship_order(plan_order)  # shipped, awaiting the cash payment on delivery
    if sur.id != norte.id:
        plans.submit_plan(plans.create_plan(sur.id, summer))  # pending the sales office's approval
    plans.submit_plan(plans.create_plan(norte.id, autumn))  # late: fewer than 30 days before the season
    delivered = orders.create_order(sur.id, [(parts["FA-0101"], 10), (parts["FR-0150"], 2)],
                                    notes="Pedido urgente antes de la campaña")
    orders.ship_order(delivered)
    orders.record_payment(delivered, delivered.total, "Recibo de caja 0042")
    orders.attach_signed_note(delivered, "albaran-firmado.pdf", "application/pdf",
                              b"%PDF-1.4\n% Albaran firmado y sellado por el distribuidor\n")
    orders.close_delivery(delivered)
    returns.request_return(delivered, parts["FR-0150"].id, Decimal("1"), "quality")
    orders.create_order(norte.id, [(parts["BH-2040"], 1)], notes="Bomba para cliente parado")
    db.session.flush()
    return logins
