"""Pickers shared by the plugin's views."""
from __future__ import annotations

from flask_login import current_user
from sqlalchemy import select

from core.auth.models import Organisation, OrganisationKind
from core.auth.scoping import scoped
from core.extensions import db

from ..models import Location


def dealer_choices() -> list[tuple[int, str]]:
    """Dealers the user may act for: every dealer for staff, their own for a dealer's user."""
    rows = db.session.execute(
        scoped(select(Organisation.id, Organisation.name), Organisation.id)
        .where(Organisation.kind == OrganisationKind.DEALER, Organisation.active.is_(True))
        .order_by(Organisation.name)
    ).all()
    return [(row.id, row.name) for row in rows]


def location_choices() -> list[tuple[int, str]]:
    locations = db.session.scalars(scoped(select(Location), Location.owner_org_id).order_by(Location.code))
    return [(loc.id, str(loc)) for loc in locations]


def requested_dealer(form_value):
    """The dealer a staff member chose, or ``None`` for a dealer's user (their own is used)."""
    return form_value if current_user.is_internal else None
