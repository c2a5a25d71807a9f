"""The append-only audit trail, and the guard that keeps history unchangeable.

Every insert, update and delete of a model is written to ``core_audit_log``
with the actor and the time, by a session listener, so no view or service can
forget to. Models that are history themselves (timeline events, ledgers, the
audit log) inherit :class:`AppendOnly`: the session refuses to update or delete
them.
"""
from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal

from flask import g, has_app_context, has_request_context
from sqlalchemy import JSON, ForeignKey, String, event, inspect, insert
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.extensions import db
from core.models_base import UTCDateTime


class AppendOnlyViolation(RuntimeError):
    """An attempt to change or delete a history record."""


class AppendOnly:
    """Mixin: rows of this model are written once and never changed or deleted."""

    __audit__ = False


class AuditLog(AppendOnly, db.Model):
    __tablename__ = "core_audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at = mapped_column(UTCDateTime, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    action: Mapped[str] = mapped_column(String(10))
    table: Mapped[str] = mapped_column(String(80), index=True)
    record_id: Mapped[str] = mapped_column(String(40), index=True)
    changes: Mapped[dict] = mapped_column(JSON, default=dict)


def current_actor_id() -> int | None:
    """The user responsible for the change being made: the logged-in user, or
    the user a CLI command or job acts as (``g.postventa_actor_id``)."""
    if not has_app_context():
        return None
    if has_request_context():
        from flask_login import current_user

        if current_user and current_user.is_authenticated:
            return current_user.id
    return g.get("postventa_actor_id")


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    try:
        json.dumps(value)
        return value
    except TypeError:
        return str(value)


def _changes(obj, action: str) -> dict:
    state = inspect(obj)
    changes = {}
    for attr in state.mapper.column_attrs:
        key = attr.key
        if key == "password_hash":
            continue  # never copy secrets into the log
        hist = state.attrs[key].history
        if action == "update":
            if hist.has_changes():
                old = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                changes[key] = [_plain(old), _plain(new)]
        else:
            changes[key] = _plain(getattr(obj, key))
    return changes


@event.listens_for(Session, "before_flush")
def _refuse_history_changes(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AppendOnly) and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnlyViolation(f"{type(obj).__name__} records are append-only")


@event.listens_for(Session, "after_flush")
def _write_audit_rows(session, flush_context):
    if not has_app_context():
        return
    rows = []
    at = None
    for action, objects in (("insert", session.new), ("update", session.dirty), ("delete", session.deleted)):
        for obj in objects:
            if not getattr(type(obj), "__audit__", True) or not hasattr(obj, "__table__"):
                continue
            if action == "update" and not session.is_modified(obj, include_collections=False):
                continue
            changes = _changes(obj, action)
            if action == "update" and not changes:
                continue
            if at is None:
                from core.clock import now

                at = now()
            identity = inspect(obj).identity
            rows.append(
                {
                    "at": at,
                    "actor_id": current_actor_id(),
                    "action": action,
                    "table": obj.__table__.name,
                    "record_id": ",".join(str(part) for part in identity) if identity else "",
                    "changes": changes,
                }
            )
    if rows:
        session.connection().execute(insert(AuditLog.__table__), rows)
