"""The parts catalogue: saving parts, importing them from CSV, their prices (W6) and life (W5)."""
from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from flask_babel import gettext
from sqlalchemy import select

from core.csv_import import RowError, import_csv
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy

from ..models import Part, PartKind

CSV_COLUMNS = ["number", "name", "kind", "unit", "cost_price", "list_price"]
CSV_OPTIONAL = ["preferential_margin_pct", "service_life_months", "reorder_point", "fits"]
CENT = Decimal("0.01")


def _decimal(value, field: str, allow_empty: bool = False) -> Decimal | None:
    text = str(value if value is not None else "").strip().replace(",", ".")
    if not text:
        if allow_empty:
            return None
        raise BusinessRuleError(gettext("This field is required."), field=field)
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise BusinessRuleError(gettext("Enter a number."), field=field) from None
    if number < 0 or not number.is_finite():
        raise BusinessRuleError(gettext("The value cannot be negative."), field=field)
    return number.quantize(CENT)


def clean_part_values(values: dict, part: Part | None = None) -> dict:
    """Check a part's values (from a form or a CSV row) and return them typed.

    :raises BusinessRuleError: naming the field at fault.
    """
    number = (values.get("number") or "").strip()
    if not number:
        raise BusinessRuleError(gettext("Give the part number."), field="number")
    existing = db.session.scalar(select(Part.id).where(Part.number == number))
    if existing is not None and (part is None or existing != part.id):
        raise BusinessRuleError(gettext("Part number %(number)s already exists.", number=number), field="number")
    name = (values.get("name") or "").strip()
    if not name:
        raise BusinessRuleError(gettext("Give the part's name."), field="name")
    kind = (values.get("kind") or "").strip()
    if kind not in PartKind.ALL:
        raise BusinessRuleError(gettext("Kind must be three_guarantee, wear or other."), field="kind")
    life = values.get("service_life_months")
    life_text = str(life if life is not None else "").strip()
    if life_text and (not life_text.isdigit() or int(life_text) == 0):
        raise BusinessRuleError(gettext("The service life is a whole number of months."), field="service_life_months")
    cost = _decimal(values.get("cost_price"), "cost_price")
    list_price = _decimal(values.get("list_price"), "list_price")
    return dict(
        number=number[:40], name=name[:200], kind=kind, unit=((values.get("unit") or "").strip() or "ud")[:20],
        cost_price=cost, list_price=list_price,
        preferential_margin_pct=_decimal(values.get("preferential_margin_pct"), "preferential_margin_pct", True),
        service_life_months=int(life_text) if life_text else None,
        reorder_point=_decimal(values.get("reorder_point"), "reorder_point", True) or Decimal("0"),
        fits="|".join(item.strip() for item in (values.get("fits") or "").split("|") if item.strip())[:500],
    )


def save_part(values: dict, part: Part | None = None) -> Part:
    """Create a part, or update ``part``, from checked values."""
    cleaned = clean_part_values(values, part)
    if part is None:
        part = Part(**cleaned)
        db.session.add(part)
    else:
        for key, value in cleaned.items():
            setattr(part, key, value)
    db.session.flush()
    return part


def import_catalogue(data: bytes):
    """Import parts from CSV, all or nothing, with a report of every refused row."""
    seen: set[str] = set()

    def import_row(row: dict):
        number = (row.get("number") or "").strip()
        if number in seen:
            raise RowError(gettext("Part number %(number)s appears twice in the file.", number=number))
        try:
            cleaned = clean_part_values(row)
        except BusinessRuleError as error:
            raise RowError(f"{error.field}: {error.message}") from None
        seen.add(number)
        db.session.add(Part(**cleaned))
        db.session.flush()

    return import_csv(data, CSV_COLUMNS, import_row)


def preferential_price(part: Part) -> Decimal:
    """The post-warranty price (W6): cost plus the margin, never above the list price."""
    margin = part.preferential_margin_pct
    if margin is None:
        margin = Decimal(str(policy("inventory_parts.preferential_margin_pct")))
    price = (part.cost_price * (1 + Decimal(margin) / 100)).quantize(CENT, rounding=ROUND_HALF_UP)
    return min(price, part.list_price) if part.list_price else price


def price_of(part: Part, price_kind: str) -> Decimal | None:
    """``list``, ``cost`` or ``preferential`` price of ``part``; ``None`` for another kind."""
    if price_kind == "list":
        return part.list_price
    if price_kind == "cost":
        return part.cost_price
    if price_kind == "preferential":
        return preferential_price(part)
    return None
