"""Sale registration: the three-guarantee receipt card (D7, D8)."""
from __future__ import annotations

from datetime import date

from flask_babel import gettext
from sqlalchemy import select

from core.audit import current_actor_id
from core.auth.models import OrganisationKind
from core.auth.scoping import scoped
from core.auth.services import create_organisation
from core.clock import today
from core.errors import BusinessRuleError
from core.extensions import db
from core.facts import InstalledUnit
from core.policies import policy
from plugins.warranty import services as warranty

from ..models import Sale


def registered_in_time(sold_on: date, received_on: date) -> bool:
    """D7: the card must reach the company within ``dealers.registration_days`` of the sale."""
    return (received_on - sold_on).days <= int(policy("dealers.registration_days"))


def register_sale(dealer_id: int, *, serial: str, product_model: str, customer_name: str, sold_on: date,
                  customer_phone: str = "", customer_address: str = "", received_on: date | None = None,
                  commitment: str = "", scope_acknowledged: bool = False) -> Sale:
    """Record a receipt card; a late one marks the sale as not entitled (D7).

    The unit is found in, or added to, the warranty plugin's installed base with
    the end customer (a new customer organisation) and the sale as its delivery
    and completion date, so the warranty runs from the sale.
    """
    serial, product_model = (serial or "").strip(), (product_model or "").strip()
    customer_name = (customer_name or "").strip()
    received_on = received_on or today()
    if not serial:
        raise BusinessRuleError(gettext("A serial number is required."), field="serial")
    product = warranty.find_product(product_model)
    if product is None:
        raise BusinessRuleError(gettext("Unknown product model."), field="product_model")
    if not customer_name:
        raise BusinessRuleError(gettext("Give the end customer's name."), field="customer_name")
    if sold_on is None or sold_on > today():
        raise BusinessRuleError(gettext("Give the sale date (not in the future)."), field="sold_on")
    if received_on < sold_on:
        raise BusinessRuleError(gettext("The card cannot arrive before the sale."), field="received_on")
    if not scope_acknowledged:
        # D8: the dealer promises nothing beyond the company's three-guarantee scope.
        raise BusinessRuleError(gettext("Confirm that nothing beyond the company's scope was promised."),
                                field="scope_acknowledged")
    if db.session.scalar(select(Sale.id).where(Sale.serial == serial, Sale.product_model == product.model)):
        raise BusinessRuleError(gettext("This unit's sale is already registered."), field="serial")
    customer = create_organisation(customer_name[:200], OrganisationKind.CUSTOMER,
                                   phone=(customer_phone or "")[:40], address=(customer_address or "")[:400])
    unit = warranty.find_unit(serial, product.model)
    if unit is None:
        unit = warranty.create_unit(product, serial, customer.id, site=customer_address or "",
                                    delivered_on=sold_on, completed_on=sold_on)
    sale = Sale(
        dealer_id=dealer_id, customer_id=customer.id, unit_id=unit.id, serial=serial,
        product_model=product.model, product_family=product.family, customer_name=customer_name[:200],
        customer_phone=(customer_phone or "")[:40], customer_address=(customer_address or "")[:400],
        sold_on=sold_on, received_on=received_on, entitled=registered_in_time(sold_on, received_on),
        commitment=(commitment or "").strip(), registered_by_id=current_actor_id(),
    )
    db.session.add(sale)
    db.session.flush()
    return sale


def visible_sales(user=None):
    """A SELECT of the sales the user may see (their dealer's only, for a dealer)."""
    return scoped(select(Sale), Sale.dealer_id, user=user)


def sale_for_serial(dealer_id: int, serial: str) -> Sale | None:
    """The dealer's registered sale of the unit with this serial."""
    return db.session.scalar(
        select(Sale).where(Sale.dealer_id == dealer_id, Sale.serial == (serial or "").strip()).limit(1)
    )


def installed_units_sold_by(organisation_id: int) -> list[InstalledUnit]:
    """The units a dealer sold (registered receipt cards), as facts for other plugins."""
    sales = db.session.scalars(
        select(Sale).where(Sale.dealer_id == organisation_id).order_by(Sale.sold_on, Sale.id)
    )
    return [InstalledUnit(serial=s.serial, product_model=s.product_model, product_family=s.product_family,
                          installed_on=s.sold_on) for s in sales]
