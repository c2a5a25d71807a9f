"""The one rule of data access: an outside organisation sees only its own rows.

Every query of organisation-owned rows goes through :func:`scoped`; every read
of one record by id goes through :func:`get_scoped_or_404`. Company staff
(``user.is_internal``) see every organisation's rows, subject to their
permissions; a dealer's or customer's user sees rows whose owner column is
their own organisation, whatever id the URL or the form carries.
"""
from __future__ import annotations

from flask import abort
from flask_login import current_user
from sqlalchemy import false, or_, select

from core.errors import BusinessRuleError
from core.extensions import db


def scoped(stmt, *owner_columns, user=None):
    """Restrict a SELECT to rows owned by the user's organisation.

    :param stmt: a ``select()`` over the owning table (join first if the owner
        column lives on a parent table).
    :param owner_columns: the organisation-id columns that make a row theirs;
        a row is visible when any of them is the user's organisation.
    """
    user = user if user is not None else current_user
    if not getattr(user, "is_authenticated", False):
        return stmt.where(false())
    if user.is_internal:
        return stmt
    return stmt.where(or_(*(column == user.organisation_id for column in owner_columns)))


MAX_ID = 2**63 - 1  # the largest primary key either database can hold


def parse_id(value) -> int | None:
    """A record id from a URL or a form, or ``None`` when it cannot be one."""
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 0 < number <= MAX_ID else None


def get_scoped_or_404(model, record_id, *owner_columns, user=None, options=()):
    """Load one record by primary key, or answer 404 when the user may not see it.

    A record of another organisation answers 404, not 403, so ids cannot be
    probed for existence.
    """
    record_id = parse_id(record_id)
    if record_id is None:
        abort(404)
    stmt = select(model).where(model.id == record_id).options(*options)
    record = db.session.scalar(scoped(stmt, *owner_columns, user=user))
    if record is None:
        abort(404)
    return record


def owner_for_new_record(requested_org_id, user=None, field: str = "organisation_id") -> int:
    """The organisation a new record belongs to.

    Company staff may create records for any organisation; everyone else always
    creates for their own, and naming another organisation is refused.
    """
    user = user if user is not None else current_user
    if user.is_internal:
        if requested_org_id in (None, ""):
            raise BusinessRuleError("Choose an organisation.", field=field)
        return int(requested_org_id)
    if requested_org_id not in (None, "") and int(requested_org_id) != user.organisation_id:
        raise BusinessRuleError("You can only create records for your own organisation.", field=field)
    return user.organisation_id
