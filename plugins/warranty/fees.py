"""Pricing each line of work by rule before work starts (W3-W6) and maintenance contracts (W7)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from flask import current_app
from flask_babel import gettext
from sqlalchemy import select, update

from core.auth.services import company
from core.cases.timeline import record
from core.clock import now, today
from core.errors import BusinessRuleError
from core.extensions import db
from core.facts import PartLine
from core.policies import policy

from .emergency import request_for
from .models import FeeAcceptance, FeeLine, MaintenanceContract, PolicyPart, Unit
from .periods import add_months
from .services import LINE_KINDS, entitlement

CENT = Decimal("0.01")
ZERO = Decimal("0")


@dataclass(frozen=True)
class Price:
    """What one unit of a line costs the customer, by which rule, and why."""

    unit_price: Decimal
    charge: Decimal
    rule: str
    reason: str


def as_money(value, field: str, required: bool = True) -> Decimal | None:
    """A non-negative amount with two decimals, or a message next to ``field``."""
    if value in (None, ""):
        if required:
            raise BusinessRuleError(gettext("Enter an amount."), field=field)
        return None
    try:
        amount = Decimal(str(value)).quantize(CENT)
    except (InvalidOperation, ValueError):
        raise BusinessRuleError(gettext("Enter an amount such as 12.50."), field=field)
    if amount < 0:
        raise BusinessRuleError(gettext("The amount cannot be negative."), field=field)
    return amount


def _hook():
    return current_app.extensions["postventa"].hook


def normal_service_life(unit: Unit | None, part_number: str) -> int | None:
    """A part's normal life in months: the inventory plugin's, else the warranty policy's parts list (W5)."""
    months = _hook().postventa_part_service_life(part_number=part_number)
    if months is not None:
        return int(months)
    if unit is None or unit.product.policy_id is None:
        return None
    return db.session.scalar(select(PolicyPart.service_life_months).where(
        PolicyPart.policy_id == unit.product.policy_id, PolicyPart.part_number == part_number))


def _months_between(start: date, end: date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _cost_price(kind: str, part_number: str, entered: Decimal | None) -> Decimal:
    """Cost price: the inventory's cost for a part, else what was entered on the line (W4)."""
    if kind == "parts" and part_number:
        cost = _hook().postventa_part_price(part_number=part_number, price_kind="cost")
        if cost is not None:
            return Decimal(cost).quantize(CENT)
    if entered is None:
        raise BusinessRuleError(gettext("Enter the cost price of this line."), field="unit_price")
    return entered


def _abnormally_short(unit, part_number, fitted_on, confirmed_by, on) -> bool:
    """W5: an authorised department found the part failed significantly before its normal life."""
    if not (part_number and fitted_on and (confirmed_by or "").strip()):
        return False
    life = normal_service_life(unit, part_number)
    if not life:
        return False
    limit = Decimal(life) * Decimal(policy("warranty.w5_abnormal_life_percent")) / 100
    return Decimal(_months_between(fitted_on, on)) < limit


def price(unit: Unit | None, kind: str, *, unit_price=None, part_number: str = "", improper_use: bool = False,
          part_fitted_on: date | None = None, abnormal_life_confirmed_by: str = "", on: date | None = None,
          certificate_shown: bool = True) -> Price:
    """Price one unit of a line of work by the W3-W6 rules."""
    if kind not in LINE_KINDS:
        raise BusinessRuleError(gettext("Choose parts, labour or travel."), field="kind")
    on = on or today()
    entered = as_money(unit_price, "unit_price", required=False)
    ent = entitlement(unit, on, certificate_shown=certificate_shown) if unit is not None else None
    if ent is not None and ent.in_warranty:
        if improper_use:  # W3: improper use is out of scope, charged at cost
            cost = _cost_price(kind, part_number, entered)
            return Price(cost, cost, "w3_improper_use", gettext("Improper use is not covered: charged at cost."))
        if ent.lines[kind].covered:  # W3: free in warranty and in scope
            return Price(entered or ZERO, ZERO, "w3_free", ent.lines[kind].reason)
        cost = _cost_price(kind, part_number, entered)
        return Price(cost, cost, "w4_cost", ent.lines[kind].reason)
    if _abnormally_short(unit, part_number, part_fitted_on, abnormal_life_confirmed_by, on):
        return Price(entered or ZERO, ZERO, "w5_free",
                     gettext("The part failed well before its normal service life: free (W5)."))
    if kind == "parts":
        if part_number:
            preferential = _hook().postventa_part_price(part_number=part_number, price_kind="preferential")
            if preferential is not None:
                amount = Decimal(preferential).quantize(CENT)
                return Price(amount, amount, "w6_preferential", gettext("Spare part at the preferential price."))
        cost = _cost_price(kind, part_number, entered)
        markup = Decimal(str(policy("warranty.w6_preferential_markup_percent")))
        amount = (cost * (100 + markup) / 100).quantize(CENT)
        return Price(amount, amount, "w6_preferential", gettext("Spare part at the preferential price."))
    cost = _cost_price(kind, part_number, entered)  # W4: out of warranty, at cost
    return Price(cost, cost, "w4_cost", gettext("Out of warranty: charged at cost price."))


def add_line(case, kind: str, description: str, quantity, **pricing) -> FeeLine:
    """Price a line of work on ``case`` before work starts; a new line voids an earlier acceptance (W4)."""
    description = (description or "").strip()
    if not description:
        raise BusinessRuleError(gettext("Describe the line of work."), field="description")
    try:
        qty = Decimal(str(quantity))
    except (InvalidOperation, ValueError):
        raise BusinessRuleError(gettext("Enter a quantity."), field="quantity")
    if qty <= 0:
        raise BusinessRuleError(gettext("The quantity must be more than zero."), field="quantity")
    request = request_for(case)
    unit = request.unit if request else None
    quote = price(unit, kind, **pricing)
    line = FeeLine(
        case_id=case.id, kind=kind, description=description[:300], part_number=(pricing.get("part_number") or "").strip(),
        quantity=qty, unit_price=quote.unit_price, charge=quote.charge, rule=quote.rule, reason=quote.reason[:300],
        improper_use=bool(pricing.get("improper_use")), part_fitted_on=pricing.get("part_fitted_on"),
        abnormal_life_confirmed_by=(pricing.get("abnormal_life_confirmed_by") or "").strip(),
    )
    db.session.add(line)
    acceptance = acceptance_for(case)
    if acceptance is not None and quote.charge > 0:
        db.session.delete(acceptance)
    db.session.flush()
    record(case, "warranty.fee_priced", {"description": line.description, "kind": kind, "rule": quote.rule,
                                         "charge": str(line.total()), "reason": quote.reason})
    return line


def lines_for(case) -> list[FeeLine]:
    return list(db.session.scalars(select(FeeLine).where(FeeLine.case_id == case.id).order_by(FeeLine.id)))


def total_for(case) -> Decimal:
    return total_of(lines_for(case))


def total_of(lines: list[FeeLine]) -> Decimal:
    """What the customer pays for these lines (W3-W6 already priced each)."""
    return sum((line.total() for line in lines), ZERO).quantize(CENT)


def acceptance_for(case) -> FeeAcceptance | None:
    return db.session.scalar(select(FeeAcceptance).where(FeeAcceptance.case_id == case.id))


def accept_fees(case, accepted_by: str) -> FeeAcceptance:
    """The customer accepts the priced lines (W4: fees are explained before work starts)."""
    accepted_by = (accepted_by or "").strip()
    if not accepted_by:
        raise BusinessRuleError(gettext("Type the name of the person who accepts."), field="accepted_by")
    if not lines_for(case):
        raise BusinessRuleError(gettext("Price the lines of work first."), field="accepted_by")
    if acceptance_for(case) is not None:
        raise BusinessRuleError(gettext("The customer has already accepted these fees."), field="accepted_by")
    acceptance = FeeAcceptance(case_id=case.id, accepted_by=accepted_by[:200], accepted_at=now(),
                               total=total_for(case))
    db.session.add(acceptance)
    db.session.flush()
    record(case, "warranty.fees_accepted", {"accepted_by": acceptance.accepted_by, "total": str(acceptance.total)})
    return acceptance


def ensure_fees_accepted(case) -> None:
    """W4: no chargeable work starts before the customer accepted the fees."""
    if total_for(case) > 0 and acceptance_for(case) is None:
        raise BusinessRuleError(gettext("The customer must accept the fees before work starts."),
                                field="accepted_by")


def start_work(case) -> None:
    ensure_fees_accepted(case)
    record(case, "warranty.work_started", {"total": str(total_for(case))})


def consume_parts(case) -> int:
    """Issue the parts of the case's lines from company stock (once, even if asked twice at once).

    Each line is claimed with a conditional ``UPDATE ... WHERE consumed_at IS NULL``,
    then the inventory plugin is told through ``postventa_parts_consumed``.
    """
    ensure_fees_accepted(case)
    at = now()
    claimed = []
    for line in lines_for(case):
        if line.kind != "parts" or not line.part_number or line.consumed_at is not None:
            continue
        won = db.session.execute(
            update(FeeLine).where(FeeLine.id == line.id, FeeLine.consumed_at.is_(None)).values(consumed_at=at)
            .execution_options(synchronize_session=False)
        ).rowcount
        if won:
            claimed.append(line)
    if not claimed:
        raise BusinessRuleError(gettext("There are no parts left to use on this case."), field="parts")
    parts = [PartLine(part_number=line.part_number, quantity=line.quantity) for line in claimed]
    _hook().postventa_parts_consumed(case=case, organisation_id=company().id, lines=parts,
                                     reference=f"{case.number}")
    record(case, "warranty.parts_consumed",
           {"parts": [{"part_number": p.part_number, "quantity": str(p.quantity)} for p in parts]})
    for line in claimed:
        db.session.refresh(line)
    return len(claimed)


# --- W7: post-warranty maintenance contracts -------------------------------------------------

def sign_contract(unit: Unit, starts_on: date, visits_per_year, price_amount, months=None,
                  renewed_from: MaintenanceContract | None = None) -> MaintenanceContract:
    """W7: after expiry, a regular maintenance contract can be signed on request."""
    if not starts_on:
        raise BusinessRuleError(gettext("Give the start date."), field="starts_on")
    ent = entitlement(unit, starts_on)
    if ent.in_warranty:
        raise BusinessRuleError(gettext("The unit is in warranty until %(date)s: a contract starts after it.",
                                        date=ent.ends_on.isoformat()), field="starts_on")
    try:
        visits = int(visits_per_year)
    except (TypeError, ValueError):
        visits = 0
    if visits < 1:
        raise BusinessRuleError(gettext("At least one visit a year."), field="visits_per_year")
    amount = as_money(price_amount, "price")
    months = int(months or policy("warranty.w7_contract_months"))
    overlapping = db.session.scalar(select(MaintenanceContract.id).where(
        MaintenanceContract.unit_id == unit.id, MaintenanceContract.ends_on >= starts_on))
    if overlapping:
        raise BusinessRuleError(gettext("The unit already has a contract for this period."), field="starts_on")
    contract = MaintenanceContract(unit_id=unit.id, customer_id=unit.customer_id, starts_on=starts_on,
                                   ends_on=add_months(starts_on, months) - timedelta(days=1),
                                   visits_per_year=visits, price=amount,
                                   renewed_from_id=renewed_from.id if renewed_from else None)
    db.session.add(contract)
    db.session.flush()
    return contract


def renew_contract(contract: MaintenanceContract, price_amount=None) -> MaintenanceContract:
    """Renew ``contract`` for another period starting the day after it ends."""
    return sign_contract(contract.unit, contract.ends_on + timedelta(days=1), contract.visits_per_year,
                         contract.price if price_amount in (None, "") else price_amount, renewed_from=contract)
