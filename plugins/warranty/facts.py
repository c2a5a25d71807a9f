"""Facts the warranty plugin shares through hooks (so no plugin imports its models)."""
from __future__ import annotations

from sqlalchemy import select

from core.extensions import db
from core.facts import InstalledUnit

from .models import Unit


def installed_units(organisation_id: int) -> list[InstalledUnit]:
    """Every unit whose customer is ``organisation_id``, as :class:`core.facts.InstalledUnit`."""
    units = db.session.scalars(
        select(Unit).where(Unit.customer_id == organisation_id).order_by(Unit.serial)
    ).all()
    return [
        InstalledUnit(serial=u.serial, product_model=u.product.model, product_family=u.product.family,
                      maker=u.product.maker, installed_on=u.installed_on)
        for u in units
    ]
