"""Typed timeline events: registering their types and appending them.

A plugin registers each event type it writes (``postventa_timeline_event_types``);
:func:`record` refuses a type nobody registered, stamps actor and UTC time, and
tells every plugin (``postventa_case_event``). Events are never edited or
deleted; a correction is a new event.
"""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from core.audit import current_actor_id
from core.clock import now
from core.extensions import db

from .models import Case, TimelineEvent


class UnknownEventType(ValueError):
    """An event type that no enabled plugin registered."""


@dataclass(frozen=True)
class EventType:
    """A kind of timeline event.

    :param name: dotted, prefixed by its plugin (``"warranty.loaner_issued"``).
    :param label: translatable label, also used by the timeline's type filter.
    :param template: renders one event (given ``event``); core's generic template
        shows the label and the payload when none is given.
    :param icon: a short symbol shown beside the event.
    """

    name: str
    label: object
    template: str = "cases/events/_generic.html"
    icon: str = "•"


def event_types() -> dict[str, EventType]:
    return current_app.extensions["postventa"].event_types


def record(case: Case, type: str, payload: dict | None = None, actor_id: int | None = None, at=None) -> TimelineEvent:
    """Append an event of ``type`` to ``case``'s timeline (in the caller's transaction).

    :raises UnknownEventType: when no enabled plugin registered ``type``.
    """
    if type not in event_types():
        raise UnknownEventType(f"timeline event type {type!r} is not registered by any enabled plugin")
    event = TimelineEvent(
        case=case,
        type=type,
        actor_id=actor_id if actor_id is not None else current_actor_id(),
        occurred_at=at or now(),
        payload=payload or {},
    )
    db.session.add(event)
    db.session.flush()
    current_app.extensions["postventa"].hook.postventa_case_event(case=case, event=event)
    return event


def record_many(type: str, entries: list[tuple[int, dict]], actor_id: int | None = None, at=None) -> int:
    """Append one event of ``type`` to each of many cases, in one INSERT.

    For set-based work (settling thousands of claims): ``entries`` are
    ``(case_id, payload)`` pairs. Every event is still announced through
    ``postventa_case_event``, with the cases loaded in one query.

    :return: how many events were written.
    """
    if type not in event_types():
        raise UnknownEventType(f"timeline event type {type!r} is not registered by any enabled plugin")
    if not entries:
        return 0
    from sqlalchemy import insert, select
    from sqlalchemy.orm import selectinload

    stamp, actor = at or now(), actor_id if actor_id is not None else current_actor_id()
    table = TimelineEvent.__table__
    ids = db.session.execute(
        insert(table).returning(table.c.id),
        [{"case_id": case_id, "type": type, "actor_id": actor, "occurred_at": stamp, "payload": payload or {}}
         for case_id, payload in entries],
    ).scalars().all()
    hook = current_app.extensions["postventa"].hook
    for event in db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.id.in_(ids)).options(selectinload(TimelineEvent.case))
    ):
        hook.postventa_case_event(case=event.case, event=event)
    return len(ids)
