"""Log in, open a case, add a comment through htmx, see it on the timeline."""
from tests import factories
from tests.conftest import TEST_PASSWORD

from .conftest import log_in


def test_comment_appears_on_timeline_without_reload(live_app, page):
    with live_app.app_context():
        factories.user(["customer_service"], username="carmen")
        case = factories.case(title="Bomba de calor sin arrancar")
        case_id = case.id
    log_in(page, "carmen", TEST_PASSWORD)
    page.goto(f"/cases/{case_id}")
    page.evaluate("window.__marker = 'same page'")
    page.fill("#comment-form textarea[name=text]", "Técnico avisado, llega en 1 h")
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector(".event-case-comment >> text=Técnico avisado, llega en 1 h")
    # htmx swapped a fragment: the page (and our marker) survived, no full reload.
    assert page.evaluate("window.__marker") == "same page"


def test_refused_comment_shows_its_error_next_to_the_field(live_app, page):
    with live_app.app_context():
        factories.user(["customer_service"], username="carmen")
        case_id = factories.case(title="Sin texto").id
    log_in(page, "carmen", TEST_PASSWORD)
    page.goto(f"/cases/{case_id}")
    page.fill("#comment-form textarea[name=text]", "   ")  # only blanks: refused by the server
    page.click("#comment-form button[type=submit]")
    page.wait_for_selector("#comment-form #text-error")
    page.fill("#log-form textarea[name=summary]", "")
    page.select_option("#log-form select[name=kind]", "visit")
    page.fill("#log-form input[name=result]", "Pendiente de pieza")
    page.click("#log-form button[type=submit]")
    page.wait_for_selector("#log-form #summary-error")
    assert page.input_value("#log-form input[name=result]") == "Pendiente de pieza"  # nothing lost
