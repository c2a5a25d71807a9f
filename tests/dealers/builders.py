"""Records for the dealers tests, built through the plugin's own services."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import count

from core.clock import today
from core.extensions import db
from plugins.dealers.services import claims, profiles, sales
from plugins.warranty import services as warranty
from tests import factories

_serial = count(1)
PLUGINS = ["warranty", "dealers"]


def dealer(name: str | None = None):
    """A dealer organisation with its profile."""
    profile = profiles.create_dealer(name or f"Distribuidor {next(_serial)}", service_area="Norte")
    db.session.commit()
    return profile.organisation


def dealer_user(organisation, username: str | None = None, roles=("dealer", "dealer_manager")):
    return factories.user(list(roles), organisation=organisation, username=username)


def product(model: str = "AGR-100", family: str = "cosechadoras"):
    found = warranty.find_product(model)
    return found or warranty.create_product(model, "Cosechadora compacta", family, maker="Postventa")


def sale(dealer_org, serial: str | None = None, sold_on: date | None = None, received_on: date | None = None,
         model: str = "AGR-100"):
    product(model)
    sold_on = sold_on or today() - timedelta(days=30)
    created = sales.register_sale(
        dealer_org.id, serial=serial or f"SN-{next(_serial):05d}", product_model=model,
        customer_name="Finca La Vega", customer_phone="600000000", customer_address="Camino Real 3",
        sold_on=sold_on, received_on=received_on or sold_on + timedelta(days=5), scope_acknowledged=True,
    )
    db.session.commit()
    return created


def draft_claim(dealer_org, sale_record, *, cause: str = "manufacture", parts=(("P-100", "1", "80.00"),),
                labour_hours: str = "2", travel_km: str = "40", fault_on: date | None = None):
    """A complete draft claim on ``sale_record`` (not yet submitted)."""
    claim = claims.start_claim(dealer_org.id, sale_record.serial)
    claims.save_draft(claim, fault_on=fault_on or today() - timedelta(days=1), fault="Rotura del eje",
                      cause=cause, remedy="repair", labour_hours=labour_hours, travel_km=travel_km,
                      served_user_name="Juan Pérez")
    for number, quantity, price in parts:
        claims.add_part(claim, number, Decimal(quantity), Decimal(price), old_serial=f"OLD-{number}")
    db.session.commit()
    return claim


def submitted_claim(dealer_org, sale_record, user, **kwargs):
    claim = draft_claim(dealer_org, sale_record, **kwargs)
    claims.submit(claim, user)
    db.session.commit()
    return claim


def verified_claim(dealer_org, sale_record, user, **kwargs):
    """A claim taken through parts return, appraisal, approval and verification."""
    from plugins.dealers.services import parts_return

    claim = submitted_claim(dealer_org, sale_record, user, **kwargs)
    if claim.parts:
        shipment = parts_return.ship_parts(dealer_org.id, list(claim.parts), "truck")
        parts_return.receive_shipment(shipment)
    claims.start_appraisal(claim)
    for part in claim.parts:
        claims.appraise_part(part, defect_confirmed=True, usable=False)
    claims.approve(claim)
    claims.verify(claim)
    db.session.commit()
    return claim
