"""Builders for the spare-parts tests, through the plugin's own services."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from itertools import count

from sqlalchemy import select

from core.auth.models import OrganisationKind
from core.extensions import db
from plugins.inventory_parts.models import StockBalance
from plugins.inventory_parts.services import catalogue, plans, stock
from plugins.inventory_parts.services.stock import ledger_mismatches
from tests import factories

_numbers = count(1)


def assert_ledger_balances() -> None:
    """The books balance: every balance is its ledger sum and nothing is below zero."""
    assert ledger_mismatches() == []
    negative = db.session.scalars(select(StockBalance).where(StockBalance.on_hand < 0)).all()
    assert negative == []


def part(number=None, kind="three_guarantee", cost="10.00", list_price="20.00", life=None, fits="", **extra):
    values = dict(number=number or f"P-{next(_numbers):04d}", name="Pieza de prueba", kind=kind, unit="ud",
                  cost_price=cost, list_price=list_price, service_life_months=life, fits=fits, **extra)
    created = catalogue.save_part(values)
    db.session.commit()
    return created


def dealer(name=None):
    return factories.org(OrganisationKind.DEALER, name=name)


def receive(part_, quantity, location=None):
    stock.post_move(part_, location or stock.company_location(), Decimal(str(quantity)), "receipt")
    db.session.commit()


def on_hand(part_, location=None) -> Decimal:
    db.session.expire_all()
    return stock.on_hand(part_, location or stock.company_location())


def season(name="Campaña", opens_on=date(2026, 5, 1), closes_on=date(2026, 9, 30)):
    created = plans.save_season(name, opens_on, closes_on)
    db.session.commit()
    return created
