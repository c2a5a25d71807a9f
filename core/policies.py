"""Configurable business policies.

Every number that comes from DOMAIN.md (a warranty term, a response time, a
filing window) is a *policy*: a named default that a plugin declares through the
``postventa_policy_defaults`` hook and a deployment may override with the
``POSTVENTA_POLICIES`` config mapping (``{"warranty.term_months": 36}``).
Code reads it with :func:`policy`; a literal in the code would be a defect.
"""
from __future__ import annotations

from typing import Any

from flask import current_app


class UnknownPolicy(KeyError):
    """A policy name that no enabled plugin declared."""


def collect_policies(pm, overrides: dict[str, Any]) -> dict[str, Any]:
    """Merge the declared defaults with the deployment's overrides.

    An override of a policy nobody declared is refused at start, so a typo in the
    configuration cannot silently leave the default in force.
    """
    values: dict[str, Any] = {}
    for defaults in pm.hook.postventa_policy_defaults():
        for name, default in defaults.items():
            if name in values:
                raise ValueError(f"policy {name!r} is declared twice")
            values[name] = default
    unknown = sorted(set(overrides) - set(values))
    if unknown:
        raise UnknownPolicy(f"POSTVENTA_POLICIES names undeclared policies: {', '.join(unknown)}")
    values.update(overrides)
    return values


def policy(name: str) -> Any:
    """The value in force for policy ``name``."""
    values = current_app.extensions["postventa"].policies
    try:
        return values[name]
    except KeyError:
        raise UnknownPolicy(name) from None
