"""D7-D10, D14-D18 and the duplicate checks, through the services."""
from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask_babel import gettext

from core.clock import today
from core.errors import BusinessRuleError
from core.extensions import db
from plugins.dealers.models import ClaimState
from plugins.dealers.services import claims, parts_return, sales, spot_checks
from tests import factories

from . import builders
from .recorders import InventorySide, TrainingSide, register


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


def test_d7_card_within_20_days_is_entitled_and_21_is_not(org):
    sold = today() - timedelta(days=40)
    on_time = builders.sale(org, sold_on=sold, received_on=sold + timedelta(days=20))
    late = builders.sale(org, sold_on=sold, received_on=sold + timedelta(days=21))
    assert on_time.entitled is True
    assert late.entitled is False


def test_d7_claim_refused_after_20_days(org, user):
    sold = today() - timedelta(days=60)
    late = builders.sale(org, sold_on=sold, received_on=sold + timedelta(days=25))
    claim = builders.submitted_claim(org, late, user)
    assert claim.state == ClaimState.REJECTED
    assert "20" in claim.rejection_reason


def test_d7_override_needs_a_written_reason_and_reopens_the_claim(org, user):
    sold = today() - timedelta(days=60)
    late = builders.sale(org, sold_on=sold, received_on=sold + timedelta(days=25))
    claim = builders.submitted_claim(org, late, user)
    with pytest.raises(BusinessRuleError) as refused:
        claims.override_registration(claim, "")
    assert refused.value.field == "reason"
    claims.override_registration(claim, "Tarjeta enviada a tiempo, perdida en correos")
    assert claim.state == ClaimState.SUBMITTED
    assert claim.override_reason.startswith("Tarjeta")


def test_d7_policy_days_are_configurable(make_app):
    app = make_app(builders.PLUGINS, POSTVENTA_POLICIES={"dealers.registration_days": 30})
    with app.app_context():
        org = builders.dealer()
        sold = today() - timedelta(days=40)
        assert builders.sale(org, sold_on=sold, received_on=sold + timedelta(days=25)).entitled is True


def test_d8_sale_card_requires_the_scope_commitment(org):
    builders.product()
    with pytest.raises(BusinessRuleError) as refused:
        sales.register_sale(org.id, serial="X1", product_model="AGR-100", customer_name="Finca",
                            sold_on=today(), scope_acknowledged=False)
    assert refused.value.field == "scope_acknowledged"


def test_d8_indirect_losses_are_refused(org, user):
    claim = builders.draft_claim(org, builders.sale(org))
    claims.save_draft(claim, indirect_loss="250.00")
    with pytest.raises(BusinessRuleError) as refused:
        claims.submit(claim, user)
    assert refused.value.field == "indirect_loss"
    assert claim.state == ClaimState.DRAFT


def test_d9_cause_outside_design_technology_manufacture_quality_is_refused(org, user):
    claim = builders.draft_claim(org, builders.sale(org), cause="misuse")
    with pytest.raises(BusinessRuleError) as refused:
        claims.submit(claim, user)
    assert refused.value.field == "cause"
    db.session.rollback()
    claims.save_draft(claim, cause="quality")
    claims.submit(claim, user)
    assert claim.state == ClaimState.SUBMITTED


def test_d10_paid_service_is_travel_plus_wages_and_capped(org):
    claim = builders.draft_claim(org, builders.sale(org), cause="misuse", labour_hours="3", travel_km="100")
    quote = claims.quote_paid_service(claim.labour_hours, claim.travel_km)
    assert quote == Decimal("140.00")  # 3 h x 35.00 + 100 km x 0.35
    with pytest.raises(BusinessRuleError) as refused:
        claims.charge_paid_service(claim, "141.00")
    assert refused.value.field == "price"
    claims.charge_paid_service(claim, "140.00")
    assert claim.state == ClaimState.REJECTED
    assert "140.00" in claim.rejection_reason


def test_d10_ceiling_limits_any_quote(make_app):
    app = make_app(builders.PLUGINS, POSTVENTA_POLICIES={"dealers.paid_service_ceiling": "100.00"})
    with app.app_context():
        assert claims.quote_paid_service(Decimal("10"), Decimal("500")) == Decimal("100.00")


def test_duplicate_same_unit_and_part_within_window_is_flagged(org, user):
    sale = builders.sale(org)
    first = builders.submitted_claim(org, sale, user)
    second = builders.submitted_claim(org, sale, user)
    assert first.flagged is False
    assert second.flagged is True
    assert any("P-100" in reason for reason in second.flag_reasons)


def test_duplicate_reused_photo_is_flagged(org, user):
    photo = b"\x89PNG\r\n\x1a\n" + b"0" * 64
    first = builders.draft_claim(org, builders.sale(org), parts=())
    claims.add_photo(first, "eje.png", "image/png", photo)
    claims.submit(first, user)
    second = builders.draft_claim(org, builders.sale(org), parts=())
    claims.add_photo(second, "eje.png", "image/png", photo)
    claims.submit(second, user)
    assert not first.flagged
    assert second.flagged and first.number in second.flag_reasons[0]


def test_d15_return_deadline_is_the_next_of_two_yearly_dates(app):
    assert parts_return.next_return_deadline(date(2026, 3, 2)) == date(2026, 6, 30)
    assert parts_return.next_return_deadline(date(2026, 7, 1)) == date(2026, 12, 31)
    assert parts_return.next_return_deadline(date(2027, 1, 1)) == date(2027, 6, 30)


def test_d15_unreturned_parts_block_verification_and_late_return_is_marked(org, user):
    claim = builders.submitted_claim(org, builders.sale(org), user)
    with pytest.raises(BusinessRuleError):
        claims.verify(claim)
    shipment = parts_return.ship_parts(org.id, list(claim.parts), "deadline")
    assert shipment.due_on == date(2026, 6, 30)


def test_d16_company_staff_file_the_same_record(app):
    from core.auth.services import company
    from plugins.warranty import services as warranty

    customer = factories.org()
    unit = warranty.create_unit(builders.product(), "CO-1", customer.id, completed_on=today() - timedelta(days=10))
    staff = factories.user(["technician"], username="marta")
    claim = claims.start_claim(company().id, unit.serial)
    claims.save_draft(claim, fault_on=today(), fault="Fuga", cause="quality", remedy="replacement",
                      labour_hours="1", travel_km="0", served_user_name="Encargado")
    claims.add_part(claim, "P-7", Decimal("1"), Decimal("12.00"))
    claims.submit(claim, staff)
    assert claim.state == ClaimState.SUBMITTED
    assert claim.case.customer_id == customer.id and claim.case.partner_id is None
    shipment = parts_return.ship_parts(company().id, list(claim.parts), "truck")
    assert shipment.dealer_id == company().id


def test_d17_appraised_parts_routed_to_their_warehouse_through_the_hook(app, org, user):
    inventory = register(app, InventorySide(), "inventory_side")
    claim = builders.submitted_claim(org, builders.sale(org), user, parts=(("P-1", "1", "10"), ("P-2", "2", "5")))
    assert inventory.consumed == [(org.id, [("P-1", Decimal("1")), ("P-2", Decimal("2"))], f"claim {claim.number}")]
    parts_return.receive_shipment(parts_return.ship_parts(org.id, list(claim.parts), "truck"))
    claims.start_appraisal(claim)
    claims.appraise_part(claim.parts[0], defect_confirmed=True, usable=True)
    claims.appraise_part(claim.parts[1], defect_confirmed=True, usable=False)
    assert [(a[0], a[2], a[3]) for a in inventory.appraised] == [("P-1", True, Decimal("1")), ("P-2", False, Decimal("2"))]


def test_d18_spot_check_mismatch_blocks_verification(org, user):
    claim = builders.submitted_claim(org, builders.sale(org), user)
    parts_return.receive_shipment(parts_return.ship_parts(org.id, list(claim.parts), "truck"))
    claims.start_appraisal(claim)
    claims.appraise_part(claim.parts[0], True, False)
    spot_checks.record_spot_check(org.id, "mismatch", "La pieza devuelta no es la del registro", claim)
    claims.approve(claim, note="Revisado")
    with pytest.raises(BusinessRuleError) as refused:
        claims.verify(claim)
    assert refused.value.message == gettext(
        "A spot check found this claim does not match its record or parts.")
    assert claim.state == ClaimState.APPROVED


def test_d18_spot_check_out_of_scope_claim_is_not_processed(org, user):
    claim = builders.submitted_claim(org, builders.sale(org), user)
    spot_checks.record_spot_check(org.id, "out_of_scope", "Avería por uso indebido", claim)
    assert claim.state == ClaimState.REJECTED


def test_d19_parts_verified_at_the_price_list_with_claim_price_as_fallback(app, org, user):
    register(app, InventorySide(prices={("P-1", "list"): Decimal("55.00")}), "inventory_side")
    claim = builders.verified_claim(org, builders.sale(org), user,
                                    parts=(("P-1", "2", "99.00"), ("P-9", "1", "20.00")))
    assert claim.parts_amount == Decimal("130.00")  # 2 x 55.00 from the list, 1 x 20.00 entered


def test_t6_uncertified_technician_refused_when_policy_is_on(make_app):
    app = make_app(builders.PLUGINS, POSTVENTA_POLICIES={"dealers.require_certified_technician": True})
    with app.app_context():
        register(app, TrainingSide(certified_usernames={"certificado"}), "training_side")
        org = builders.dealer()
        novice = builders.dealer_user(org, username="novato")
        expert = builders.dealer_user(org, username="certificado")
        claim = builders.draft_claim(org, builders.sale(org))
        with pytest.raises(BusinessRuleError) as refused:
            claims.submit(claim, novice)
        assert refused.value.field == "technician_id"
        db.session.rollback()
        claims.submit(claim, expert)
        assert claim.state == ClaimState.SUBMITTED
