"""D19 fee verification notices and receivables; D12 grades; D13 stock returns; D11 through the hook."""
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.audit import AppendOnlyViolation
from core.clock import today
from core.errors import BusinessRuleError
from core.extensions import db
from plugins.dealers.models import Claim, ClaimState, LedgerEntry, NoticeState
from plugins.dealers.services import grading, settlement, spot_checks, stock

from . import builders
from .recorders import InventorySide, register


@pytest.fixture
def app(make_app):
    app = make_app(builders.PLUGINS)
    with app.app_context():
        yield app


@pytest.fixture
def org(app):
    return builders.dealer("Agro Norte")


@pytest.fixture
def user(org):
    return builders.dealer_user(org)


def test_d19_notice_gathers_verified_claims_and_confirmation_credits_once(org, user):
    sale = builders.sale(org)
    first = builders.verified_claim(org, sale, user)
    second = builders.verified_claim(org, builders.sale(org), user, labour_hours="1")
    settlement.post_charge(org.id, "1000.00", "Albarán 17")
    [notice] = settlement.issue_notices(today() - timedelta(days=1), today())
    assert notice.number.startswith("AVT-2026-")
    assert notice.claim_count == 2
    assert notice.total == first.verified_total + second.verified_total
    assert settlement.issue_notices(today() - timedelta(days=1), today()) == []  # nothing left to gather
    assert settlement.confirm_notice(notice, user) is True
    assert settlement.confirm_notice(notice, user) is False  # a double click changes nothing
    assert notice.state == NoticeState.CONFIRMED
    assert settlement.balance(org.id) == Decimal("1000.00") - notice.total
    assert db.session.scalar(select(func.count(LedgerEntry.id)).where(LedgerEntry.notice_id == notice.id)) == 1
    assert {c.state for c in db.session.scalars(select(Claim))} == {ClaimState.SETTLED}
    [(charge, after_charge), (credit, after_credit)] = settlement.statement(org.id)
    assert after_credit == settlement.balance(org.id) and credit.amount == -notice.total


def test_d19_another_dealer_cannot_confirm(org, user):
    builders.verified_claim(org, builders.sale(org), user)
    [notice] = settlement.issue_notices(today(), today())
    stranger = builders.dealer_user(builders.dealer("Otro"))
    with pytest.raises(BusinessRuleError):
        settlement.confirm_notice(notice, stranger)
    assert notice.state == NoticeState.ISSUED and settlement.balance(org.id) == Decimal("0.00")


def test_d19_ledger_is_append_only(org):
    entry = settlement.post_charge(org.id, "10.00", "Albarán")
    db.session.commit()
    entry.amount = Decimal("1.00")
    with pytest.raises(AppendOnlyViolation):
        db.session.flush()


def test_d19_notice_pdf_in_spanish_and_english(org, user):
    builders.verified_claim(org, builders.sale(org), user)
    [notice] = settlement.issue_notices(today(), today())
    spanish = bytes(settlement.notice_pdf(notice, "es").output())
    english = bytes(settlement.notice_pdf(notice, "en").output())
    assert spanish.startswith(b"%PDF") and english.startswith(b"%PDF") and spanish != english


def test_d19_settling_is_set_based(app, org, user, count_queries):
    sale = builders.sale(org)
    claim = builders.verified_claim(org, sale, user)
    rows = [{c.name: getattr(claim, c.name) for c in Claim.__table__.columns if c.name not in ("id", "number")}]
    db.session.execute(Claim.__table__.insert(), [dict(rows[0], number=f"BULK-{i}") for i in range(2)])
    db.session.commit()
    with count_queries() as few:
        settlement.issue_notices(today(), today())
    db.session.rollback()
    db.session.execute(Claim.__table__.insert(), [dict(rows[0], number=f"BULK-M{i}") for i in range(60)])
    db.session.commit()
    db.session.execute(Claim.__table__.update().values(state=ClaimState.VERIFIED, notice_id=None))
    with count_queries() as many:
        [notice] = settlement.issue_notices(today(), today())
    assert notice.claim_count >= 60
    assert many.count == few.count


def test_d12_grade_rewards_good_service_and_demotes_fraud_with_history(org, user):
    assert grading.regrade(org.id).to_grade == "A"  # clean record: rewarded from the initial B
    claim = builders.submitted_claim(org, builders.sale(org), user)
    spot_checks.record_spot_check(org.id, "mismatch", "Pieza cambiada", claim)
    change = grading.regrade(org.id)
    assert (change.from_grade, change.to_grade) == ("A", "B")
    assert "fraud" in change.reason or "fraude" in change.reason
    assert [g.to_grade for g in grading.grade_history(org.id)] == ["B", "A"]


def test_d12_scorecard_counts_late_registration_and_rejections(org, user):
    sold = today() - timedelta(days=50)
    late = builders.sale(org, sold_on=sold, received_on=sold + timedelta(days=30))
    builders.submitted_claim(org, late, user)  # refused for D7
    card = grading.scorecard(org.id)
    facts = {f.key: f.value for f in card.facts}
    assert facts["late_registration"] == 1 and facts["claim_rejected"] == 1
    assert card.score == 100 - 5 - 2


def test_d11_scorecard_reads_reserve_plan_facts_from_the_inventory_hook(app, org):
    register(app, InventorySide(reserve_plans_missed=2), "inventory_side")
    card = grading.scorecard(org.id)
    facts = {f.key: f for f in card.facts}
    assert facts["reserve_plan_missed"].value == 2
    assert card.score == 100 - 2 * 5


def test_d13_freight_rules_quality_company_dismantled_dealer(org):
    quality = stock.return_stock(org.id, product_model="AGR-100", reason="quality",
                                 delivered_on=today() - timedelta(days=30), freight="50.00")
    assert quality.freight_payer == "company" and settlement.balance(org.id) == Decimal("0.00")
    dismantled = stock.return_stock(org.id, product_model="AGR-100", reason="dismantled", quantity=2,
                                    delivered_on=today() - timedelta(days=30), freight="50.00")
    assert dismantled.freight_payer == "dealer" and dismantled.restoration == Decimal("80.00")
    assert settlement.balance(org.id) == Decimal("130.00")


def test_d13_unsold_after_two_work_cycles_counts_as_sold(org):
    stock.return_stock(org.id, product_model="AGR-100", reason="unsold", delivered_on=today() - timedelta(days=700))
    with pytest.raises(BusinessRuleError) as refused:
        stock.return_stock(org.id, product_model="AGR-100", reason="unsold",
                           delivered_on=today() - timedelta(days=731))
    assert refused.value.field == "delivered_on"


def test_installed_units_hook_lists_the_units_a_dealer_sold(app, org):
    builders.sale(org, serial="SN-A")
    builders.sale(builders.dealer("Otro"), serial="SN-B")
    hook = app.extensions["postventa"].hook
    serials = [u.serial for batch in hook.postventa_installed_units(organisation_id=org.id) for u in batch]
    assert serials == ["SN-A"]
