"""The case page and its htmx actions."""
from tests import factories
from tests.conftest import login


def test_case_page_shows_comment_added_through_htmx(app, client):
    staff = factories.user(["customer_service"])
    case = factories.case(title="Caldera sin presión")
    login(client, staff.username)
    page = client.get(f"/cases/{case.id}")
    assert page.status_code == 200
    assert "Caldera sin presión" in page.get_data(as_text=True)
    answer = client.post(f"/cases/{case.id}/comment", data={"text": "Llamamos al cliente"}, headers={"HX-Request": "true"})
    assert answer.status_code == 200
    body = answer.get_data(as_text=True)
    assert "Llamamos al cliente" in body
    assert "<html" not in body  # a fragment, not the whole page
