"""A claim's life from draft to verification (D14-D17, D19)."""
from decimal import Decimal

import pytest

from core.cases.models import TimelineEvent
from core.errors import BusinessRuleError
from core.extensions import db
from plugins.dealers.models import ClaimState
from plugins.dealers.services import claims, parts_return

from . import builders


@pytest.fixture
def app(make_app):
    app = make_app(builders.PLUGINS)
    with app.app_context():
        yield app


def test_d14_claim_needs_served_user_confirmation(app):
    org = builders.dealer()
    user = builders.dealer_user(org)
    sale = builders.sale(org)
    claim = builders.draft_claim(org, sale)
    claims.save_draft(claim, served_user_name="")
    with pytest.raises(BusinessRuleError) as refused:
        claims.submit(claim, user)
    assert refused.value.field == "served_user_name"
    claims.save_draft(claim, served_user_name="Juan Pérez")
    claims.submit(claim, user)
    assert claim.state == ClaimState.SUBMITTED
    assert claim.served_confirmed_at is not None


def test_d15_claim_without_its_old_parts_is_not_appraised(app):
    org = builders.dealer()
    user = builders.dealer_user(org)
    claim = builders.submitted_claim(org, builders.sale(org), user)
    with pytest.raises(BusinessRuleError):
        claims.start_appraisal(claim)
    assert claim.state == ClaimState.SUBMITTED
    shipment = parts_return.ship_parts(org.id, list(claim.parts), "deadline")
    parts_return.receive_shipment(shipment)
    assert claim.state == ClaimState.PARTS_RECEIVED
    claims.start_appraisal(claim)
    assert claim.state == ClaimState.UNDER_APPRAISAL


def test_verified_claim_amounts_follow_the_rates(app):
    org = builders.dealer()
    user = builders.dealer_user(org)
    claim = builders.verified_claim(org, builders.sale(org), user)
    assert claim.state == ClaimState.VERIFIED
    assert claim.parts_amount == Decimal("80.00")
    assert claim.labour_amount == Decimal("70.00")   # 2 h at 35.00
    assert claim.travel_amount == Decimal("14.00")   # 40 km at 0.35
    assert claim.verified_total == Decimal("164.00")
    types = set(db.session.scalars(db.select(TimelineEvent.type).where(TimelineEvent.case_id == claim.case_id)))
    assert {"dealers.claim_submitted", "dealers.parts_received", "dealers.claim_approved",
            "dealers.claim_verified"} <= types
