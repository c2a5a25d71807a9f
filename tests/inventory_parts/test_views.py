"""The plugin's pages: they render, refuse bad input next to the field, stay scoped, keep query counts flat."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest

from core.extensions import db
from plugins.inventory_parts.models import PartsOrder, ReservePlan, StockReturn
from plugins.inventory_parts.services import plans
from tests.conftest import login

from . import world
from .helpers import on_hand


@pytest.fixture
def client(inv_app):
    """A browser that asks for English, so the assertions read the source strings."""
    browser = inv_app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return browser


PAGES = ["/parts/", "/parts/stock", "/parts/ledger", "/parts/orders", "/parts/plans", "/parts/coverage",
         "/parts/returns", "/parts/reports", "/parts/seasons", "/parts/locations", "/parts/life", "/parts/new",
         "/parts/import", "/parts/moves/new", "/parts/catalogue.csv", "/parts/stock.csv", "/parts/orders.csv",
         "/parts/coverage.csv", "/parts/reports/consumption.csv", "/parts/reports/reorder.csv", "/parts/life.csv"]


def test_every_page_renders_for_admin(inv_app, client):
    w = world.build()
    from tests import factories

    factories.user(["admin"], username="jefa")
    login(client, "jefa")
    for url in PAGES + [f"/parts/orders/{w.order.id}", f"/parts/plans/{w.plan.id}",
                        f"/parts/orders/{w.delivered.id}/delivery-note.pdf",
                        f"/parts/orders/{w.delivered.id}/signed-note", "/parts/orders/new", "/parts/plans/new"]:
        assert client.get(url).status_code == 200, url


def test_reports_draw_the_consumption_chart_as_inline_svg(inv_app, client):
    world.build()
    from core.facts import PartLine
    from core.auth.services import company

    inv_app.extensions["postventa"].hook.postventa_parts_consumed(
        case=None, organisation_id=company().id, lines=[PartLine("PZ-000", Decimal("4"))], reference="r")
    db.session.commit()
    login(client, "oficina")
    body = client.get("/parts/reports").get_data(as_text=True)
    assert '<svg class="chart"' in body and "<rect" in body
    csv = client.get("/parts/reports/consumption.csv").get_data(as_text=True)
    assert "PZ-000" in csv and "4.00" in csv


def test_dealer_sees_only_its_own_orders_plans_and_stock(inv_app, client):
    w = world.build()
    login(client, "sur")
    assert "Agro Norte" not in client.get("/parts/orders").get_data(as_text=True)
    assert "Agro Norte" not in client.get("/parts/plans").get_data(as_text=True)
    assert "Agro Norte" not in client.get("/parts/stock").get_data(as_text=True)
    assert "Agro Norte" not in client.get("/parts/orders.csv").get_data(as_text=True)
    assert "Agro Norte" not in client.get("/parts/coverage.csv").get_data(as_text=True)
    assert "PZ-000" not in client.get("/parts/ledger").get_data(as_text=True)
    login(client, "norte")
    assert w.order.number in client.get("/parts/orders").get_data(as_text=True)


def test_another_dealer_cannot_read_or_change_anything_by_url(inv_app, client):
    w = world.build()
    plans.submit_plan(w.plan)
    db.session.commit()
    line = w.plan.lines[0]
    from plugins.inventory_parts.services import returns

    stock_return = returns.request_return(w.delivered, w.parts[0].id, 1, "quality")
    db.session.commit()
    before = world.snapshot()
    login(client, "sur")
    o, p = w.order.id, w.plan.id
    gets = [f"/parts/orders/{o}", f"/parts/orders/{w.delivered.id}/delivery-note.pdf",
            f"/parts/orders/{w.delivered.id}/signed-note", f"/parts/plans/{p}",
            f"/parts/stock?location={w.norte.id}"]
    for url in gets:
        assert client.get(url).status_code in (403, 404), url
    from plugins.inventory_parts.services.stock import dealer_location

    assert client.get(f"/parts/stock?location={dealer_location(w.norte).id}").status_code == 404
    posts = {
        f"/parts/orders/{o}/ship": {}, f"/parts/orders/{o}/payment": {"amount": "20"},
        f"/parts/orders/{w.delivered.id}/signed-note": {"file": (io.BytesIO(b"%PDF"), "n.pdf", "application/pdf")},
        f"/parts/orders/{o}/close": {}, f"/parts/orders/{o}/cancel": {},
        f"/parts/plans/{p}/quantities": {f"line-{line.id}": "99"}, f"/parts/plans/{p}/lines": {
            "part_number": "PZ-001", "quantity": "1"},
        f"/parts/plans/{p}/decline": {"decline-reason": "no"}, f"/parts/plans/{p}/accept-late": {"late-reason": "x"},
        f"/parts/plans/{p}/lines/{line.id}/decide": {f"line{line.id}-decision": "approved"},
        f"/parts/plans/{p}/finalise": {}, f"/parts/returns/{stock_return.id}/receive": {"r1-freight_cost": "1"},
        "/parts/returns/new": {"order_id": str(w.delivered.id), "part_number": "PZ-000", "quantity": "1",
                               "reason": "quality"},
    }
    for url, data in posts.items():
        answer = client.post(url, data=data, content_type="multipart/form-data")
        assert answer.status_code in (403, 404, 422), url
    # a dealer cannot create records for another dealer by naming it in the form
    client.post("/parts/orders/new", data={"dealer_org_id": str(w.norte.id), "lines-0-part_number": "PZ-000",
                                           "lines-0-quantity": "1"})
    client.post("/parts/plans/new", data={"dealer_org_id": str(w.norte.id), "season_id": str(w.season.id)})
    after = world.snapshot()
    assert before == after
    assert db.session.query(PartsOrder).filter_by(dealer_org_id=w.norte.id).count() == 2
    assert db.session.query(ReservePlan).filter_by(dealer_org_id=w.norte.id).count() == 1
    assert db.session.query(StockReturn).count() == 1


def test_dealer_order_form_refuses_bad_input_next_to_the_field(inv_app, client):
    world.build()
    login(client, "norte")
    answer = client.post("/parts/orders/new", data={"lines-0-part_number": "NO-EXISTE", "lines-0-quantity": "2"})
    assert answer.status_code == 422
    body = answer.get_data(as_text=True)
    assert "Unknown part number NO-EXISTE" in body or "NO-EXISTE" in body
    assert 'value="NO-EXISTE"' in body  # what was typed is kept
    answer = client.post("/parts/orders/new", data={"lines-0-part_number": "PZ-000", "lines-0-quantity": "-1"})
    assert answer.status_code == 422 and 'class="error"' in answer.get_data(as_text=True)


def test_dealer_orders_own_parts_through_the_form(inv_app, client):
    w = world.build()
    login(client, "norte")
    answer = client.post("/parts/orders/new", data={"dealer_org_id": "", "lines-0-part_number": "PZ-001",
                                                    "lines-0-quantity": "3"})
    assert answer.status_code == 302
    order = db.session.query(PartsOrder).order_by(PartsOrder.id.desc()).first()
    assert order.dealer_org_id == w.norte.id and order.lines[0].quantity == Decimal("3")


def test_payment_form_refuses_a_partial_amount_next_to_the_field(inv_app, client):
    w = world.build()
    login(client, "oficina")
    assert client.post(f"/parts/orders/{w.order.id}/ship").status_code == 302
    answer = client.post(f"/parts/orders/{w.order.id}/payment", data={"amount": "1.00"},
                         headers={"HX-Request": "true"})
    assert answer.status_code == 422
    body = answer.get_data(as_text=True)
    assert "Cash on delivery" in body and 'id="amount-error"' in body and "<html" not in body


def test_closing_without_payment_answers_422_with_the_reason(inv_app, client):
    w = world.build()
    login(client, "oficina")
    client.post(f"/parts/orders/{w.order.id}/ship")
    answer = client.post(f"/parts/orders/{w.order.id}/close")
    assert answer.status_code == 422
    assert "Record the cash payment" in answer.get_data(as_text=True)


def test_plan_quantities_refuse_bad_numbers_and_keep_what_was_typed(inv_app, client):
    w = world.build()
    login(client, "norte")
    line = w.plan.lines[0]
    answer = client.post(f"/parts/plans/{w.plan.id}/quantities", data={f"line-{line.id}": "-3"})
    assert answer.status_code == 422
    body = answer.get_data(as_text=True)
    assert 'value="-3"' in body and "cannot be negative" in body


def test_late_plan_acceptance_needs_a_reason_next_to_the_field(inv_app, client, clock):
    w = world.build()
    from datetime import timedelta

    clock.advance(timedelta(days=80))  # 2026-05-21: less than 30 days before 1 June
    plans.submit_plan(w.plan)
    db.session.commit()
    assert w.plan.late
    login(client, "oficina")
    answer = client.post(f"/parts/plans/{w.plan.id}/accept-late", data={"late-reason": ""})
    assert answer.status_code == 422 and 'id="late-reason-error"' in answer.get_data(as_text=True)


def test_forms_refuse_bad_input_with_422(inv_app, client):
    w = world.build()
    login(client, "oficina")
    cases = {
        "/parts/new": ({"number": "", "name": "x", "kind": "wear", "cost_price": "-1", "list_price": "2"}, "number"),
        "/parts/seasons": ({"name": "Mala", "opens_on": "2026-06-01", "closes_on": "2026-05-01"}, "closes_on"),
        "/parts/moves/new": ({"kind": "adjustment", "part_number": "PZ-000", "location_id": "1", "quantity": "-1",
                              "reason": ""}, "reason"),
        "/parts/locations": ({"code": "X", "name": "X", "kind": "company", "owner_org_id": str(w.norte.id)},
                             "owner_org_id"),
    }
    for url, (data, field) in cases.items():
        answer = client.post(url, data=data)
        assert answer.status_code == 422, url
        assert f'id="{field}-error"' in answer.get_data(as_text=True), url


def test_failure_form_refuses_a_failure_before_fitting(inv_app, client):
    world.build()
    from tests import factories

    factories.user(["technical"], username="tecnico")
    login(client, "tecnico")
    answer = client.post("/parts/life", data={"part_number": "PZ-000", "fitted_on": "2026-02-01",
                                              "failed_on": "2026-01-01"})
    assert answer.status_code == 422 and 'id="failed_on-error"' in answer.get_data(as_text=True)


def test_return_form_refuses_more_than_delivered(inv_app, client):
    w = world.build()
    login(client, "norte")
    answer = client.post("/parts/returns/new", data={"order_id": str(w.delivered.id), "part_number": "PZ-000",
                                                     "quantity": "50", "reason": "quality"})
    assert answer.status_code == 422 and 'id="quantity-error"' in answer.get_data(as_text=True)


def test_catalogue_import_page_reports_rows_and_keeps_nothing(inv_app, client):
    world.build()
    login(client, "oficina")
    data = b"number;name;kind;unit;cost_price;list_price\nN-1;Nueva;wear;ud;1;2\nN-2;Mala;gadget;ud;1;2\n"
    answer = client.post("/parts/import", data={"file": (io.BytesIO(data), "piezas.csv")},
                         content_type="multipart/form-data", headers={"HX-Request": "true"})
    assert answer.status_code == 422
    assert "Nothing was imported" in answer.get_data(as_text=True)
    assert client.get("/parts/?q=N-1").get_data(as_text=True).count("Nueva") == 0


def test_sales_office_ships_and_closes_through_the_pages(inv_app, client):
    w = world.build()
    login(client, "oficina")
    client.post(f"/parts/orders/{w.order.id}/ship")
    client.post(f"/parts/orders/{w.order.id}/payment", data={"amount": str(w.order.total), "reference": "R-1"})
    client.post(f"/parts/orders/{w.order.id}/signed-note",
                data={"file": (io.BytesIO(b"%PDF firmado"), "albaran.pdf", "application/pdf")},
                content_type="multipart/form-data")
    assert client.post(f"/parts/orders/{w.order.id}/close").status_code == 302
    db.session.expire_all()
    assert db.session.get(PartsOrder, w.order.id).state == "closed"
    from plugins.inventory_parts.services.stock import dealer_location

    assert on_hand(w.parts[1], dealer_location(w.norte)) == Decimal("6")


@pytest.mark.parametrize("url", ["/parts/", "/parts/stock", "/parts/ledger", "/parts/orders", "/parts/plans",
                                 "/parts/coverage", "/parts/reports", "/parts/returns"])
def test_query_count_does_not_grow_with_rows(make_app, url):
    counts = []
    for size in (2, 12):
        app = make_app(["inventory_parts"])
        with app.app_context():
            w = world.build(parts=size)
            plans.submit_plan(w.plan)
            for line in w.plan.lines:
                plans.decide_line(w.plan, line, "approved")
            plans.finalise_plan(w.plan)
            db.session.commit()
            client = app.test_client()
            login(client, "oficina")
            client.get(url)
            from core.diagnostics import StatementCounter

            with StatementCounter(db.engine) as queries:
                assert client.get(url).status_code == 200
            counts.append(queries.count)
            db.session.remove()
        from tests.conftest import _empty_tables

        _empty_tables(app.config["SQLALCHEMY_DATABASE_URI"], _table_names(app))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("which", ["order", "plan"])
def test_record_pages_query_count_is_constant(make_app, which):
    counts = []
    for size in (2, 12):
        app = make_app(["inventory_parts"])
        with app.app_context():
            w = world.build(parts=size)
            client = app.test_client()
            login(client, "norte")
            url = f"/parts/orders/{w.order.id}" if which == "order" else f"/parts/plans/{w.plan.id}"
            client.get(url)
            from core.diagnostics import StatementCounter

            with StatementCounter(db.engine) as queries:
                assert client.get(url).status_code == 200
            counts.append(queries.count)
            db.session.remove()
        from tests.conftest import _empty_tables

        _empty_tables(app.config["SQLALCHEMY_DATABASE_URI"], _table_names(app))
    assert counts[0] == counts[1], counts


def _table_names(app):
    from sqlalchemy import create_engine, inspect

    engine = create_engine(app.config["SQLALCHEMY_DATABASE_URI"])
    names = [n for n in inspect(engine).get_table_names() if not n.startswith("alembic")]
    engine.dispose()
    return names


def test_plan_and_return_forms_refuse_bad_input_next_to_the_field(inv_app, client):
    w = world.build()
    login(client, "norte")
    plan_url = f"/parts/plans/{w.plan.id}"
    cases = [
        (f"{plan_url}/decline", {"decline-reason": ""}, "decline-reason"),
        (f"{plan_url}/lines", {"part_number": "NO-EXISTE", "quantity": "1"}, "part_number"),
        ("/parts/plans/new", {"season_id": str(w.season.id)}, "season_id"),  # already has a plan
    ]
    for url, data, field in cases:
        answer = client.post(url, data=data)
        assert answer.status_code == 422, url
        assert f'id="{field}-error"' in answer.get_data(as_text=True), url
    plans.submit_plan(w.plan)
    from plugins.inventory_parts.services import returns

    stock_return = returns.request_return(w.delivered, w.parts[0].id, 1, "quality")
    db.session.commit()
    line = w.plan.lines[0]
    login(client, "oficina")
    answer = client.post(f"{plan_url}/lines/{line.id}/decide",
                         data={f"line{line.id}-decision": "changed", f"line{line.id}-quantity": ""})
    assert answer.status_code == 422 and f'id="line{line.id}-quantity-error"' in answer.get_data(as_text=True)
    answer = client.post(f"/parts/returns/{stock_return.id}/receive", data={f"r{stock_return.id}-freight_cost": "-5"})
    assert answer.status_code == 422
    assert f'id="r{stock_return.id}-freight_cost-error"' in answer.get_data(as_text=True)
