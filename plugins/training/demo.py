"""Demo data of the training plugin, in Spanish: courses in every plan state, sessions (one
full with a waiting list), certificates (one about to lapse), a dealer plan, a manual in draft."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.auth.models import Organisation, OrganisationKind, User
from core.auth.services import company, create_organisation, create_user
from core.clock import now, today
from core.demo import DemoLogin
from core.demo_data import DEMO_PASSWORD
from core.extensions import db

from .models import Audience
from .services import courses, manuals, sessions
from .services.certification import save_dealer_plan


def _org(name: str, kind: str) -> Organisation:
    found = db.session.scalar(select(Organisation).where(Organisation.name == name, Organisation.kind == kind))
    return found or create_organisation(name, kind)


def _user(username: str) -> User:
    return db.session.scalar(select(User).where(User.username == username))


def _course(code, title, audience, topics, owner=None, **fields):
    return courses.save_course(None, code=code, title=title, hours=fields.pop("hours", "8"), audience=audience,
                               syllabus="\n".join(topics), owner_org_id=owner.id if owner else None, **fields)


def _given(course, person, days_ago: int, score=90):
    """A session held ``days_ago`` with ``person`` passed (history, so its date is set afterwards)."""
    held = sessions.schedule_session(course, starts_at=now() + timedelta(days=1), place="Aula de formación, Madrid",
                                     capacity=8, instructor_id=_user("formador").id)
    enrolment = sessions.enrol(held, person)
    held.starts_at = now() - timedelta(days=days_ago)
    sessions.record_attendance(enrolment, True)
    certificate = sessions.record_assessment(enrolment, score)
    certificate.issued_on = today() - timedelta(days=days_ago)
    certificate.valid_until = sessions.add_months(certificate.issued_on, course.validity_months or 24)
    held.status = "completed"
    return certificate


def load_demo(app) -> list[DemoLogin]:
    staff = company()
    hospital = _org("Hospital San Rafael", OrganisationKind.CUSTOMER)
    conservas = _org("Conservas del Norte S.L.", OrganisationKind.CUSTOMER)
    dealer = _org("Agrícola Norte S.L.", OrganisationKind.DEALER)  # created by core's demo
    trainer = create_user("formador", DEMO_PASSWORD, staff, roles=["trainer"], full_name="Francisco Formador")
    create_user("revisor_hospital", DEMO_PASSWORD, hospital, roles=["customer"],
                           full_name="Inés Ingeniera (Hospital)")
    fitters = [create_user(name, DEMO_PASSWORD, dealer, roles=["dealer"], full_name=full)
               for name, full in (("tecnico_agricola", "Andrés Mecánico"), ("tecnico_agricola2", "Rosa Montadora"))]

    safety = _course("SEG-01", "Seguridad eléctrica básica", Audience.OWN_STAFF,
                     ["Riesgo eléctrico", "Equipos de protección", "Consignación de instalaciones"], hours="4")
    heat_pumps = _course("BC-101", "Mantenimiento de bombas de calor", Audience.OWN_STAFF,
                         ["Circuito frigorífico", "Puesta en marcha", "Averías frecuentes", "Sustitución de compresor"],
                         product_family="bomba_calor", required_roles=["technician", "technical"],
                         prerequisite_ids=[safety.id], hours="16")
    dealers_course = _course("DIST-01", "Formación periódica de distribuidores", Audience.DEALER_TECHNICIANS,
                             ["Tres garantías: alcance", "Registro de mantenimiento", "Devolución de piezas antiguas"],
                             validity_months=12)
    hospital_course = _course("OP-HSR", "Operación de la climatización del hospital", Audience.OWNER_ENGINEERS,
                              ["Descripción del sistema", "Arranque y parada", "Alarmas", "Mantenimiento básico"],
                              owner=hospital, hours="12")
    _course("CONS-01", "Operación de cámaras frigoríficas", Audience.OWNER_ENGINEERS,
            ["Control de temperatura", "Desescarche", "Limpieza"], owner=conservas)
    for course in (safety, heat_pumps, dealers_course):
        courses.approve_internal_plan(course)
    courses.send_plan(hospital_course)  # awaiting the hospital's review

    technician, technical = _user("technician"), _user("technical")
    _given(safety, technician, days_ago=700)  # lapses within the reminder window
    _given(safety, technical, days_ago=90)
    _given(dealers_course, fitters[0], days_ago=300)

    full = sessions.schedule_session(heat_pumps, starts_at=now() + timedelta(days=10), place="Taller central, Getafe",
                                     capacity=1, instructor_id=trainer.id)
    sessions.enrol(full, technical)
    sessions.enrol(full, technician)  # the session is full: on the waiting list
    sessions.schedule_session(dealers_course, starts_at=now() + timedelta(days=21),
                              place="Agrícola Castellana, Valladolid", capacity=12, instructor_id=trainer.id)
    save_dealer_plan(dealer, dealers_course, 12, "Antes de la campaña de cosecha")
    manuals.create_manual(hospital.id, "Climatización de quirófanos", "1. Descripción del sistema\n"
                          "2. Descripción técnica y lista de equipos\n3. Procedimientos de mantenimiento\n"
                          "4. Sustitución de piezas\n5. Lista de averías\n6. Contactos",
                          on_site_testing_on=today() + timedelta(days=20))
    return [DemoLogin("formador", DEMO_PASSWORD, "trainer", staff.name),
            DemoLogin("revisor_hospital", DEMO_PASSWORD, "customer", hospital.name),
            DemoLogin("tecnico_agricola", DEMO_PASSWORD, "dealer", dealer.name)]
