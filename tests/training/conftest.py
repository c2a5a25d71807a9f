"""Fixtures of the training tests: an app with just the training plugin."""
from __future__ import annotations

import pytest


@pytest.fixture
def tapp(make_app):
    """An app of core and the training plugin alone, inside an app context."""
    app = make_app(["training"])
    with app.app_context():
        yield app


@pytest.fixture
def tclient(tapp):
    return tapp.test_client()
