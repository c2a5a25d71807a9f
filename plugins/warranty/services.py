"""The installed base and warranty entitlement: the documented services other plugins call.

Public API (the dealers plugin depends on it; keep these names stable):
``find_product``, ``create_product``, ``find_unit``, ``create_unit``,
``entitlement`` (returns :class:`Entitlement`), ``terms_for``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import format_date, gettext
from sqlalchemy import select

from core.auth.models import Organisation
from core.clock import today
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy

from .models import Product, Unit, WarrantyPolicy
from .periods import add_months

LINE_KINDS = ("parts", "labour", "travel")


@dataclass(frozen=True)
class LineCoverage:
    """Whether one kind of line (parts, labour, travel) is free, and why."""

    covered: bool
    reason: str


@dataclass(frozen=True)
class Entitlement:
    """What a unit is entitled to on a given day (W1, W2, W9)."""

    in_warranty: bool
    starts_on: date | None
    ends_on: date | None
    basis: str  # "acceptance" (W1), "completion" (W2) or "none"
    reason: str
    lines: dict[str, LineCoverage] = field(default_factory=dict)


@dataclass(frozen=True)
class Terms:
    """The warranty terms in force for a product: its policy, or the deployment's defaults."""

    term_months: int
    covers: dict[str, bool]
    exclusions: tuple[str, ...]


def terms_for(product: Product) -> Terms:
    """The terms of ``product``'s warranty policy, or the defaults when it has none."""
    wp: WarrantyPolicy | None = product.warranty_policy
    if wp is None:
        return Terms(
            term_months=int(policy("warranty.term_months")),
            covers={kind: bool(policy(f"warranty.covers_{kind}")) for kind in LINE_KINDS},
            exclusions=tuple(policy("warranty.exclusions")),
        )
    return Terms(
        term_months=wp.term_months,
        covers={"parts": wp.covers_parts, "labour": wp.covers_labour, "travel": wp.covers_travel},
        exclusions=tuple(line.strip() for line in (wp.exclusions or "").splitlines() if line.strip()),
    )


# --- Products ----------------------------------------------------------------------

def find_product(model: str) -> Product | None:
    """The product of this model number, or None."""
    return db.session.scalar(select(Product).where(Product.model == (model or "").strip()))


def create_product(model: str, name: str, family: str, maker: str = "", policy=None) -> Product:
    """Add a product model; ``policy`` is a :class:`WarrantyPolicy` (None: the default terms)."""
    model, name, family = (model or "").strip(), (name or "").strip(), (family or "").strip()
    if not model:
        raise BusinessRuleError(gettext("A model number is required."), field="model")
    if not name:
        raise BusinessRuleError(gettext("A name is required."), field="name")
    if not family:
        raise BusinessRuleError(gettext("A product family is required."), field="family")
    if find_product(model) is not None:
        raise BusinessRuleError(gettext("A product with this model number exists."), field="model")
    product = Product(model=model, name=name, family=family, maker=(maker or "").strip(),
                      policy_id=policy.id if policy is not None else None)
    db.session.add(product)
    db.session.flush()
    return product


# --- Units -------------------------------------------------------------------------

def find_unit(serial: str, product_model: str | None = None) -> Unit | None:
    """The unit with this serial (of this product model, when given).

    Serials are unique per product, not across products: when several products
    share the serial and no model is given, the answer is ambiguous and None.
    """
    stmt = select(Unit).where(Unit.serial == (serial or "").strip())
    if product_model:
        stmt = stmt.join(Product, Unit.product_id == Product.id).where(Product.model == product_model.strip())
    found = db.session.scalars(stmt.limit(2)).all()
    return found[0] if len(found) == 1 else None


def check_new_unit(product: Product | None, serial: str, customer_id, delivered_on=None,
                   installed_on=None, completed_on=None) -> str:
    """Refuse a unit that cannot be created (used by the form and the CSV import alike)."""
    serial = (serial or "").strip()
    if product is None:
        raise BusinessRuleError(gettext("Choose a product."), field="product_id")
    if not serial:
        raise BusinessRuleError(gettext("A serial number is required."), field="serial")
    if db.session.scalar(select(Unit.id).where(Unit.product_id == product.id, Unit.serial == serial)):
        raise BusinessRuleError(gettext("This product already has a unit with this serial number."),
                                field="serial")
    if not customer_id or db.session.get(Organisation, int(customer_id)) is None:
        raise BusinessRuleError(gettext("Unknown customer."), field="customer_id")
    if delivered_on and installed_on and installed_on < delivered_on:
        raise BusinessRuleError(gettext("Installation cannot come before delivery."), field="installed_on")
    if installed_on and completed_on and completed_on < installed_on:
        raise BusinessRuleError(gettext("Completion cannot come before installation."), field="completed_on")
    return serial


def create_unit(product: Product, serial: str, customer_id: int, *, site: str = "", delivered_on=None,
                installed_on=None, completed_on=None) -> Unit:
    """Register an installed unit of ``product`` for the customer organisation ``customer_id``."""
    serial = check_new_unit(product, serial, customer_id, delivered_on, installed_on, completed_on)
    unit = Unit(serial=serial, product_id=product.id, product=product, customer_id=int(customer_id),
                site=(site or "").strip(), delivered_on=delivered_on, installed_on=installed_on,
                completed_on=completed_on)
    db.session.add(unit)
    db.session.flush()
    return unit


def record_acceptance(unit: Unit, accepted_on: date, customer_signatory: str, company_signatory: str,
                      signed_at=None, scan_name: str = "", scan_sha256: str = "") -> None:
    """Record the acceptance report signed by both parties: it starts the warranty (W1)."""
    from core.clock import now

    if not accepted_on:
        raise BusinessRuleError(gettext("Give the date of the signed acceptance report."), field="accepted_on")
    if accepted_on > today():
        raise BusinessRuleError(gettext("The acceptance cannot be signed in the future."), field="accepted_on")
    if not (customer_signatory or "").strip():
        raise BusinessRuleError(gettext("The customer's signatory is required."), field="accepted_by_customer")
    if not (company_signatory or "").strip():
        raise BusinessRuleError(gettext("The company's signatory is required."), field="accepted_by_company")
    unit.accepted_on = accepted_on
    unit.accepted_by_customer = customer_signatory.strip()
    unit.accepted_by_company = company_signatory.strip()
    unit.acceptance_signed_at = signed_at or now()
    if scan_sha256:
        unit.acceptance_scan_name, unit.acceptance_scan_sha256 = scan_name, scan_sha256
    if not unit.completed_on:
        unit.completed_on = accepted_on
    db.session.flush()


# --- Entitlement (W1, W2, W3, W9) ------------------------------------------------------

def warranty_start(unit: Unit, certificate_shown: bool = True) -> tuple[date | None, str]:
    """When the warranty started, and on what basis.

    W1: the day the acceptance report was signed by both parties. W2: when the
    customer cannot show the warranty certificate, the completion date.
    """
    if unit.acceptance_signed and certificate_shown:
        return unit.accepted_on, "acceptance"
    if unit.completed_on:
        return unit.completed_on, "completion"
    return None, "none"


def entitlement(unit: Unit, on: date | None = None, *, certificate_shown: bool = True) -> Entitlement:
    """Is ``unit`` in warranty ``on`` that day (default today), from when to when, and what is free."""
    on = on or today()
    starts_on, basis = warranty_start(unit, certificate_shown)
    terms = terms_for(unit.product)
    if starts_on is None:
        reason = gettext("No signed acceptance report and no completion date: the warranty has not started.")
        return Entitlement(False, None, None, "none", reason, _lines(terms, False, reason))
    ends_on = add_months(starts_on, terms.term_months) - timedelta(days=1)
    if on < starts_on:
        in_warranty = False
        reason = gettext("The warranty starts on %(date)s.", date=format_date(starts_on))
    elif on > ends_on:
        in_warranty = False
        reason = gettext("The warranty ended on %(date)s: materials and labour are charged at cost.",
                         date=format_date(ends_on))
    else:
        in_warranty = True
        if basis == "acceptance":
            reason = gettext("In warranty from the signed acceptance of %(start)s until %(end)s.",
                             start=format_date(starts_on), end=format_date(ends_on))
        else:
            reason = gettext("In warranty from completion on %(start)s until %(end)s "
                             "(no warranty certificate shown).",
                             start=format_date(starts_on), end=format_date(ends_on))
    return Entitlement(in_warranty, starts_on, ends_on, basis, reason, _lines(terms, in_warranty, reason))


def _lines(terms: Terms, in_warranty: bool, out_reason: str) -> dict[str, LineCoverage]:
    lines = {}
    for kind in LINE_KINDS:
        if not in_warranty:
            lines[kind] = LineCoverage(False, out_reason)
        elif terms.covers[kind]:
            lines[kind] = LineCoverage(True, gettext("Free in warranty, unless caused by improper use."))
        else:
            lines[kind] = LineCoverage(False, gettext("Not covered by this warranty policy."))
    return lines
