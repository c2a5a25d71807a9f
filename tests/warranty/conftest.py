"""Fixtures of the warranty tests: an app with the warranty plugin alone, units in and out of warranty."""
from datetime import date

import pytest

from core.auth.models import OrganisationKind
from core.extensions import db
from plugins.warranty import services
from tests import factories


@pytest.fixture
def wapp(make_app):
    """An app with only the warranty plugin, inside an app context."""
    app = make_app(["warranty"])
    with app.app_context():
        yield app


def unit_accepted(accepted_on: date, serial: str = "SN-1", customer=None, model: str = "BC-200",
                  family: str = "climate"):
    """A unit whose acceptance report was signed on ``accepted_on`` (the frozen today is 2026-03-02)."""
    customer = customer or factories.org(OrganisationKind.CUSTOMER)
    product = services.find_product(model) or services.create_product(model, "Bomba de calor", family)
    unit = services.create_unit(product, serial, customer.id, completed_on=accepted_on)
    services.record_acceptance(unit, accepted_on, "Cliente", "Empresa")
    db.session.commit()
    return unit


IN_WARRANTY = date(2025, 6, 1)
OUT_OF_WARRANTY = date(2023, 1, 10)
