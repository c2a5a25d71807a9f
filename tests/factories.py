"""Small builders for test records, through the same services the app uses.

Call them inside an app context (the ``app`` fixture provides one).
"""
from __future__ import annotations

from itertools import count

from core.auth.models import OrganisationKind
from core.auth.services import company, create_organisation, create_user, sync_roles
from core.cases import services as case_services
from core.extensions import db

from .conftest import TEST_PASSWORD

_serial = count(1)


def org(kind: str = OrganisationKind.CUSTOMER, name: str | None = None, **fields):
    created = company() if kind == OrganisationKind.COMPANY else create_organisation(
        name or f"{kind.title()} {next(_serial)}", kind, **fields
    )
    db.session.commit()
    return created


def user(roles=("customer_service",), organisation=None, username: str | None = None, **fields):
    """A user holding ``roles`` (default roles are synced first, so their permissions are real)."""
    sync_roles()
    organisation = organisation or company()
    username = username or f"user{next(_serial)}"
    created = create_user(username, TEST_PASSWORD, organisation, roles=roles, full_name=username.title(), **fields)
    db.session.commit()
    return created


def case(customer=None, title: str = "Avería", **fields):
    customer = customer or org()
    created = case_services.open_case(title, customer.id, **fields)
    db.session.commit()
    return created
