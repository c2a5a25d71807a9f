"""A dealer's day in Chromium: register a sale, file a claim, send the old part back; the
technical department appraises, finance issues the notice, the dealer confirms, the balance moves once."""
from sqlalchemy import func, select

from tests import factories
from tests.conftest import TEST_PASSWORD, needs_plugins

from .conftest import log_in


def log_out(page):
    page.click("form[action='/logout'] button")
    page.wait_for_url("**/login**")


@needs_plugins("dealers")
def test_dealer_day_from_sale_to_confirmed_notice(live_app, page):
    from core.extensions import db
    from plugins.dealers.models import Claim, LedgerEntry
    from plugins.dealers.services import profiles, settlement
    from plugins.warranty import services as warranty

    with live_app.app_context():
        warranty.create_product("CS-300", "Cosechadora compacta", "cosechadoras")
        dealer = profiles.create_dealer("Agrícola Norte S.L.").organisation
        db.session.commit()
        dealer_id = dealer.id
        factories.user(["dealer", "dealer_manager"], organisation=dealer, username="dealer_norte")
        factories.user(["technical"], username="tomas")
        factories.user(["finance"], username="fernanda")

    log_in(page, "dealer_norte", TEST_PASSWORD)
    page.goto("/dealers/sales/new")
    page.fill("#sale-form input[name=serial]", "CS3-0001")
    page.fill("#sale-form input[name=product_model]", "CS-300")
    page.fill("#sale-form input[name=customer_name]", "Finca El Roble")
    page.fill("#sale-form input[name=sold_on]", "2026-02-25")
    page.check("#sale-form input[name=scope_acknowledged]")
    page.click("#sale-form button[type=submit]")
    page.wait_for_selector("#sales >> text=CS3-0001")

    page.goto("/dealers/claims/new")
    page.fill("#claim-start-form input[name=serial]", "CS3-0001")
    page.click("#claim-start-form button[type=submit]")
    page.wait_for_selector("#claim-form")
    page.evaluate("window.__marker = 'same page'")
    page.fill("#claim-form input[name=fault_on]", "2026-03-01")
    page.fill("#claim-form textarea[name=fault]", "Rodamiento del eje trasero roto")
    page.select_option("#claim-form select[name=cause]", "manufacture")
    page.fill("#claim-form input[name=labour_hours]", "2")
    page.fill("#claim-form input[name=travel_km]", "40")
    page.fill("#claim-form input[name=served_user_name]", "José Martín")
    page.click("#claim-form button[name=save]")
    page.wait_for_selector("#claim-form input[name=served_user_name][value='José Martín']")
    page.fill("#part-form input[name=part_number]", "RD-12")
    page.fill("#part-form input[name=unit_price]", "80.00")
    page.fill("#part-form input[name=old_serial]", "V-778")
    page.click("#part-form button[type=submit]")
    page.wait_for_selector("#claim-parts >> text=RD-12")
    page.click("#claim-submit")
    page.wait_for_selector("#claim-parts >> text=RD-12")
    page.wait_for_selector("h1 >> .claim-submitted")
    assert page.evaluate("window.__marker") == "same page"  # htmx swapped fragments, no reload

    page.goto("/dealers/shipments")
    page.check("#shipment-form input[name=part_ids]")
    page.select_option("#shipment-form select[name=method]", "truck")
    page.click("#shipment-form button[type=submit]")
    page.wait_for_selector("#shipments >> text=CS3-0001", state="detached")
    log_out(page)

    log_in(page, "tomas", TEST_PASSWORD)
    page.goto("/dealers/shipments")
    page.click("#shipments form button[type=submit]")
    page.wait_for_selector(".flash-success")
    with live_app.app_context():
        claim_id = db.session.scalar(select(Claim.id))
    page.goto(f"/dealers/claims/{claim_id}")
    page.click("#start-appraisal button")
    page.wait_for_selector("form[id^=appraise-part]")
    page.check("form[id^=appraise-part] input[name=defect_confirmed]")
    page.click("form[id^=appraise-part] button")
    page.wait_for_selector("form[id^=appraise-part]", state="detached")
    page.click("#approve-form button")
    page.wait_for_selector("h1 >> .claim-approved")
    log_out(page)

    log_in(page, "fernanda", TEST_PASSWORD)
    page.goto(f"/dealers/claims/{claim_id}")
    page.click("#verify-form button")
    page.wait_for_selector("#amounts")
    page.goto("/dealers/notices")
    page.fill("#issue-form input[name=period_start]", "2026-03-01")
    page.fill("#issue-form input[name=period_end]", "2026-03-31")
    page.click("#issue-form button[type=submit]")
    page.wait_for_selector("#notices >> text=AVT-2026-")
    log_out(page)

    log_in(page, "dealer_norte", TEST_PASSWORD)
    page.goto("/dealers/notices")
    page.click("#notices a")
    page.click("#confirm-form button")
    page.wait_for_selector(".flash-success")
    assert page.locator("#confirm-form").count() == 0  # confirmed: no second button to press
    page.goto("/dealers/ledger")
    balance = page.inner_text("#balance")
    with live_app.app_context():
        total = db.session.scalar(select(Claim.verified_total))
        assert db.session.scalar(select(func.count(LedgerEntry.id))) == 1
        assert settlement.balance(dealer_id) == -total
    assert balance.replace("\u2212", "-").startswith("-")
