"""Core's demo data (company, departments, staff per role, customers, cases) and the loader."""
from __future__ import annotations

from flask import g
from sqlalchemy import select

from core.auth.models import Department, OrganisationKind, User
from core.auth.services import company, create_organisation, create_user, sync_roles
from core.cases import services as cases
from core.cases.models import CaseChannel, CasePriority, CaseStatus
from core.demo import DemoLogin
from core.extensions import db

DEMO_PASSWORD = "postventa"

DEPARTMENTS = [
    "Atención al cliente", "Departamento técnico", "Ingeniería", "Oficina de ventas",
    "Producción", "Finanzas", "Dirección",
]

STAFF = {
    "admin": ("Ana Administradora", None),
    "customer_service": ("Carmen Servicio", "Atención al cliente"),
    "technical": ("Tomás Técnico", "Departamento técnico"),
    "engineering": ("Elena Ingeniera", "Ingeniería"),
    "sales_office": ("Sofía Ventas", "Oficina de ventas"),
    "sales_rep": ("Raúl Representante", "Oficina de ventas"),
    "production": ("Pablo Producción", "Producción"),
    "finance": ("Fernanda Finanzas", "Finanzas"),
    "leadership": ("Luis Director", "Dirección"),
    "technician": ("Marta Mantenimiento", "Departamento técnico"),
}


DEALERS = [
    ("Agrícola Norte S.L.", "dealer_norte", "Iñaki Etxeberria", "+34 985 000 100", "Polígono de Silvota 4, Llanera"),
    ("Maquinaria del Sur S.A.", "dealer_sur", "Rocío Fernández", "+34 954 000 200", "Carretera de Utrera km 3, Sevilla"),
]


def load_core_demo(app) -> list[DemoLogin]:
    org = company()
    org.name = "Postventa Industrial S.A."
    departments = {name: Department(organisation_id=org.id, name=name) for name in DEPARTMENTS}
    db.session.add_all(departments.values())
    db.session.flush()
    logins = []
    for username, (full_name, department) in STAFF.items():
        user = create_user(
            username, DEMO_PASSWORD, org, roles=[username], full_name=full_name,
            department_id=departments[department].id if department else None,
            email=f"{username}@postventa.example",
        )
        logins.append(DemoLogin(username, DEMO_PASSWORD, username, org.name))
        if username == "admin":
            g.postventa_actor_id = user.id
    customers = [
        create_organisation("Hospital San Rafael", OrganisationKind.CUSTOMER, phone="+34 910 000 001",
                            address="Calle Mayor 1, Madrid"),
        create_organisation("Conservas del Norte S.L.", OrganisationKind.CUSTOMER, phone="+34 944 000 002",
                            address="Polígono Asua 7, Bilbao"),
        create_organisation("Residencial Los Olivos", OrganisationKind.CUSTOMER, phone="+34 954 000 003",
                            address="Avenida de la Palmera 20, Sevilla"),
    ]
    create_organisation("Suministros Eléctricos Ibéricos", OrganisationKind.SUPPLIER)
    # The dealers are parties, so core creates them; each plugin adds its own
    # records about them (profiles, stock, training) instead of new dealers.
    for name, username, full_name, phone, address in DEALERS:
        dealer = create_organisation(name, OrganisationKind.DEALER, phone=phone, address=address)
        create_user(username, DEMO_PASSWORD, dealer, roles=["dealer"], full_name=full_name, locale="es")
        logins.append(DemoLogin(username, DEMO_PASSWORD, "dealer", dealer.name))
    staff = {u.username: u for u in db.session.scalars(select(User))}
    samples = [
        ("Ruido en la unidad exterior", customers[0], CasePriority.NORMAL, CaseStatus.OPEN, "technician"),
        ("Consulta sobre la garantía", customers[1], CasePriority.NORMAL, CaseStatus.RESOLVED, "customer_service"),
        ("Fuga de agua en sala de máquinas", customers[2], CasePriority.NORMAL, CaseStatus.IN_PROGRESS, "technician"),
        ("Solicitud de manual de operación", customers[1], CasePriority.NORMAL, CaseStatus.CLOSED, "customer_service"),
    ]
    for title, customer, priority, status, assignee in samples:
        case = cases.open_case(title, customer.id, channel=CaseChannel.CALL, priority=priority,
                               contact_name="Jefe de mantenimiento", contact_phone=customer.phone,
                               site=customer.address)
        cases.assign(case, staff[assignee])
        cases.add_service_log(case, "call", "Llamada del cliente registrada.", "Se programa revisión.")
        cases.add_comment(case, "Cliente informado del plazo de respuesta.")
        cases.change_status(case, status)
    return logins


def load_all(app) -> list[DemoLogin]:
    """Every enabled plugin's demo data, core first, then in dependency order; one commit."""
    registry = app.extensions["postventa"].registry
    sync_roles()
    logins: list[DemoLogin] = []
    for _name, result in registry.call_in_order("postventa_demo_data", app=app):
        logins.extend(result or [])
    db.session.commit()
    return logins
