"""The three-guarantee maintenance record (D14) from draft to verification.

Scope rules (D8, D9, D10), duplicate checks, the old-parts rule (D15), the
technical department's appraisal (D16, D17) and finance's verification (D19).
Every transition is a conditional ``UPDATE ... WHERE state IN (...)``, so two
people deciding the same claim at once produce one transition, not two.
"""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select, update

from core.auth.models import Organisation, OrganisationKind
from core.auth.scoping import scoped
from core.cases.models import CaseChannel
from core.cases.services import open_case, store_attachment
from core.cases.timeline import record
from core.clock import now, today
from core.errors import BusinessRuleError
from core.extensions import db
from core.facts import PartLine
from core.policies import policy
from core.sequences import next_number
from plugins.warranty import services as warranty

from ..models import ZERO, Claim, ClaimPart, ClaimPhoto, ClaimState, Remedy, SpotCheck
from ..policies import money_policy
from .sales import sale_for_serial

CENT = Decimal("0.01")
DRAFT_FIELDS = ("fault_on", "fault", "cause", "remedy", "labour_hours", "travel_km", "indirect_loss",
                "served_user_name", "signature", "technician_id")


def _hook():
    return current_app.extensions["postventa"].hook


# --- Drafts ----------------------------------------------------------------------

def start_claim(dealer_id: int, serial: str) -> Claim:
    """Open a draft claim (and its case) for the unit with ``serial``.

    A dealer claims on a sale it registered (D7); company staff (D16) on any unit
    of the installed base.
    """
    serial = (serial or "").strip()
    if not serial:
        raise BusinessRuleError(gettext("A serial number is required."), field="serial")
    dealer = db.session.get(Organisation, dealer_id)
    sale = sale_for_serial(dealer_id, serial)
    if sale is not None:
        unit = warranty.find_unit(serial, sale.product_model)
        customer_id = sale.customer_id
    elif dealer is not None and dealer.kind == OrganisationKind.DEALER:
        raise BusinessRuleError(gettext("No registered sale of yours has this serial number."), field="serial")
    else:
        unit = warranty.find_unit(serial)
        if unit is None:
            raise BusinessRuleError(gettext("No unit has this serial number."), field="serial")
        customer_id = unit.customer_id
    number = next_number(policy("dealers.claim_prefix"), now().year)
    case = open_case(
        gettext("Three-guarantee claim %(number)s", number=number), customer_id,
        channel=CaseChannel.PORTAL,
        partner_id=dealer_id if dealer is not None and dealer.kind == OrganisationKind.DEALER else None,
    )
    product = unit.product if unit is not None else None
    claim = Claim(
        number=number, dealer_id=dealer_id, case_id=case.id, sale_id=sale.id if sale else None,
        unit_id=unit.id if unit is not None else None, serial=serial,
        product_model=product.model if product else (sale.product_model if sale else ""),
        product_family=product.family if product else (sale.product_family if sale else ""),
        state=ClaimState.DRAFT, remedy=Remedy.REPAIR,
    )
    db.session.add(claim)
    db.session.flush()
    record(case, "dealers.claim_drafted", {"claim": number, "serial": serial})
    return claim


def save_draft(claim: Claim, **values) -> None:
    """Keep what was typed on a draft, complete or not: a draft is never lost."""
    _require_state(claim, ClaimState.DRAFT)
    for key in DRAFT_FIELDS:
        if key not in values:
            continue
        value = values[key]
        if key in ("labour_hours", "travel_km", "indirect_loss"):
            value = Decimal(value) if value not in (None, "") else ZERO
        elif key in ("fault", "cause", "remedy", "served_user_name", "signature"):
            value = (value or "").strip()
        setattr(claim, key, value)
    if "served_user_name" in values:
        # D14: the served user's typed name, stamped with the time they confirmed.
        claim.served_confirmed_at = now() if claim.served_user_name else None


def add_part(claim: Claim, part_number: str, quantity, unit_price=None, old_part_number: str = "",
             old_serial: str = "") -> ClaimPart:
    """A part replaced on the claim, with the old part that must come back (D15)."""
    _require_state(claim, ClaimState.DRAFT)
    part_number = (part_number or "").strip()
    if not part_number:
        raise BusinessRuleError(gettext("A part number is required."), field="part_number")
    quantity = Decimal(quantity or 0)
    if quantity <= 0:
        raise BusinessRuleError(gettext("The quantity must be more than zero."), field="quantity")
    unit_price = Decimal(unit_price or 0).quantize(CENT)
    if unit_price < 0:
        raise BusinessRuleError(gettext("A price cannot be negative."), field="unit_price")
    part = ClaimPart(claim=claim, dealer_id=claim.dealer_id, part_number=part_number[:80], quantity=quantity,
                     unit_price=unit_price, old_part_number=((old_part_number or "").strip() or part_number)[:80],
                     old_serial=(old_serial or "").strip()[:80])
    db.session.add(part)
    db.session.flush()
    return part


def remove_part(claim: Claim, part: ClaimPart) -> None:
    _require_state(claim, ClaimState.DRAFT)
    claim.parts.remove(part)
    db.session.flush()


def add_photo(claim: Claim, filename: str, content_type: str, data: bytes) -> ClaimPhoto:
    """A photo of the fault, kept on the claim's case (its checksum catches reuse)."""
    if claim.state not in (ClaimState.DRAFT, ClaimState.SUBMITTED):
        raise BusinessRuleError(gettext("Photos can only be added before appraisal."), field="file")
    attachment = store_attachment(claim.case, filename, content_type, data)
    photo = ClaimPhoto(claim_id=claim.id, attachment_id=attachment.id, sha256=attachment.sha256)
    db.session.add(photo)
    db.session.flush()
    return photo


# --- Submission: the scope rules -------------------------------------------------------

def submit(claim: Claim, user) -> None:
    """File the claim with the company.

    Refuses what is beyond scope: indirect losses (D8), causes other than design,
    technology, manufacture or quality (D9), a unit out of warranty, an
    uncertified technician when ``dealers.require_certified_technician`` is on;
    flags duplicates; issues the replaced parts from the dealer's stock; and a
    late receipt card (D7) gets the claim refused with that reason.
    """
    _require_state(claim, ClaimState.DRAFT)
    _check_complete(claim)
    if claim.indirect_loss and claim.indirect_loss > 0:
        raise BusinessRuleError(gettext("The company is not liable for special, incidental or indirect losses; "
                                        "dealers may not promise more than its scope."), field="indirect_loss")
    if claim.cause not in policy("dealers.liable_causes"):
        raise BusinessRuleError(
            gettext("The company is only liable for failures of design, technology, manufacture or quality. "
                    "This work can be offered as paid service (%(price)s at most).",
                    price=quote_paid_service(claim.labour_hours, claim.travel_km)), field="cause")
    _check_entitlement(claim)
    _check_technician(claim, user)
    flags = duplicate_flags(claim)
    _hook().postventa_parts_consumed(
        case=claim.case, organisation_id=claim.dealer_id,
        lines=[PartLine(p.part_number, p.quantity, "") for p in claim.parts], reference=f"claim {claim.number}",
    )
    transition(claim, (ClaimState.DRAFT,), ClaimState.SUBMITTED, "dealers.claim_submitted",
                {"parts": len(claim.parts)}, submitted_at=now(), flagged=bool(flags), flag_reasons=flags)
    if flags:
        record(claim.case, "dealers.claim_flagged", {"reasons": flags})
    if claim.sale is not None and not claim.sale.entitled:
        transition(claim, (ClaimState.SUBMITTED,), ClaimState.REJECTED, "dealers.claim_rejected",
                    {"reason": late_registration_reason()}, rejection_reason=late_registration_reason())


def late_registration_reason() -> str:
    return gettext("The receipt card reached the company more than %(days)d days after the sale.",
                   days=int(policy("dealers.registration_days")))


def _check_complete(claim: Claim) -> None:
    if claim.fault_on is None or claim.fault_on > today():
        raise BusinessRuleError(gettext("Give the day of the fault (not in the future)."), field="fault_on")
    if not claim.fault:
        raise BusinessRuleError(gettext("Describe the fault."), field="fault")
    if claim.cause not in policy("dealers.causes"):
        raise BusinessRuleError(gettext("Choose the cause."), field="cause")
    if claim.remedy not in Remedy.ALL:
        raise BusinessRuleError(gettext("Choose repair, replacement or refund."), field="remedy")
    if not claim.served_user_name:
        raise BusinessRuleError(gettext("The served user confirms the record with their name (D14)."),
                                field="served_user_name")


def _unit(claim: Claim):
    return warranty.find_unit(claim.serial, claim.product_model or None) if claim.unit_id else None


def _check_entitlement(claim: Claim) -> None:
    unit = _unit(claim)
    if unit is None:
        return
    granted = warranty.entitlement(unit, on=claim.fault_on)
    if not granted.in_warranty:
        raise BusinessRuleError(granted.reason, field="fault_on")


def _check_technician(claim: Claim, user) -> None:
    if not policy("dealers.require_certified_technician"):
        return
    technician = claim.technician or user
    answer = _hook().postventa_may_perform_work(user=technician, work="dealers.claim",
                                                product_family=claim.product_family or None)
    if answer is not None and not answer.allowed:
        raise BusinessRuleError(answer.reason or gettext("The technician is not certified for this product."),
                                field="technician_id")


def duplicate_flags(claim: Claim) -> list[str]:
    """Why the claim needs review: the same unit and part claimed within the window, or a reused photo."""
    flags = []
    since = now() - timedelta(days=int(policy("dealers.duplicate_window_days")))
    part_numbers = [p.part_number for p in claim.parts]
    if part_numbers:
        repeated = db.session.scalars(
            select(ClaimPart.part_number).join(Claim, Claim.id == ClaimPart.claim_id).where(
                Claim.serial == claim.serial, Claim.id != claim.id, Claim.state != ClaimState.DRAFT,
                Claim.submitted_at >= since, ClaimPart.part_number.in_(part_numbers),
            ).distinct()
        ).all()
        flags += [gettext("Part %(part)s already claimed on this unit recently.", part=p) for p in sorted(repeated)]
    hashes = [photo.sha256 for photo in claim.photos]
    if hashes:
        reused = db.session.scalar(
            select(Claim.number).join(ClaimPhoto, ClaimPhoto.claim_id == Claim.id)
            .where(ClaimPhoto.sha256.in_(hashes), Claim.id != claim.id).limit(1)
        )
        if reused:
            flags.append(gettext("A photo was already used on claim %(number)s.", number=reused))
    return flags


# --- Paid service beyond scope (D10) -----------------------------------------------------

def quote_paid_service(labour_hours, travel_km) -> Decimal:
    """D10: travel plus the technicians' wages, never above ``dealers.paid_service_ceiling``."""
    price = travel_amount(travel_km) + (Decimal(labour_hours or 0) * money_policy("dealers.labour_rate")).quantize(CENT)
    return min(price, money_policy("dealers.paid_service_ceiling"))


def charge_paid_service(claim: Claim, price) -> None:
    """Turn out-of-scope work into paid service at ``price``; an excessive price is refused (D10)."""
    _require_state(claim, ClaimState.DRAFT)
    price = Decimal(price or 0).quantize(CENT)
    ceiling = quote_paid_service(claim.labour_hours, claim.travel_km)
    if price <= 0:
        raise BusinessRuleError(gettext("Give the price agreed with the user."), field="price")
    if price > ceiling:
        raise BusinessRuleError(gettext("Excessive price: paid service is travel plus wages, %(max)s at most.",
                                        max=ceiling), field="price")
    reason = gettext("Beyond the company's scope: paid service at %(price)s.", price=price)
    transition(claim, (ClaimState.DRAFT,), ClaimState.REJECTED, "dealers.paid_service",
                {"price": str(price)}, rejection_reason=reason)


# --- The technical department: appraisal -------------------------------------------------

def start_appraisal(claim: Claim) -> None:
    """D15: a claim whose old parts have not come back is not processed."""
    if claim.parts and not claim.all_parts_received:
        raise BusinessRuleError(gettext("The old parts have not come back yet."), field="state")
    transition(claim, (ClaimState.SUBMITTED, ClaimState.PARTS_RECEIVED), ClaimState.UNDER_APPRAISAL,
                "dealers.appraisal_started", {})


def appraise_part(part: ClaimPart, defect_confirmed: bool, usable: bool) -> None:
    """Appraise one old part (D16) and route it to its warehouse (D17) through the inventory hook."""
    claim = part.claim
    _require_state(claim, ClaimState.UNDER_APPRAISAL)
    if part.appraised_at is not None:
        raise BusinessRuleError(gettext("This part is already appraised."), field="defect_confirmed")
    part.defect_confirmed = bool(defect_confirmed)
    part.usable = bool(usable)
    part.appraised_at = now()
    _hook().postventa_old_part_appraised(part_number=part.old_part_number or part.part_number,
                                         serial=part.old_serial, usable=bool(usable), quantity=part.quantity,
                                         reference=f"claim {claim.number}")
    record(claim.case, "dealers.part_appraised", {"part": part.old_part_number, "serial": part.old_serial,
                                                  "defect_confirmed": bool(defect_confirmed), "usable": bool(usable)})


def approve(claim: Claim, note: str = "") -> None:
    """Approve after appraisal. A late registration needs an override (D7); a flagged claim a review note."""
    _require_state(claim, ClaimState.UNDER_APPRAISAL)
    if claim.sale is not None and not claim.sale.entitled and not claim.override_reason:
        raise BusinessRuleError(late_registration_reason(), field="note")
    if any(part.appraised_at is None for part in claim.parts):
        raise BusinessRuleError(gettext("Appraise every old part first."), field="note")
    note = (note or "").strip()
    if claim.flagged and not note:
        raise BusinessRuleError(gettext("This claim is flagged for review: write what you checked."), field="note")
    transition(claim, (ClaimState.UNDER_APPRAISAL,), ClaimState.APPROVED, "dealers.claim_approved",
                {"note": note[:1000]})


def reject(claim: Claim, reason: str) -> None:
    """Refuse the claim, with the reason on the timeline."""
    reason = (reason or "").strip()
    if not reason:
        raise BusinessRuleError(gettext("Say why the claim is rejected."), field="reason")
    transition(claim, (ClaimState.SUBMITTED, ClaimState.PARTS_RECEIVED, ClaimState.UNDER_APPRAISAL),
                ClaimState.REJECTED, "dealers.claim_rejected", {"reason": reason[:1000]},
                rejection_reason=reason[:1000])


def override_registration(claim: Claim, reason: str) -> None:
    """Reopen a claim refused for a late receipt card (D7), with a written reason."""
    reason = (reason or "").strip()
    if not reason:
        raise BusinessRuleError(gettext("Write why the late registration is accepted."), field="reason")
    if claim.sale is None or claim.sale.entitled:
        raise BusinessRuleError(gettext("This claim's sale was registered in time."), field="reason")
    transition(claim, (ClaimState.REJECTED,), ClaimState.SUBMITTED, "dealers.registration_overridden",
                {"reason": reason[:1000]}, override_reason=reason[:1000], rejection_reason="")


# --- Finance: verification (D18, D19) ----------------------------------------------------

def travel_amount(travel_km) -> Decimal:
    """Travel by rule: kilometres at the configured rate, up to the configured maximum."""
    amount = (Decimal(travel_km or 0) * money_policy("dealers.travel_rate_per_km")).quantize(CENT)
    return min(amount, money_policy("dealers.travel_max_amount"))


def verify(claim: Claim) -> Decimal:
    """Verify an approved claim's amount: parts at the price list, labour at the rate, travel by rule.

    Parts whose defect the appraisal did not confirm are not paid; lines the
    unit's warranty does not cover are not paid; a claim a sales representative
    found not to match its record or parts is not verified (D18).
    """
    _require_state(claim, ClaimState.APPROVED)
    failed_check = db.session.scalar(
        select(SpotCheck.id).where(SpotCheck.claim_id == claim.id, SpotCheck.outcome != "ok").limit(1)
    )
    if failed_check:
        raise BusinessRuleError(gettext("A spot check found this claim does not match its record or parts."),
                                field="state")
    covered = _covered_lines(claim)
    hook = _hook()
    parts_total = ZERO
    for part in claim.parts:
        price = hook.postventa_part_price(part_number=part.part_number, price_kind="list")
        part.verified_price = Decimal(price).quantize(CENT) if price is not None else part.unit_price
        if part.defect_confirmed:
            parts_total += (part.verified_price * part.quantity).quantize(CENT)
    labour = (claim.labour_hours * money_policy("dealers.labour_rate")).quantize(CENT)
    travel = travel_amount(claim.travel_km)
    parts_total, labour, travel = (amount if covered[kind] else ZERO
                                   for kind, amount in (("parts", parts_total), ("labour", labour), ("travel", travel)))
    total = parts_total + labour + travel
    transition(claim, (ClaimState.APPROVED,), ClaimState.VERIFIED, "dealers.claim_verified",
                {"parts": str(parts_total), "labour": str(labour), "travel": str(travel), "total": str(total)},
                parts_amount=parts_total, labour_amount=labour, travel_amount=travel, verified_total=total,
                verified_at=now())
    return total


def _covered_lines(claim: Claim) -> dict[str, bool]:
    unit = _unit(claim)
    if unit is None:
        return {"parts": True, "labour": True, "travel": True}
    lines = warranty.entitlement(unit, on=claim.fault_on).lines
    return {kind: (lines[kind].covered if kind in lines else True) for kind in ("parts", "labour", "travel")}


# --- Shared -----------------------------------------------------------------------

def _require_state(claim: Claim, *states: str) -> None:
    if claim.state not in states:
        raise BusinessRuleError(gettext("Not possible while the claim is %(state)s.", state=state_label(claim.state)),
                                field="state")


def transition(claim: Claim, from_states, to_state: str, event: str, payload: dict, **values) -> None:
    """Move the claim with a conditional UPDATE; a concurrent change makes it fail, never double."""
    previous = claim.state
    moved = db.session.execute(
        update(Claim).where(Claim.id == claim.id, Claim.state.in_(from_states))
        .values(state=to_state, **values).execution_options(synchronize_session=False)
    ).rowcount
    if not moved:
        raise BusinessRuleError(gettext("Someone else changed this claim first; reload it."), field="state")
    db.session.refresh(claim)
    record(claim.case, event, {"claim": claim.number, "from": previous, "to": to_state, **payload})


def state_label(state: str) -> str:
    labels = {
        ClaimState.DRAFT: gettext("draft"), ClaimState.SUBMITTED: gettext("submitted"),
        ClaimState.PARTS_RECEIVED: gettext("parts received"), ClaimState.UNDER_APPRAISAL: gettext("under appraisal"),
        ClaimState.APPROVED: gettext("approved"), ClaimState.REJECTED: gettext("rejected"),
        ClaimState.VERIFIED: gettext("verified"), ClaimState.ON_NOTICE: gettext("on a notice"),
        ClaimState.SETTLED: gettext("settled"),
    }
    return labels.get(state, state)


def visible_claims(user=None):
    """A SELECT of the claims the user may see (their own dealer's, for a dealer)."""
    return scoped(select(Claim), Claim.dealer_id, user=user)
