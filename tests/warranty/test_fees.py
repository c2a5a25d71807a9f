"""W3-W7: each line of work priced by rule before work starts; post-warranty contracts."""
import os
import threading
from datetime import date
from decimal import Decimal

import pytest

from core.errors import BusinessRuleError
from core.extensions import db
from plugins.warranty import emergency, fees
from plugins.warranty.models import FeeLine, PolicyPart, WarrantyPolicy
from plugins.warranty import services
from tests import factories

from .conftest import IN_WARRANTY, OUT_OF_WARRANTY, unit_accepted


def case_for(unit):
    case = emergency.open_service_request(unit.customer_id, unit=unit, owner_name="Ana", owner_phone="1",
                                          owner_address="Calle 1", content="Avería")
    db.session.commit()
    return case


def test_w3_in_warranty_lines_are_free(wapp):
    case = case_for(unit_accepted(IN_WARRANTY))
    line = fees.add_line(case, "parts", "Compresor", 1, part_number="CMP-1", unit_price="300.00")
    labour = fees.add_line(case, "labour", "Mano de obra", 2, unit_price="40")
    assert (line.rule, line.charge, labour.charge) == ("w3_free", Decimal("0"), Decimal("0"))
    assert fees.total_for(case) == Decimal("0.00")
    fees.start_work(case)  # nothing to accept when everything is free


def test_w3_improper_use_is_charged_at_cost(wapp):
    case = case_for(unit_accepted(IN_WARRANTY))
    line = fees.add_line(case, "parts", "Carcasa rota por golpe", 1, part_number="CAS-1", unit_price="80.00",
                         improper_use=True)
    assert line.rule == "w3_improper_use" and line.total() == Decimal("80.00")


def test_w3_line_not_covered_by_policy_is_charged(wapp):
    wp = WarrantyPolicy(name="Sin desplazamiento", term_months=24, covers_travel=False,
                        preferential_markup_percent=Decimal("5"))
    db.session.add(wp)
    db.session.flush()
    product = services.create_product("NT-1", "Equipo", "climate", policy=wp)
    unit = services.create_unit(product, "S1", factories.org().id, completed_on=IN_WARRANTY)
    services.record_acceptance(unit, IN_WARRANTY, "C", "E")
    case = case_for(unit)
    travel = fees.add_line(case, "travel", "Desplazamiento", 1, unit_price="25")
    assert travel.rule == "w4_cost" and travel.total() == Decimal("25.00")


def test_w4_out_of_warranty_at_cost_and_accepted_before_work(wapp):
    case = case_for(unit_accepted(OUT_OF_WARRANTY))
    labour = fees.add_line(case, "labour", "Mano de obra", Decimal("1.5"), unit_price="40.00")
    assert labour.rule == "w4_cost" and labour.total() == Decimal("60.00")
    with pytest.raises(BusinessRuleError) as error:
        fees.start_work(case)
    assert error.value.field == "accepted_by"
    fees.accept_fees(case, "Ana García")
    fees.start_work(case)
    # A new chargeable line voids the acceptance: the customer accepts again.
    fees.add_line(case, "travel", "Desplazamiento", 1, unit_price="20")
    with pytest.raises(BusinessRuleError):
        fees.start_work(case)


def test_w4_cost_price_is_required_when_charged(wapp):
    case = case_for(unit_accepted(OUT_OF_WARRANTY))
    with pytest.raises(BusinessRuleError) as error:
        fees.add_line(case, "labour", "Mano de obra", 1)
    assert error.value.field == "unit_price"


def test_w5_part_failed_well_before_normal_life_is_free(wapp):
    wp = WarrantyPolicy(name="Estándar", term_months=24, preferential_markup_percent=Decimal("5"))
    wp.parts.append(PolicyPart(part_number="VAL-1", service_life_months=60))
    db.session.add(wp)
    db.session.flush()
    product = services.create_product("W5-1", "Equipo", "climate", policy=wp)
    unit = services.create_unit(product, "S1", factories.org().id, completed_on=OUT_OF_WARRANTY)
    services.record_acceptance(unit, OUT_OF_WARRANTY, "C", "E")
    case = case_for(unit)
    early = fees.add_line(case, "parts", "Válvula", 1, part_number="VAL-1", unit_price="50",
                          part_fitted_on=date(2025, 9, 1), abnormal_life_confirmed_by="Departamento técnico")
    assert early.rule == "w5_free" and early.total() == Decimal("0")
    unconfirmed = fees.add_line(case, "parts", "Válvula", 1, part_number="VAL-1", unit_price="50",
                                part_fitted_on=date(2025, 9, 1))
    assert unconfirmed.rule == "w6_preferential"  # only an authorised department's finding makes it free
    normal = fees.add_line(case, "parts", "Válvula", 1, part_number="VAL-1", unit_price="50",
                           part_fitted_on=date(2022, 1, 1), abnormal_life_confirmed_by="Departamento técnico")
    assert normal.rule == "w6_preferential"  # 50 months of 60: not abnormally short


def test_w6_spare_parts_after_expiry_at_preferential_price(wapp):
    case = case_for(unit_accepted(OUT_OF_WARRANTY))
    line = fees.add_line(case, "parts", "Filtro", 2, part_number="FIL-1", unit_price="10.00")
    assert line.rule == "w6_preferential"
    assert line.charge == Decimal("10.50")  # cost plus the 5 % default markup
    assert line.total() == Decimal("21.00")


def test_w6_markup_is_a_policy(make_app):
    app = make_app(["warranty"], POSTVENTA_POLICIES={"warranty.w6_preferential_markup_percent": 0})
    with app.app_context():
        case = case_for(unit_accepted(OUT_OF_WARRANTY))
        assert fees.add_line(case, "parts", "Filtro", 1, part_number="FIL-1", unit_price="10").charge == Decimal("10.00")


def test_w7_contract_only_after_expiry_and_renewal(wapp):
    in_warranty = unit_accepted(IN_WARRANTY)
    with pytest.raises(BusinessRuleError) as error:
        fees.sign_contract(in_warranty, date(2026, 3, 2), 2, "900")
    assert error.value.field == "starts_on"
    unit = unit_accepted(OUT_OF_WARRANTY, serial="OLD")
    contract = fees.sign_contract(unit, date(2026, 3, 2), 2, "900.00")
    assert contract.ends_on == date(2027, 3, 1) and contract.price == Decimal("900.00")
    with pytest.raises(BusinessRuleError):
        fees.sign_contract(unit, date(2026, 6, 1), 2, "900")  # overlaps
    renewal = fees.renew_contract(contract, "950")
    assert renewal.starts_on == date(2027, 3, 2) and renewal.renewed_from_id == contract.id
    with pytest.raises(BusinessRuleError) as error:
        fees.sign_contract(unit, date(2030, 1, 1), 0, "100")
    assert error.value.field == "visits_per_year"


def test_w4_parts_used_only_once(wapp):
    case = case_for(unit_accepted(IN_WARRANTY))
    fees.add_line(case, "parts", "Compresor", 1, part_number="CMP-1")
    assert fees.consume_parts(case) == 1
    db.session.commit()
    with pytest.raises(BusinessRuleError):
        fees.consume_parts(case)


@pytest.mark.postgres_only
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
                    reason="row locks and concurrent transactions need PostgreSQL")
def test_w4_concurrent_part_consumption_issues_once(wapp):
    case = case_for(unit_accepted(IN_WARRANTY))
    fees.add_line(case, "parts", "Compresor", 1, part_number="CMP-1")
    db.session.commit()
    case_id, results, barrier = case.id, [], threading.Barrier(4)

    def worker():
        with wapp.app_context():
            from core.cases.models import Case
            barrier.wait()
            try:
                results.append(fees.consume_parts(db.session.get(Case, case_id)))
                db.session.commit()
            except BusinessRuleError:
                db.session.rollback()
                results.append(0)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 0, 0, 1]
    assert db.session.query(FeeLine).filter(FeeLine.consumed_at.isnot(None)).count() == 1


@pytest.mark.postgres_only
@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgresql"),
                    reason="row locks and concurrent transactions need PostgreSQL")
def test_s4_concurrent_loans_of_one_unit_issue_once(wapp, clock):
    from core.auth.services import company

    cases = [case_for(unit_accepted(IN_WARRANTY, serial=f"U{i}")) for i in range(3)]
    for case in cases:
        case.priority = "emergency"
    db.session.commit()
    for case in cases:
        emergency.demand_loaner(case)
    pool = unit_accepted(IN_WARRANTY, serial="LOAN", customer=company())
    db.session.commit()
    ids, pool_id, results, barrier = [c.id for c in cases], pool.id, [], threading.Barrier(3)

    def worker(case_id):
        with wapp.app_context():
            from core.cases.models import Case
            from plugins.warranty.models import Unit
            barrier.wait()
            try:
                emergency.issue_loaner(db.session.get(Case, case_id), db.session.get(Unit, pool_id))
                db.session.commit()
                results.append(1)
            except BusinessRuleError:
                db.session.rollback()
                results.append(0)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(i,)) for i in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == [0, 0, 1]
