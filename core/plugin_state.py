"""The administrator's choice of enabled plugins, kept in the database.

Read once at each worker's start (:func:`core.plugins.disabled_in_database`);
written by the Apps page and ``flask plugins enable|disable``.
"""
from __future__ import annotations

from flask import current_app
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from core.audit import current_actor_id
from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db
from core.models_base import UTCDateTime
from core.plugins import dependencies_of, dependents_of


class PluginState(db.Model):
    __tablename__ = "core_plugin_state"

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean)
    changed_at = mapped_column(UTCDateTime)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)


def recorded_states() -> dict[str, bool]:
    return {row.name: row.enabled for row in db.session.scalars(db.select(PluginState))}


def chosen_enabled() -> set[str]:
    """The plugins that will be enabled at the next start (unless pinned by config)."""
    registry = current_app.extensions["postventa"].registry
    states = recorded_states()
    return {name for name in registry.installed if states.get(name, True)}


def _write(name: str, enabled: bool) -> None:
    row = db.session.get(PluginState, name)
    if row is None:
        row = PluginState(name=name)
        db.session.add(row)
    row.enabled = enabled
    row.changed_at = now()
    row.changed_by_id = current_actor_id()


def enable(name: str) -> list[str]:
    """Record ``name`` (and any dependency it needs) as enabled, then migrate them.

    :return: the plugins switched on, dependencies first.
    """
    from core.migrations import upgrade

    registry = current_app.extensions["postventa"].registry
    if name not in registry.installed:
        raise BusinessRuleError(f"plugin {name!r} is not installed")
    current = chosen_enabled()
    switched = [n for n in dependencies_of(registry.installed, name) + [name] if n not in current]
    for plugin in switched:
        _write(plugin, True)
    db.session.commit()
    upgrade(names=[n for n in registry.installed if n in current | set(switched)])
    return switched


def disable(name: str) -> None:
    """Record ``name`` as disabled. Refused while an enabled plugin depends on it."""
    registry = current_app.extensions["postventa"].registry
    if name not in registry.installed:
        raise BusinessRuleError(f"plugin {name!r} is not installed")
    current = chosen_enabled()
    needing = dependents_of(registry.installed, name, current)
    if needing:
        raise BusinessRuleError(
            f"plugin {name!r} cannot be disabled: {', '.join(needing)} depend(s) on it; disable them first"
        )
    _write(name, False)
    db.session.commit()
