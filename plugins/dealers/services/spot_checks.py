"""Sales representatives' spot checks of dealers (D18)."""
from __future__ import annotations

from flask_babel import gettext
from sqlalchemy import select

from core.audit import current_actor_id
from core.auth.scoping import scoped
from core.cases.timeline import record
from core.clock import today
from core.errors import BusinessRuleError
from core.extensions import db

from ..models import Claim, ClaimState, SpotCheck
from .claims import transition

OUTCOMES = ("ok", "out_of_scope", "mismatch")


def record_spot_check(dealer_id: int, outcome: str, findings: str, claim: Claim | None = None) -> SpotCheck:
    """Record a spot check. A claim found out of scope is not processed (rejected); one whose
    record or returned parts do not match is flagged and never verified (D18)."""
    if outcome not in OUTCOMES:
        raise BusinessRuleError(gettext("Choose the outcome."), field="outcome")
    findings = (findings or "").strip()
    if outcome != "ok" and not findings:
        raise BusinessRuleError(gettext("Write what you found."), field="findings")
    if claim is not None and claim.dealer_id != dealer_id:
        raise BusinessRuleError(gettext("This claim belongs to another dealer."), field="claim_id")
    check = SpotCheck(dealer_id=dealer_id, claim_id=claim.id if claim else None, checked_on=today(),
                      checked_by_id=current_actor_id(), outcome=outcome, findings=findings[:4000])
    db.session.add(check)
    db.session.flush()
    if claim is not None:
        record(claim.case, "dealers.spot_check", {"outcome": outcome, "findings": check.findings})
        if outcome == "mismatch":
            claim.flagged = True
            claim.flag_reasons = list(claim.flag_reasons or []) + [gettext("Spot check: %(f)s", f=check.findings)]
        elif outcome == "out_of_scope" and claim.state in (ClaimState.SUBMITTED, ClaimState.PARTS_RECEIVED,
                                                           ClaimState.UNDER_APPRAISAL, ClaimState.APPROVED):
            transition(claim, (claim.state,), ClaimState.REJECTED, "dealers.claim_rejected",
                       {"reason": check.findings}, rejection_reason=check.findings)
    return check


def visible_spot_checks(user=None):
    return scoped(select(SpotCheck), SpotCheck.dealer_id, user=user)
