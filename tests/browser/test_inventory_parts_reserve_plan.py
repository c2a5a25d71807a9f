"""A dealer proposes a reserve plan, the sales office approves it, and the order ships on cash on delivery."""
from datetime import date

from core.extensions import db
from plugins.inventory_parts.models import PartsOrder
from plugins.inventory_parts.services import catalogue, plans, stock
from tests import factories
from tests.conftest import TEST_PASSWORD, needs_plugins
from tests.inventory_parts.helpers import assert_ledger_balances

from .conftest import log_in


@needs_plugins("inventory_parts")
def test_reserve_plan_to_cash_on_delivery(live_app, page, tmp_path):
    with live_app.app_context():
        norte = factories.org("dealer", name="Agro Norte Distribución")
        factories.user(["dealer"], organisation=norte, username="nuria")
        factories.user(["sales_office"], username="sofia")
        for number, name in (("FA-0101", "Filtro de aceite"), ("CS-0420", "Cuchilla de siega")):
            part = catalogue.save_part(dict(number=number, name=name, kind="wear", unit="ud", cost_price="4",
                                            list_price="10.00"))
            stock.post_move(part, stock.company_location(), 50, "receipt")
        plans.save_season("Campaña de cosecha", date(2026, 6, 1), date(2026, 9, 30))
        db.session.commit()

    log_in(page, "nuria", TEST_PASSWORD)
    page.goto("/parts/plans/new")
    page.select_option("select[name=season_id]", label="Campaña de cosecha")
    page.click("main form button[type=submit]")
    page.wait_for_selector("#plan-lines-form")
    first_line = page.locator("#plan-lines-form input[name^=line-]").first
    first_line.fill("7")
    page.click("#propose-plan")
    page.wait_for_selector(".status-submitted")
    assert page.locator("#late-flag").count() == 0  # proposed more than 30 days ahead

    page.context.clear_cookies()
    log_in(page, "sofia", TEST_PASSWORD)
    page.goto("/parts/plans")
    page.click("table a")
    rows = [row.get_attribute("id") for row in page.locator("#plan-body tr[id^=plan-line-]").all()]
    for row in rows:  # approve each line as proposed (the default decision)
        page.click(f"#{row} button")
        page.wait_for_selector(f"#{row} >> text=Aprobado")
    page.click("#finalise-form button")
    page.wait_for_selector(".status-approved")
    page.click("#plan-body a[href*='/parts/orders/']")

    page.click("#ship-form button")
    page.wait_for_selector("#payment-form")
    total = page.locator("#order-total").inner_text()
    page.fill("#payment-form input[name=reference]", "Recibo 0042")
    page.click("#payment-form button")
    page.wait_for_selector("#order-paid >> text=Recibo 0042")
    note = tmp_path / "albaran-firmado.pdf"
    note.write_bytes(b"%PDF-1.4 albaran firmado y sellado")
    page.set_input_files("#note-form input[type=file]", str(note))
    page.click("#note-form button")
    page.wait_for_selector("#order-note >> text=albaran-firmado.pdf")
    page.click("#close-form button")
    page.wait_for_selector(".status-closed")

    with live_app.app_context():
        order = db.session.scalars(db.select(PartsOrder)).one()
        assert order.state == "closed" and order.plan_id is not None
        assert order.paid_amount == order.total and total.replace(",", ".").startswith(str(order.total)[:2])
        assert order.lines[0].quantity == 7
        assert_ledger_balances()
        db.session.remove()
