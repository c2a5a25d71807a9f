"""Demo data in Spanish: products, units in and out of warranty, an emergency about to breach and one
breached (with its loaner demanded), visit plans with overdue visits, a task book waiting for approval."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from sqlalchemy import select

from core.auth.models import Organisation, OrganisationKind, User
from core.auth.services import company, create_user
from core.cases.timeline import record
from core.clock import now, today
from core.deadlines import DeadlineClock
from core.demo import DemoLogin
from core.demo_data import DEMO_PASSWORD
from core.extensions import db

from . import emergency, fees, handover, maintenance, records, services, visits
from .models import PolicyPart, Visit, WarrantyPolicy


def _policy() -> WarrantyPolicy:
    wp = WarrantyPolicy(
        name="Garantía estándar 2 años", term_months=24, covers_parts=True, covers_labour=True, covers_travel=True,
        exclusions="Uso o manipulación indebidos por el usuario", preferential_markup_percent=Decimal("5"),
        principles="La garantía comienza el día en que ambas partes firman el informe de aceptación y dura dos "
                   "años. Durante ese periodo la reparación, la sustitución y el mantenimiento son gratuitos; los "
                   "daños por uso indebido no están cubiertos. Su objetivo es mantener el equipo funcionando con "
                   "seguridad y atender cada aviso con rapidez.",
        responsible="Atención al cliente (Carmen Servicio), Ingeniería (Elena Ingeniera), "
                    "Departamento técnico (Tomás Técnico).")
    wp.parts = [PolicyPart(part_number="CMP-200", service_life_months=96),
                PolicyPart(part_number="VAL-EXP", service_life_months=60)]
    db.session.add(wp)
    db.session.flush()
    return wp


def load_demo(app) -> list[DemoLogin]:
    staff = {u.username: u for u in db.session.scalars(select(User))}
    customers = list(db.session.scalars(select(Organisation).where(
        Organisation.kind == OrganisationKind.CUSTOMER).order_by(Organisation.id)))
    hospital, conservas, olivos = customers[:3]
    own = company()
    logins = []
    for username, full_name, role in (("jefe_departamento", "Julia Jefa de Departamento", "department_head"),
                                      ("jefe_unidad", "Ulises Jefe de Unidad", "unit_leader"),
                                      ("gerencia", "Gabriel Gerente General", "general_manager")):
        staff[username] = create_user(username, DEMO_PASSWORD, own, roles=[role], full_name=full_name,
                                      email=f"{username}@postventa.example")
        logins.append(DemoLogin(username, DEMO_PASSWORD, role, own.name))

    wp = _policy()
    heat_pump = services.create_product("BC-200", "Bomba de calor aire-agua 20 kW", "climatización", "Termia", wp)
    chiller = services.create_product("EN-450", "Enfriadora de agua 45 kW", "climatización", "Termia", wp)
    genset = services.create_product("GE-60", "Grupo electrógeno 60 kVA", "energía", "Potencia Ibérica", wp)
    d = today()

    def unit(product, serial, customer, site, accepted_on=None, director=None):
        u = services.create_unit(product, serial, customer.id, site=site,
                                 delivered_on=accepted_on - timedelta(days=20) if accepted_on else None,
                                 installed_on=accepted_on - timedelta(days=10) if accepted_on else None,
                                 completed_on=accepted_on)
        if accepted_on:
            services.record_acceptance(u, accepted_on, "Jefe de mantenimiento del cliente", "Tomás Técnico")
            visits.plan_visits(u)
        u.project_director_id = director.id if director else None
        return u

    hospital_pump = unit(heat_pump, "BC200-0001", hospital, "Calle Mayor 1, Madrid · cubierta",
                         d - timedelta(days=300), staff["technician"])
    hospital_chiller = unit(chiller, "EN450-0107", hospital, "Calle Mayor 1, Madrid · sala de máquinas",
                            d - timedelta(days=120))
    old_genset = unit(genset, "GE60-0033", conservas, "Polígono Asua 7, Bilbao", d - timedelta(days=1000))
    olivos_pump = unit(heat_pump, "BC200-0002", olivos, "Avenida de la Palmera 20, Sevilla", d - timedelta(days=40),
                       staff["technician"])
    unit(heat_pump, "BC200-9001", own, "Almacén central · equipo de préstamo")
    unit(chiller, "EN450-9001", own, "Almacén central · equipo de préstamo")
    new_pump = unit(heat_pump, "BC200-0003", olivos, "Avenida de la Palmera 20, Sevilla · bloque B")

    # A visit reported on time, so the compliance report has both sides.
    first = db.session.scalar(select(Visit).join(Visit.card).where(Visit.card.has(unit_id=hospital_pump.id))
                              .order_by(Visit.due_on))
    visits.report_visit(first, opinions="El cliente está satisfecho con el rendimiento.", defects="",
                        supervisor=staff["technical"], done_on=first.due_on)
    records.issue_card(hospital_pump, "es")

    # An emergency about to breach S1 and one whose S3 clock breached (loaner demanded).
    def request(u, content, **flags):
        return emergency.open_service_request(u.customer_id, unit=u, owner_name="Jefe de mantenimiento",
                                              owner_phone=u.customer.phone, owner_address=u.site,
                                              content=content, requirements="Atención urgente", **flags)

    breached = request(hospital_chiller, "La enfriadora se ha parado: quirófanos sin climatización", emergency=True)
    emergency.answer(breached, "Técnico asignado, sale ahora mismo.")
    emergency.check_in(breached, staff["technician"])
    # As if opened five hours ago: S3 breached an hour ago, which demanded a loaner (S4).
    for clock_row in db.session.scalars(select(DeadlineClock).where(DeadlineClock.case_id == breached.id)):
        clock_row.started_at = now() - timedelta(hours=5)
        if clock_row.policy == emergency.S3_POLICY:
            clock_row.due_at = clock_row.breached_at = now() - timedelta(hours=1)
            record(breached, "deadline.breached", {"policy": clock_row.policy, "label": "S3",
                                                   "due_at": clock_row.due_at.isoformat()})
            emergency.on_deadline_breached(clock_row, breached)

    # Opened 25 minutes ago: its S1 answer clock breaches in five minutes.
    soon = request(hospital_pump, "Alarma de alta presión en la bomba de calor", emergency=True)
    for clock_row in db.session.scalars(select(DeadlineClock).where(DeadlineClock.case_id == soon.id)):
        clock_row.started_at -= timedelta(minutes=25)
        clock_row.due_at -= timedelta(minutes=25)

    # Out of warranty: priced at cost and preferential price, accepted by the customer.
    paid = request(old_genset, "El grupo no arranca en la prueba semanal")
    fees.add_line(paid, "parts", "Motor de arranque", 1, part_number="ARR-60", unit_price="310.00")
    fees.add_line(paid, "labour", "Mano de obra (horas)", 2, unit_price="38.00")
    fees.add_line(paid, "travel", "Desplazamiento", 1, unit_price="45.00")
    fees.accept_fees(paid, "Iñaki Etxeberria")

    # A complaint with its 24 h contact clock, classified as the company's workmanship.
    complaint = request(olivos_pump, "Humedad en el techo bajo la unidad exterior", complaint=True)
    maintenance.classify(complaint, "company", "Sellado deficiente del paso de tuberías.", staff["engineering"],
                         confirmed_in_person=True)
    book = maintenance.create_task_book(
        complaint, notified_on=d - timedelta(days=2), repair_content="Resellar el paso de tuberías y reparar el techo",
        agreed_via="on_site", root_causes="Sellado insuficiente durante la instalación",
        measures="Revisar el sellado en cada puesta en marcha")
    maintenance.review_task_book(book, staff["jefe_departamento"], True)  # waits for the unit leader

    # A new unit on its way from delivery to handover.
    installation = handover.start_installation(new_pump, "Rocío Martín")
    handover.agree_delivery(installation, now() + timedelta(days=1), "Rocío Martín")
    return logins
