"""Creating users and organisations, logging in with lockout, syncing roles."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app, has_request_context, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from core.clock import as_utc, now
from core.extensions import db
from core.policies import policy

from .models import Organisation, OrganisationKind, Role, User


def load_user(user_id) -> User | None:
    """The logged-in user with their organisation and roles, in one query (every request)."""
    stmt = select(User).options(joinedload(User.roles)).where(User.id == int(user_id))
    return db.session.execute(stmt).unique().scalar_one_or_none()


def company() -> Organisation:
    """Our own company (created by the first migration's demo or by the admin)."""
    org = db.session.scalar(
        select(Organisation).where(Organisation.kind == OrganisationKind.COMPANY).order_by(Organisation.id)
    )
    if org is None:
        org = Organisation(name="Postventa", kind=OrganisationKind.COMPANY)
        db.session.add(org)
        db.session.flush()
    return org


def create_organisation(name: str, kind: str, **fields) -> Organisation:
    org = Organisation(name=name, kind=kind, **fields)
    db.session.add(org)
    db.session.flush()
    return org


def create_user(username: str, password: str, organisation: Organisation, roles=(), **fields) -> User:
    """A user of ``organisation`` holding the named ``roles`` (created if missing)."""
    user = User(username=username, organisation_id=organisation.id, **fields)
    user.set_password(password)
    user.roles = [role_named(name) for name in roles]
    db.session.add(user)
    db.session.flush()
    return user


def role_named(name: str) -> Role:
    role = db.session.scalar(select(Role).where(Role.name == name))
    if role is None:
        role = Role(name=name, permissions=[])
        db.session.add(role)
        db.session.flush()
    return role


def default_roles() -> dict[str, set[str]]:
    """The union of every enabled plugin's default roles."""
    merged: dict[str, set[str]] = {}
    for roles in current_app.extensions["postventa"].hook.postventa_default_roles():
        for name, permissions in (roles or {}).items():
            merged.setdefault(name, set()).update(permissions)
    return merged


def sync_roles() -> list[str]:
    """Create missing default roles and add missing default grants; never remove one."""
    declared = current_app.extensions["postventa"].permissions
    touched = []
    for name, permissions in sorted(default_roles().items()):
        unknown = permissions - set(declared)
        if unknown:
            raise ValueError(f"role {name!r} grants undeclared permissions: {', '.join(sorted(unknown))}")
        role = role_named(name)
        missing = permissions - set(role.permissions or [])
        if missing:
            role.permissions = sorted(set(role.permissions or []) | missing)
            touched.append(name)
    db.session.flush()
    return touched


def authenticate(username: str, password: str) -> tuple[User | None, str | None]:
    """Check a login. Returns the user, or ``None`` and why.

    After ``core.lockout_attempts`` failures in a row the account is locked for
    ``core.lockout_minutes``; the answer for an unknown user and a wrong
    password is the same, so usernames cannot be probed.
    """
    user = db.session.scalar(select(User).where(User.username == (username or "").strip()))
    at = now()
    if user is None:
        return None, "invalid"
    if user.locked_until is not None and as_utc(user.locked_until) > at:
        return None, "locked"
    if not user.active:
        return None, "invalid"
    if not user.check_password(password or ""):
        user.failed_logins = (user.failed_logins or 0) + 1
        if user.failed_logins >= policy("core.lockout_attempts"):
            user.locked_until = at + timedelta(minutes=policy("core.lockout_minutes"))
            user.failed_logins = 0
        db.session.commit()
        return None, "invalid"
    if user.failed_logins or user.locked_until:
        user.failed_logins = 0
        user.locked_until = None
        db.session.commit()
    return user, None


def internal_users() -> list[User]:
    """Company staff, for assignment pickers.

    Read once per request however many pickers a page has (core's and the
    plugins' panels), and without their roles, which a picker never needs.
    """
    holder = request._get_current_object() if has_request_context() else None
    cached = getattr(holder, "_postventa_internal_users", None)
    if cached is None:
        cached = list(
            db.session.scalars(
                select(User)
                .join(Organisation, User.organisation_id == Organisation.id)
                .where(Organisation.kind == OrganisationKind.COMPANY, User.active.is_(True))
                .options(lazyload(User.roles))
                .order_by(User.full_name, User.username)
            )
        )
        if holder is not None:
            holder._postventa_internal_users = cached
    return cached


def all_permission_names() -> list[str]:
    return sorted(current_app.extensions["postventa"].permissions)
