"""Products a dealer returns from its stock, and who pays the freight (D13)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select

from core.auth.scoping import scoped
from core.clock import today
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy

from ..models import ReturnReason, StockReturn
from ..policies import money_policy
from .settlement import post_charge


def counted_as_sold(delivered_on: date, on: date | None = None) -> bool:
    """D13: goods still unsold after ``dealers.unsold_cycles`` work cycles and not returned count as sold."""
    on = on or today()
    return (on - delivered_on).days > int(policy("dealers.unsold_cycles")) * int(policy("dealers.work_cycle_days"))


def return_stock(dealer_id: int, *, product_model: str, reason: str, delivered_on: date, quantity: int = 1,
                 serial: str = "", freight=0) -> StockReturn:
    """Record a return to the factory with D13's freight rule.

    Quality problem: the company pays the freight. Parts dismantled by the dealer:
    the dealer pays the freight and the restoration (charged to its receivables).
    Unsold goods: returned at the dealer's cost, and refused once they count as sold.
    """
    product_model = (product_model or "").strip()
    if not product_model:
        raise BusinessRuleError(gettext("Give the product model."), field="product_model")
    if reason not in ReturnReason.ALL:
        raise BusinessRuleError(gettext("Choose why the goods come back."), field="reason")
    if delivered_on is None or delivered_on > today():
        raise BusinessRuleError(gettext("Give the day the goods were delivered to you."), field="delivered_on")
    if not quantity or int(quantity) < 1:
        raise BusinessRuleError(gettext("The quantity must be at least one."), field="quantity")
    freight = Decimal(freight or 0).quantize(Decimal("0.01"))
    if freight < 0:
        raise BusinessRuleError(gettext("Freight cannot be negative."), field="freight")
    if reason == ReturnReason.UNSOLD and counted_as_sold(delivered_on):
        raise BusinessRuleError(gettext("Unsold for more than %(cycles)d work cycles: these goods count as sold.",
                                        cycles=int(policy("dealers.unsold_cycles"))), field="delivered_on")
    payer = "company" if reason == ReturnReason.QUALITY else "dealer"
    restoration = (money_policy("dealers.restoration_fee_per_unit") * int(quantity)
                   if reason == ReturnReason.DISMANTLED else Decimal("0.00"))
    item = StockReturn(dealer_id=dealer_id, product_model=product_model[:80], serial=(serial or "").strip()[:80],
                       quantity=int(quantity), reason=reason, delivered_on=delivered_on, returned_on=today(),
                       freight=freight, freight_payer=payer, restoration=restoration)
    db.session.add(item)
    db.session.flush()
    if payer == "dealer" and freight + restoration > 0:
        post_charge(dealer_id, freight + restoration,
                    gettext("Stock return %(id)d: freight and restoration", id=item.id))
    return item


def visible_returns(user=None):
    return scoped(select(StockReturn), StockReturn.dealer_id, user=user)
