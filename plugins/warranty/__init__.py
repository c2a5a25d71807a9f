"""Warranty and service: installed base, entitlement, emergency clocks, maintenance workflow, records."""
from __future__ import annotations

from core.hookspecs import hookimpl

from . import models  # noqa: F401  (the tables reach the metadata only when the plugin is enabled)


@hookimpl
def postventa_policy_defaults():
    from .policies import DEFAULTS

    return dict(DEFAULTS)


@hookimpl
def postventa_installed_units(organisation_id):
    """The units installed for a customer organisation."""
    from .facts import installed_units

    return installed_units(organisation_id)
