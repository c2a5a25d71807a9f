"""A dealer's user tries every route of the plugin on another dealer's records: 404/403, nothing changes."""
import pytest
from flask import url_for
from sqlalchemy import func, select

from core.auth.models import Department
from core.auth.services import company
from core.clock import today
from core.extensions import db
from plugins.dealers.models import (
    Claim, ClaimPart, DealerProfile, Escalation, FeeNotice, LedgerEntry, PartShipment, Sale, SpotCheck, StockReturn,
    Task,
)
from plugins.dealers.services import parts_return, settlement, tasks
from tests import factories
from tests.conftest import login

from . import builders


@pytest.fixture
def app(make_app):
    app = make_app(builders.PLUGINS)
    with app.app_context():
        yield app


def snapshot():
    """Everything the victim dealer owns, as plain values."""
    rows = []
    for model in (Claim, ClaimPart, Sale, Task, FeeNotice, LedgerEntry, PartShipment, StockReturn, SpotCheck,
                  DealerProfile, Escalation):
        for record in db.session.scalars(select(model).order_by(model.id)):
            rows.append((model.__name__, tuple(str(getattr(record, c.name)) for c in model.__table__.columns)))
    return rows


@pytest.fixture
def victim(app):
    db.session.add(Department(organisation_id=company().id, name="Departamento técnico"))
    org = builders.dealer("Agro Sur")
    user = builders.dealer_user(org, username="dealer_sur")
    verified = builders.verified_claim(org, builders.sale(org), user)
    [notice] = settlement.issue_notices(today(), today())
    submitted = builders.submitted_claim(org, builders.sale(org, serial="SUR-SECRETO"), user)
    shipment = parts_return.ship_parts(org.id, list(submitted.parts), "deadline")
    task = tasks.open_task("request", factories.org().id, "Tarea del sur")
    tasks.dispatch_task(task, "dealer", dealer_id=org.id)
    tasks.check_task(task, implemented=False, note="no")
    escalation = db.session.scalar(select(Escalation))
    db.session.commit()
    return dict(org=org, claim=submitted, verified=verified, notice=notice, shipment=shipment, task=task,
                escalation=escalation, part=submitted.parts[0])


def url_values(rule, victim):
    ids = {"claim_id": victim["claim"].id, "part_id": victim["part"].id, "shipment_id": victim["shipment"].id,
           "notice_id": victim["notice"].id, "task_id": victim["task"].id, "dealer_id": victim["org"].id,
           "escalation_id": victim["escalation"].id}
    return {arg: ids[arg] for arg in rule.arguments}


def test_every_route_refuses_another_dealers_records(app, victim):
    attacker_org = builders.dealer("Agro Norte")
    builders.dealer_user(attacker_org, username="dealer_norte")
    builders.sale(attacker_org)  # the attacker has records of its own too
    client = app.test_client()
    login(client, "dealer_norte")
    before = snapshot()
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("dealers.")]
    assert len(rules) > 30
    tried = 0
    for rule in rules:
        with app.test_request_context():
            url = url_for(rule.endpoint, **url_values(rule, victim))
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            answer = client.open(url, method=method, data={"reason": "x", "note": "x", "price": "1", "arrangement": "x",
                                                           "report": "x", "user_notified": "y", "implemented": "yes"})
            tried += 1
            if rule.arguments:
                assert answer.status_code in (403, 404), (rule.endpoint, method, answer.status_code)
            else:
                assert answer.status_code in (200, 302, 403, 422), (rule.endpoint, method, answer.status_code)
                body = answer.get_data(as_text=True)
                assert "SUR-SECRETO" not in body and victim["claim"].number not in body, rule.endpoint
    assert tried > 30
    db.session.expire_all()
    assert snapshot() == before


def test_form_fields_naming_another_dealer_are_refused(app, victim):
    attacker_org = builders.dealer("Agro Norte")
    builders.dealer_user(attacker_org, username="dealer_norte")
    client = app.test_client()
    login(client, "dealer_norte")
    before = snapshot()
    other = victim["org"].id
    answers = [
        client.post("/dealers/sales/new", data={"dealer_id": other, "serial": "X-1", "product_model": "AGR-100",
                                                "customer_name": "F", "sold_on": today().isoformat(),
                                                "scope_acknowledged": "y"}),
        client.post("/dealers/claims/new", data={"dealer_id": other, "serial": "SUR-SECRETO"}),
        client.post("/dealers/shipments/new", data={"part_ids": [victim["part"].id], "method": "truck"}),
        client.post("/dealers/stock-returns", data={"dealer_id": other, "product_model": "AGR-100", "quantity": 1,
                                                    "reason": "quality", "delivered_on": today().isoformat()}),
        client.get(f"/dealers/ledger?dealer_id={other}"),
    ]
    assert [a.status_code for a in answers] == [422, 422, 422, 422, 404]
    answer = client.post("/dealers/claims/new", data={"serial": "SUR-SECRETO"})
    assert answer.status_code == 422  # not a sale of theirs
    db.session.expire_all()
    after = snapshot()
    assert [row for row in after if row[0] != "Sale"] == [row for row in before if row[0] != "Sale"]
    assert db.session.scalar(select(func.count(Sale.id)).where(Sale.dealer_id == other)) == 2
