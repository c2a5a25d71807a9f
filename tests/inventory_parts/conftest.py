"""Fixtures of the spare-parts tests: an app of just this plugin, and the ledger check after every test."""
from __future__ import annotations

import pytest

from core.extensions import db


@pytest.fixture(autouse=True)
def ledger_balances(make_app):
    """After every test, each on-hand balance equals the sum of its ledger moves, and none is negative."""
    yield
    from .helpers import assert_ledger_balances

    checker = make_app(["inventory_parts"])
    with checker.app_context():
        assert_ledger_balances()
        db.session.remove()


@pytest.fixture
def inv_app(make_app):
    """An app with only the spare-parts plugin (as another plugin's test would see it), in an app context."""
    app = make_app(["inventory_parts"])
    with app.app_context():
        yield app


@pytest.fixture
def hook(inv_app):
    return inv_app.extensions["postventa"].hook
