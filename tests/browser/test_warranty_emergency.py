"""Open an emergency case for a unit in warranty, see the entitlement, check in, breach 4 h, lend a loaner, close."""
from datetime import date

from core.auth.models import OrganisationKind
from core.auth.services import company
from core.deadlines import run_deadlines
from core.extensions import db
from tests import factories
from tests.conftest import TEST_PASSWORD, needs_plugins

from .conftest import log_in


@needs_plugins("warranty")
def test_emergency_case_breaches_s3_and_gets_a_loaner(live_app, page, clock):
    from plugins.warranty import services

    with live_app.app_context():
        factories.user(["customer_service", "technician"], username="carmen")
        customer = factories.org(OrganisationKind.CUSTOMER, name="Hospital San Rafael")
        product = services.create_product("BC-200", "Bomba de calor", "climatización")
        unit = services.create_unit(product, "BC200-0001", customer.id, completed_on=date(2025, 6, 1))
        services.record_acceptance(unit, date(2025, 6, 1), "Jefe de mantenimiento", "Tomás Técnico")
        services.create_unit(product, "BC200-9001", company().id)  # the loaner pool
        db.session.commit()
        customer_id = customer.id

    log_in(page, "carmen", TEST_PASSWORD)
    page.goto("/warranty/requests/new")
    page.select_option("select[name=customer_id]", str(customer_id))
    page.fill("input[name=serial]", "BC200-0001")
    page.click("text=Comprobar garantía")
    page.wait_for_selector("#request-entitlement .in-warranty")
    page.fill("input[name=owner_name]", "Lucía Pérez")
    page.fill("input[name=owner_phone]", "600111222")
    page.fill("input[name=owner_address]", "Calle Mayor 1, Madrid")
    page.fill("textarea[name=content]", "La bomba de calor no arranca")
    page.check("input[name=emergency]")
    page.click("#request-form button[type=submit]")
    page.wait_for_selector("#warranty-service .in-warranty")  # the entitlement, at once
    case_id = int(page.url.rstrip("/").split("/")[-1])

    page.select_option("#warranty-check-in select[name=technician_id]", label="Carmen")
    page.click("#warranty-check-in button[type=submit]")
    page.wait_for_selector(".event-warranty-checked_in, .event-warranty-checked-in")

    with live_app.app_context():
        clock.advance(minutes=241)
        assert run_deadlines() >= 1
    page.reload()
    page.wait_for_selector("#loaner-missing")

    page.select_option("#warranty-issue-loaner select[name=loaner_unit_id]", label="BC-200 · BC200-9001")
    page.click("#warranty-issue-loaner button[type=submit]")
    page.wait_for_selector("#loaner-out")

    page.select_option("#status-form select[name=status]", "closed")
    page.click("#status-form button[type=submit]")
    page.wait_for_selector(".event-case-closed")
    with live_app.app_context():
        from core.cases.models import Case
        assert db.session.get(Case, case_id).status == "closed"
