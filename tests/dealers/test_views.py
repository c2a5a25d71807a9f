"""The pages: a dealer's day through HTTP, bad input answered 422 next to the field, constant queries."""

import pytest
from sqlalchemy import select

from core.clock import today
from core.extensions import db
from plugins.dealers.models import Claim, ClaimState, Sale
from plugins.dealers.services import settlement
from tests import factories
from tests.conftest import login

from . import builders


@pytest.fixture
def app(make_app):
    app = make_app(builders.PLUGINS)
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def org(app):
    builders.product()
    db.session.commit()
    return builders.dealer("Agro Norte")


def test_pages_answer_for_every_role(client, org):
    dealer = builders.dealer_user(org, username="norte")
    sale = builders.sale(org)
    claim = builders.draft_claim(org, sale)
    for username, role in (("norte", None), ("tec", "technical"), ("fin", "finance"), ("lid", "leadership"),
                           ("ofi", "sales_office"), ("rep", "sales_rep")):
        if role:
            factories.user([role], username=username)
        login(client, username)
        for url in ("/dealers/", "/dealers/claims", f"/dealers/claims/{claim.id}", "/dealers/sales",
                    "/dealers/shipments", "/"):
            assert client.get(url).status_code == 200, (username, url)
        client.post("/logout")
    assert dealer.organisation_id == org.id


def test_sale_form_refuses_bad_input_next_to_the_field(client, org):
    builders.dealer_user(org, username="norte")
    login(client, "norte")
    answer = client.post("/dealers/sales/new", data={"serial": "S-9", "product_model": "NOPE", "customer_name": "Finca",
                                                     "sold_on": today().isoformat(), "scope_acknowledged": "y"})
    assert answer.status_code == 422
    body = answer.get_data(as_text=True)
    assert 'id="product_model-error"' in body and 'value="S-9"' in body
    answer = client.post("/dealers/sales/new", data={"serial": "S-9", "product_model": "AGR-100",
                                                     "customer_name": "Finca", "sold_on": "mañana"})
    assert answer.status_code == 422 and 'id="sold_on-error"' in answer.get_data(as_text=True)
    answer = client.post("/dealers/sales/new", data={"serial": "S-9", "product_model": "AGR-100", "customer_name": "Finca",
                                                     "sold_on": today().isoformat()})
    assert answer.status_code == 422 and 'id="scope_acknowledged-error"' in answer.get_data(as_text=True)
    answer = client.post("/dealers/sales/new", data={"serial": "S-9", "product_model": "AGR-100", "customer_name": "Finca",
                                                     "sold_on": today().isoformat(), "scope_acknowledged": "y"})
    assert answer.status_code == 302
    assert db.session.scalar(select(Sale.dealer_id).where(Sale.serial == "S-9")) == org.id


def test_d14_draft_is_kept_when_submission_is_refused(client, org):
    builders.dealer_user(org, username="norte")
    sale = builders.sale(org)
    login(client, "norte")
    answer = client.post("/dealers/claims/new", data={"serial": sale.serial, "dealer_id": org.id})
    assert answer.status_code == 302
    claim_id = int(answer.headers["Location"].rsplit("/", 1)[1])
    data = {"fault_on": today().isoformat(), "fault": "Eje partido", "cause": "misuse", "remedy": "repair",
            "labour_hours": "2", "travel_km": "10", "indirect_loss": "0", "technician_id": "0",
            "served_user_name": "Juan", "submit": "1"}
    answer = client.post(f"/dealers/claims/{claim_id}/draft", data=data, headers={"HX-Request": "true"})
    assert answer.status_code == 422
    body = answer.get_data(as_text=True)
    assert 'id="cause-error"' in body and "Eje partido" in body and "<html" not in body
    db.session.expire_all()
    claim = db.session.get(Claim, claim_id)
    assert claim.state == ClaimState.DRAFT and claim.fault == "Eje partido"  # the draft was saved
    answer = client.post(f"/dealers/claims/{claim_id}/parts", data={"part_number": "", "quantity": "x"},
                         headers={"HX-Request": "true"})
    assert answer.status_code == 422 and 'id="part_number-error"' in answer.get_data(as_text=True)


def test_d19_dealer_confirms_notice_in_the_portal_and_balance_moves_once(client, org):
    user = builders.dealer_user(org, username="norte")
    claim = builders.verified_claim(org, builders.sale(org), user)
    [notice] = settlement.issue_notices(today(), today())
    db.session.commit()
    login(client, "norte")
    assert client.get(f"/dealers/notices/{notice.id}.pdf?lang=es").data.startswith(b"%PDF")
    for _ in range(3):
        assert client.post(f"/dealers/notices/{notice.id}/confirm").status_code == 302
    assert settlement.balance(org.id) == -claim.verified_total
    page = client.get("/dealers/ledger").get_data(as_text=True)
    assert "AVT-" in page


def test_claim_list_queries_are_constant(client, org, count_queries):
    user = builders.dealer_user(org, username="norte")
    sale = builders.sale(org)
    for _ in range(2):
        builders.draft_claim(org, sale)
    login(client, "norte")
    client.get("/dealers/claims")
    with count_queries() as few:
        client.get("/dealers/claims")
    for _ in range(20):
        builders.draft_claim(org, sale)
    with count_queries() as many:
        client.get("/dealers/claims")
    assert few.count == many.count
    assert user.id


def test_case_page_shows_the_claim_panel(client, org):
    user = builders.dealer_user(org, username="norte")
    claim = builders.draft_claim(org, builders.sale(org))
    login(client, "norte")
    page = client.get(f"/cases/{claim.case_id}").get_data(as_text=True)
    assert claim.number in page and user.id
