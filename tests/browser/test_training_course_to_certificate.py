"""A course from draft through the owner's approval, a session, an enrolment refused for a missing
prerequisite, attendance, the assessment and the certificate, driven in Chromium."""
from core.auth.models import OrganisationKind
from tests import factories
from tests.conftest import TEST_PASSWORD, needs_plugins
from tests.training import builders

from .conftest import log_in


@needs_plugins("training")
def test_course_from_draft_to_certificate(live_app, page, clock):
    with live_app.app_context():
        factories.user(["trainer"], username="formadora")
        owner = factories.org(OrganisationKind.CUSTOMER, name="Hospital San Rafael")
        factories.user(["customer"], organisation=owner, username="ines")
        basics = builders.course("BC-100", title="Fundamentos")
        lacking = factories.user(["technician"], username="sinbase")
        holder = factories.user(["technician"], username="conbase")
        builders.certified(holder, basics, clock)
        basics_id, lacking_id, holder_id = basics.id, lacking.id, holder.id

    log_in(page, "formadora", TEST_PASSWORD)
    page.goto("/training/courses/new")
    page.fill("input[name=code]", "OP-HSR")
    page.fill("input[name=title]", "Operación de la climatización")
    page.fill("input[name=hours]", "12")
    page.select_option("select[name=audience]", "owner_engineers")
    page.select_option("select[name=owner_org_id]", label="Hospital San Rafael")
    page.fill("textarea[name=syllabus]", "Descripción del sistema\nArranque y parada\nAlarmas")
    page.select_option("select[name=prerequisite_ids]", str(basics_id))
    page.click("#course-form button[type=submit]")
    page.wait_for_selector("#plan-status .plan-draft")
    assert page.locator("#syllabus li").count() == 3
    page.click("#send-form button[type=submit]")
    page.wait_for_selector("#plan-status .plan-sent")
    course_url = page.url

    page.context.clear_cookies()
    log_in(page, "ines", TEST_PASSWORD)
    page.goto(course_url)
    page.select_option("#answer-form select[name=decision]", "approve")
    page.click("#answer-form button[type=submit]")
    page.wait_for_selector("#plan-status .plan-approved")

    page.context.clear_cookies()
    log_in(page, "formadora", TEST_PASSWORD)
    page.goto(course_url)
    page.click("#new-session")
    page.fill("input[name=starts_at]", "2026-03-20T09:00")
    page.fill("input[name=place]", "Aula del hospital")
    page.fill("input[name=capacity]", "5")
    page.click("#session-form button[type=submit]")
    page.wait_for_selector("#enrol-form")

    page.select_option("#enrol-form select[name=user_id]", str(lacking_id))
    page.click("#enrol-form button[type=submit]")
    error = page.wait_for_selector("#enrol-form .error")
    assert "BC-100" in error.inner_text()

    page.select_option("#enrol-form select[name=user_id]", str(holder_id))
    page.click("#enrol-form button[type=submit]")
    page.wait_for_selector("#enrolled >> text=Conbase")

    clock.advance(days=20)  # the session has been given
    page.reload()
    page.select_option(".attendance-form select[name=attended]", "1")
    page.click(".attendance-form button[type=submit]")
    page.fill(".assessment-form input[name=score]", "88")
    page.click(".assessment-form button[type=submit]")
    link = page.wait_for_selector(".certificate-link")
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.ok and pdf.body().startswith(b"%PDF")
