"""Stock a dealer returns, and who pays for it (D13).

* A quality problem: the company pays the freight.
* Parts the dealer dismantled: the dealer pays the freight and the restoration.
* Unsold goods: returnable until ``inventory_parts.unsold_cycles_count_as_sold``
  work cycles (sales seasons) have closed since delivery; after that they count
  as sold and the return is refused.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import func, select

from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy

from ..models import MoveKind, OrderState, PartsOrder, ReturnReason, ReturnState, Season, StockReturn
from .stock import company_location, dealer_location, post_move, to_quantity

PAYER_POLICY = {
    ReturnReason.QUALITY: "inventory_parts.quality_return_freight_payer",
    ReturnReason.DISMANTLED: "inventory_parts.dismantled_return_freight_payer",
    ReturnReason.UNSOLD: "inventory_parts.unsold_return_freight_payer",
}


def cycles_since(delivered_on, on) -> int:
    """Work cycles (sales seasons) that closed after ``delivered_on`` and by ``on``."""
    return db.session.scalar(
        select(func.count(Season.id)).where(Season.closes_on > delivered_on, Season.closes_on <= on)
    ) or 0


def counts_as_sold(order: PartsOrder, on) -> bool:
    """D13: goods unsold after the policy's work cycles and not returned count as sold."""
    return cycles_since(order.closed_at.date(), on) >= policy("inventory_parts.unsold_cycles_count_as_sold")


def returnable_quantity(order: PartsOrder, part_id: int) -> Decimal:
    delivered = sum((line.quantity for line in order.lines if line.part_id == part_id), Decimal("0"))
    returned = db.session.scalar(
        select(func.sum(StockReturn.quantity)).where(
            StockReturn.order_id == order.id, StockReturn.part_id == part_id,
            StockReturn.state != ReturnState.REFUSED)
    ) or Decimal("0")
    return delivered - Decimal(returned)


def request_return(order: PartsOrder, part_id: int, quantity, reason: str) -> StockReturn:
    """The dealer asks to send back parts of a delivered order."""
    if order.state != OrderState.CLOSED:
        raise BusinessRuleError(gettext("Only delivered orders can be returned."), field="order_id")
    if reason not in ReturnReason.ALL:
        raise BusinessRuleError(gettext("Choose why the parts come back."), field="reason")
    quantity = to_quantity(quantity)
    if quantity <= 0:
        raise BusinessRuleError(gettext("The quantity must be positive."), field="quantity")
    if not any(line.part_id == part_id for line in order.lines):
        raise BusinessRuleError(gettext("The part is not on this order."), field="part_id")
    if quantity > returnable_quantity(order, part_id):
        raise BusinessRuleError(gettext("More than was delivered and not yet returned."), field="quantity")
    at = now()
    if reason == ReturnReason.UNSOLD and counts_as_sold(order, at.date()):
        raise BusinessRuleError(gettext("Unsold after %(cycles)s work cycles: these goods count as sold.",
                                        cycles=policy("inventory_parts.unsold_cycles_count_as_sold")),
                                field="reason")
    stock_return = StockReturn(dealer_org_id=order.dealer_org_id, order_id=order.id, order=order, part_id=part_id,
                               quantity=quantity, reason=reason, state=ReturnState.REQUESTED, requested_at=at)
    db.session.add(stock_return)
    db.session.flush()
    return stock_return


def freight_payer(reason: str) -> str:
    """``"company"`` or ``"dealer"``: who pays the freight of a return for ``reason`` (D13)."""
    return policy(PAYER_POLICY[reason])


def receive_return(stock_return: StockReturn, freight_cost, restoration_cost=0) -> StockReturn:
    """The goods arrive: out of the dealer's stock, into the company's; the dealer's charge is set (D13)."""
    if stock_return.state != ReturnState.REQUESTED:
        raise BusinessRuleError(gettext("This return was already handled."), field="freight_cost")
    freight = to_quantity(freight_cost, "freight_cost")
    restoration = to_quantity(restoration_cost or 0, "restoration_cost")
    if freight < 0:
        raise BusinessRuleError(gettext("The value cannot be negative."), field="freight_cost")
    if restoration < 0:
        raise BusinessRuleError(gettext("The value cannot be negative."), field="restoration_cost")
    if restoration and stock_return.reason != ReturnReason.DISMANTLED:
        raise BusinessRuleError(gettext("Restoration is charged only for parts the dealer dismantled."),
                                field="restoration_cost")
    reference = gettext("Return %(id)s", id=stock_return.id)
    order = stock_return.order
    post_move(stock_return.part, dealer_location(order.dealer), -stock_return.quantity, MoveKind.RETURN,
              reference=reference, order=order)
    post_move(stock_return.part, company_location(), stock_return.quantity, MoveKind.RETURN,
              reference=reference, order=order)
    payer = freight_payer(stock_return.reason)
    stock_return.freight_cost = freight
    stock_return.restoration_cost = restoration
    stock_return.freight_payer = payer
    stock_return.dealer_charge = (freight if payer == "dealer" else Decimal("0")) + restoration
    stock_return.state = ReturnState.RECEIVED
    stock_return.received_at = now()
    db.session.flush()
    return stock_return
