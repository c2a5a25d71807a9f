"""Permissions, and the declaration of access on every view.

Every view says who may open it, with exactly one of:

* ``@requires("cases.view")``: logged in and holding the permission (403 otherwise);
* ``@login_only``: any logged-in user (what they see is scoped to them);
* ``@public``: anyone (login page, health check).

The decorator records the rule on the view (``view.access``) so the route sweep
test can derive the expected answer for every route and every role, and fail on
a route that declares nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import wraps

from flask import abort, current_app
from flask_login import current_user


@dataclass(frozen=True)
class Permission:
    """A permission a plugin checks: a dotted name and a translatable label."""

    name: str
    label: object


@dataclass(frozen=True)
class Access:
    """What a view demands: ``kind`` is public, login or permission."""

    kind: str
    permission: str | None = None


def _mark(view, access: Access):
    view.access = access
    return view


def public(view):
    """Anyone may open this view."""
    return _mark(view, Access("public"))


def login_only(view):
    """Any logged-in user may open this view; it scopes what it shows itself."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()
        return view(*args, **kwargs)

    return _mark(wrapper, Access("login"))


def requires(permission: str):
    """Only logged-in users holding ``permission`` may open this view."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return current_app.login_manager.unauthorized()
            if not current_user.can(permission):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapper, Access("permission", permission))

    return decorator


def declared_permissions() -> dict[str, Permission]:
    """Every permission the enabled plugins declare, by name."""
    return current_app.extensions["postventa"].permissions
