"""O&M manuals (T2, T3), the maker's technical director and the maker at operation training (T1),
the owner's engineers at commissioning (T5)."""
from __future__ import annotations

from datetime import timedelta

import pytest

from core.auth.models import OrganisationKind
from core.cases.models import TimelineEvent
from core.errors import BusinessRuleError
from core.extensions import db
from core.facts import InstalledUnit
from core.hookspecs import hookimpl
from plugins.training.models import Audience, InvitationKind, Manual, ManualStatus, ManualVersion
from plugins.training.services import invitations, manuals, sessions
from tests import factories
from tests.conftest import login

from . import builders

SECTIONS = dict(system_description="Climatización del bloque quirúrgico", technical_description="Dos enfriadoras",
                maintenance_procedures="Limpieza de filtros mensual", parts_replacement="Filtros F7 cada 6 meses",
                fault_list="E01 presión baja")


class InstalledBase:
    """Another plugin's answer to ``postventa_installed_units`` (the warranty plugin's, in production)."""

    def __init__(self, customer_id):
        self.customer_id = customer_id

    @hookimpl
    def postventa_installed_units(self, organisation_id):
        if organisation_id != self.customer_id:
            return []
        return [InstalledUnit(serial="EF-2231", product_model="Enfriadora 300", product_family="enfriadora",
                              maker="Frío Ibérico", settings={"consigna": "7 °C"})]


def approved_manual(customer=None):
    manual = manuals.create_manual((customer or factories.org(OrganisationKind.CUSTOMER)).id, "Hospital - Quirófanos",
                                   "1. Sistema\n2. Equipos\n3. Mantenimiento")
    manuals.send_outline(manual)
    manuals.answer_outline(manual, True)
    db.session.commit()
    return manual


def test_t2_manual_is_written_only_after_the_outline_is_approved(tapp):
    manual = manuals.create_manual(factories.org(OrganisationKind.CUSTOMER).id, "Residencial - Calderas", "")
    with pytest.raises(BusinessRuleError):
        manuals.send_outline(manual)  # nothing to send yet
    manuals.save_outline(manual, "1. Descripción\n2. Mantenimiento")
    manuals.send_outline(manual)
    with pytest.raises(BusinessRuleError) as refused:
        manuals.save_version(manual, director_name="", director_phone="", **SECTIONS)
    assert refused.value.field == "system_description"
    manuals.answer_outline(manual, False, "Falta la lista de averías")
    assert manual.status == ManualStatus.OUTLINE_CHANGES
    manuals.send_outline(manual)
    manuals.answer_outline(manual, True)
    assert manuals.save_version(manual, director_name="", director_phone="", **SECTIONS).number == 1
    events = [e.type for e in db.session.query(TimelineEvent).filter_by(case_id=manual.case_id).order_by(TimelineEvent.id)]
    assert events == ["case.opened", "training.outline_sent", "training.outline_changes_requested",
                      "training.outline_sent", "training.outline_approved", "training.manual_version"]


def test_t2_policy_off_lets_the_manual_be_written_without_review(make_app):
    app = make_app(["training"], POSTVENTA_POLICIES={"training.outline_review_required": False})
    with app.app_context():
        manual = manuals.create_manual(factories.org(OrganisationKind.CUSTOMER).id, "Obra", "")
        assert manuals.save_version(manual, director_name="", director_phone="", **SECTIONS).number == 1


def test_t3_equipment_list_comes_from_the_installed_units_and_versions_are_kept(tapp):
    customer = factories.org(OrganisationKind.CUSTOMER)
    tapp.extensions["postventa"].registry.pm.register(InstalledBase(customer.id), name="installed-base")
    manual = approved_manual(customer)
    first = manuals.save_version(manual, director_name="Jorge Frío", director_phone="+34 600 111 222", **SECTIONS)
    second = manuals.save_version(manual, director_name="Jorge Frío", director_phone="+34 600 111 222",
                                  extra_equipment="Bombas SA; BX-10; B-77; caudal 3 m3/h",
                                  **{**SECTIONS, "fault_list": "E01, E02"})
    db.session.commit()
    assert first.equipment == [{"maker": "Frío Ibérico", "model": "Enfriadora 300", "serial": "EF-2231",
                                "settings": "consigna: 7 °C"}]
    assert [row["serial"] for row in second.equipment] == ["EF-2231", "B-77"]
    assert [v.number for v in db.session.query(ManualVersion).filter_by(manual_id=manual.id)] == [1, 2]
    assert manuals.issue(manual).number == 2 and manual.status == ManualStatus.ISSUED


def test_t3_manual_with_a_missing_section_or_no_equipment_is_not_issued(tapp):
    manual = approved_manual()
    manuals.save_version(manual, director_name="Jorge", director_phone="600", **{**SECTIONS, "fault_list": ""})
    with pytest.raises(BusinessRuleError):
        manuals.issue(manual)
    version = manuals.latest_version(manual)
    assert set(manuals.missing_for_issue(version)) == {"fault_list", "equipment"}


def test_t1_manual_needs_the_makers_technical_directors_phone(tapp):
    manual = approved_manual()
    version = manuals.save_version(manual, director_name="Jorge Frío", director_phone="",
                                   extra_equipment="Frío Ibérico; E-300; EF-1", **SECTIONS)
    assert manuals.missing_for_issue(version) == ["maker_technical_director"]
    manuals.save_version(manual, director_name="Jorge Frío", director_phone="+34 600 111 222",
                         extra_equipment="Frío Ibérico; E-300; EF-1", **SECTIONS)
    assert manuals.issue(manual).contacts[0] == {"role": "maker_technical_director", "name": "Jorge Frío",
                                                 "phone": "+34 600 111 222"}


def test_t1_operation_training_is_completed_only_with_the_maker_invited(tapp, clock):
    owner = factories.org(OrganisationKind.CUSTOMER)
    given = builders.session(builders.course(owner=owner, audience=Audience.OWNER_ENGINEERS), days_ahead=1)
    enrolment = sessions.enrol(given, factories.user(["customer"], organisation=owner))
    clock.advance(days=2)
    sessions.record_attendance(enrolment, True)
    with pytest.raises(BusinessRuleError) as refused:
        sessions.complete_session(given)
    assert refused.value.field == "status"
    invitations.invite(kind=InvitationKind.MAKER, name="Jorge Frío", company="Frío Ibérico", session=given)
    db.session.refresh(given)
    sessions.complete_session(given)
    assert given.status == "completed"


def test_t1_policy_off_completes_operation_training_without_the_maker(make_app, clock):
    app = make_app(["training"], POSTVENTA_POLICIES={"training.maker_invited_to_operation_training": False})
    with app.app_context():
        given = builders.session(builders.course(audience=Audience.OWNER_ENGINEERS), days_ahead=1)
        clock.advance(days=2)
        sessions.complete_session(given)
        assert given.status == "completed"


def test_t5_commissioning_needs_the_owners_engineers_invited_and_their_attendance(tapp):
    manual = approved_manual()
    with pytest.raises(BusinessRuleError):
        manuals.hold_commissioning(manual)
    came = invitations.invite(kind=InvitationKind.OWNER_ENGINEER, name="Ing. Laura Gil", manual=manual)
    absent = invitations.invite(kind=InvitationKind.OWNER_ENGINEER, name="Ing. Pablo Ruiz", manual=manual)
    db.session.refresh(manual)
    invitations.record_attendance(came, True)
    with pytest.raises(BusinessRuleError):
        manuals.hold_commissioning(manual)  # Pablo's attendance is not recorded
    invitations.record_attendance(absent, False)
    manuals.hold_commissioning(manual)
    event = db.session.query(TimelineEvent).filter_by(case_id=manual.case_id, type="training.commissioning_held").one()
    assert event.payload["attended"] == ["Ing. Laura Gil"] and event.payload["absent"] == ["Ing. Pablo Ruiz"]


def test_manual_forms_refuse_bad_input_next_to_the_field(tapp, tclient):
    login(tclient, factories.user(["engineering"]).username)
    created = tclient.post("/training/manuals/new", data={"customer_org_id": "", "project": ""})
    assert created.status_code == 422 and 'id="project-error"' in created.get_data(as_text=True)
    manual = approved_manual()
    bad_lines = tclient.post(f"/training/manuals/{manual.id}/versions",
                             data={**SECTIONS, "extra_equipment": "solo el fabricante", "contacts": "x"})
    assert bad_lines.status_code == 422
    body = bad_lines.get_data(as_text=True)
    assert 'id="extra_equipment-error"' in body or 'id="contacts-error"' in body
    assert "Limpieza de filtros mensual" in body  # nothing typed is lost
    issue = tclient.post(f"/training/manuals/{manual.id}/issue")
    assert issue.status_code == 422
    assert tclient.get(f"/training/manuals/{manual.id}").status_code == 200
    db.session.expire_all()
    assert db.session.get(Manual, manual.id).status == ManualStatus.OUTLINE_APPROVED


def test_customer_answers_the_outline_of_its_own_project_only(tapp, tclient):
    mine = factories.org(OrganisationKind.CUSTOMER)
    manual = manuals.create_manual(mine.id, "Conservas - Cámaras", "1. Índice")
    manuals.send_outline(manual)
    db.session.commit()
    login(tclient, factories.user(["customer"], organisation=factories.org(OrganisationKind.CUSTOMER)).username)
    assert "Conservas" not in tclient.get("/training/reviews").get_data(as_text=True)
    assert tclient.post(f"/training/manuals/{manual.id}/answer", data={"decision": "approve"}).status_code == 404
    tclient.post("/logout")
    login(tclient, factories.user(["customer"], organisation=mine).username)
    assert "Conservas" in tclient.get("/training/reviews").get_data(as_text=True)
    assert tclient.post(f"/training/manuals/{manual.id}/answer", data={"decision": "approve"}).status_code == 302


def test_t2_outline_sent_after_on_site_testing_is_flagged_late(tapp, clock):
    customer = factories.org(OrganisationKind.CUSTOMER)
    on_time = manuals.create_manual(customer.id, "A tiempo", "1. Índice", on_site_testing_on=clock().date() + timedelta(days=5))
    late = manuals.create_manual(customer.id, "Tarde", "1. Índice", on_site_testing_on=clock().date() - timedelta(days=1))
    manuals.send_outline(on_time)
    manuals.send_outline(late)
    sent = {e.payload["project"]: e.payload["late"]
            for e in db.session.query(TimelineEvent).filter_by(type="training.outline_sent")}
    assert sent == {"A tiempo": False, "Tarde": True}
