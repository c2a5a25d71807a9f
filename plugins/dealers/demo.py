"""Demo data in Spanish: two dealers with staff, sales on time and late, claims in every
state, a notice to confirm, tasks on the clock (one near its S9 check)."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from core.auth.models import Department, Organisation, OrganisationKind, User
from core.auth.services import role_named
from core.clock import FrozenClock, now, today
from core.demo import DemoLogin
from core.extensions import db
from plugins.warranty import services as warranty

from .services import claims, grading, parts_return, profiles, sales, settlement, spot_checks, stock, tasks

MODEL = "CS-300"


@contextmanager
def clock_at(app, moment):
    """Run a block as if at ``moment``, so the demo's clocks and timelines look lived-in."""
    state = app.extensions["postventa"]
    real = state.clock
    state.clock = FrozenClock(moment)
    try:
        yield
    finally:
        state.clock = real


def _claim(dealer, sale, user, stage: str, parts=(("RD-12", "1", "145.00"),), cause="manufacture"):
    claim = claims.start_claim(dealer.id, sale.serial)
    claims.save_draft(claim, fault_on=today() - timedelta(days=3), fault="Rotura del rodamiento del eje trasero",
                      cause=cause, remedy="repair", labour_hours="3", travel_km="60",
                      served_user_name="José Martín", technician_id=user.id)
    for number, quantity, price in parts:
        claims.add_part(claim, number, Decimal(quantity), Decimal(price), old_serial=f"V-{sale.serial}")
    if stage == "draft":
        return claim
    claims.submit(claim, user)
    if stage == "submitted" or claim.state == "rejected":
        return claim
    parts_return.receive_shipment(parts_return.ship_parts(dealer.id, list(claim.parts), "truck"))
    if stage == "parts_received":
        return claim
    claims.start_appraisal(claim)
    if stage == "under_appraisal":
        return claim
    for part in claim.parts:
        claims.appraise_part(part, defect_confirmed=True, usable=False)
    claims.approve(claim, note="Defecto de fabricación confirmado")
    if stage == "approved":
        return claim
    claims.verify(claim)
    return claim


def _dealer(name: str, service_area: str, contact: tuple[str, str, str]) -> Organisation:
    org = db.session.scalar(select(Organisation).where(Organisation.name == name, Organisation.kind == OrganisationKind.DEALER))
    profile = profiles.profile_for(org.id)
    profile.service_area = service_area
    profile.contact_name, profile.contact_phone, profile.contact_email = contact
    return org


def load_demo(app) -> list[DemoLogin]:
    product = warranty.find_product(MODEL) or warranty.create_product(
        MODEL, "Cosechadora de cereal compacta", "cosechadoras", "Postventa Industrial")
    staff = {u.username: u for u in db.session.scalars(select(User))}
    # Core's demo created the two dealers and their staff; this plugin adds their
    # profiles and makes each staff login the dealer's manager (confirms notices).
    norte, sur = (_dealer(name, area, contact) for name, area, contact in (
        ("Agrícola Norte S.L.", "Asturias y Cantabria", ("Iñaki Etxeberria", "+34 985 000 101", "taller@agricolanorte.example")),
        ("Maquinaria del Sur S.A.", "Andalucía occidental", ("Rocío Fernández", "+34 954 000 201", "postventa@maquinariasur.example")),
    ))
    users = {username: staff[username] for username in ("dealer_norte", "dealer_sur")}
    for user in users.values():
        user.roles = [*user.roles, role_named("dealer_manager")]
    logins = []

    start = now() - timedelta(days=45)
    with clock_at(app, start):
        settlement.post_charge(norte.id, "4200.00", "Albarán de repuestos 2026/031 (contra reembolso)")
        settlement.post_charge(sur.id, "2650.00", "Albarán de repuestos 2026/044 (contra reembolso)")
        profiles.record_training(norte.id, today() - timedelta(days=90), "Mantenimiento de cosechadoras CS-300")
    customers = ["Finca El Roble", "Cooperativa San Isidro", "Hermanos Gutiérrez", "SAT Valle Verde",
                 "Explotación La Dehesa", "Cortijo Las Palmeras", "Granja Los Tilos", "Agropecuaria Río Tinto"]
    sold = {}
    for index, (dealer, customer) in enumerate(zip([norte] * 5 + [sur] * 3, customers)):
        sold_on = today() - timedelta(days=60 + index * 7)
        late = index in (4, 7)  # one late card per dealer (D7)
        sold[(dealer.id, index)] = sales.register_sale(
            dealer.id, serial=f"CS3-{2026}{index + 1:04d}", product_model=product.model, customer_name=customer,
            customer_phone=f"+34 600 000 {index:03d}", customer_address="Camino del molino s/n",
            sold_on=sold_on, received_on=sold_on + timedelta(days=35 if late else 6),
            commitment="Tres garantías según la política de la empresa.", scope_acknowledged=True)
    norte_sales = [s for (d, _), s in sold.items() if d == norte.id]
    sur_sales = [s for (d, _), s in sold.items() if d == sur.id]
    user_n, user_s = users["dealer_norte"], users["dealer_sur"]

    with clock_at(app, now() - timedelta(days=20)):
        _claim(norte, norte_sales[0], user_n, "verified")
        _claim(sur, sur_sales[0], user_s, "verified")
        for notice in settlement.issue_notices(today() - timedelta(days=1), today()):
            settlement.confirm_notice(notice, user_n if notice.dealer_id == norte.id else user_s)
    with clock_at(app, now() - timedelta(days=2)):
        _claim(norte, norte_sales[1], user_n, "verified", parts=(("RD-12", "1", "145.00"), ("JT-3", "2", "12.50")))
        settlement.issue_notices(today(), today(), [norte.id])  # Agrícola Norte has a notice to confirm
        _claim(norte, norte_sales[2], user_n, "approved")
        _claim(norte, norte_sales[3], user_n, "under_appraisal")
        _claim(sur, sur_sales[1], user_s, "parts_received")
        _claim(norte, norte_sales[4], user_n, "submitted")  # late card: refused for D7
        _claim(sur, sur_sales[2], user_s, "submitted")      # late card: refused for D7
    _claim(norte, norte_sales[2], user_n, "submitted")      # same unit and part again: flagged
    _claim(sur, sur_sales[1], user_s, "draft", parts=(("FL-7", "1", "38.00"),))
    spot_checks.record_spot_check(sur.id, "ok", "Registros y piezas conformes en la visita de marzo.")
    stock.return_stock(norte.id, product_model=product.model, serial="CS3-STOCK-1", reason="dismantled",
                       delivered_on=today() - timedelta(days=200), freight="85.00")
    stock.return_stock(sur.id, product_model=product.model, serial="CS3-STOCK-2", reason="quality",
                       delivered_on=today() - timedelta(days=120), freight="120.00")

    technical = db.session.scalar(select(Department).where(Department.name == "Departamento técnico"))
    customer_id = norte_sales[0].customer_id
    with clock_at(app, now() - timedelta(hours=3, minutes=40)):
        near = tasks.open_task("request", customer_id, "Cosechadora no arranca tras la parada invernal",
                               contact_name="Ana Gutiérrez", contact_phone="+34 600 111 222")
        tasks.dispatch_task(near, "dealer", dealer_id=norte.id)  # its S9 check is due in 20 minutes
        tasks.arrange_task(near, "Técnico de Agrícola Norte en la finca mañana a las 9:00")
    with clock_at(app, now() - timedelta(hours=6)):
        late = tasks.open_task("complaint", sur_sales[0].customer_id, "Queja por retraso en la reparación")
        tasks.dispatch_task(late, "dealer", dealer_id=sur.id)
    tasks.escalate(late.case, tasks.S9_POLICY)  # its four-hour check was missed (S9)
    if technical is not None:
        abnormal = tasks.open_task("request", customer_id, "Vibración anómala en el cabezal", emergency=True)
        tasks.dispatch_task(abnormal, "department", department_id=technical.id)
    tasks.open_task("exchange", sur_sales[1].customer_id, "Solicitud de cambio de la unidad", emergency=True)
    for dealer in (norte, sur):
        grading.regrade(dealer.id)
    return logins
