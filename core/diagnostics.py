"""Counting the SQL a piece of work sends: the query-count tests and ``make bench`` share it."""
from __future__ import annotations

from sqlalchemy import event


class StatementCounter:
    """Counts the statements an engine sends to the database inside a ``with`` block."""

    def __init__(self, engine):
        self.engine = engine
        self.statements: list[str] = []

    def _count(self, conn, cursor, statement, parameters, context, executemany):
        self.statements.append(statement)

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._count)

    @property
    def count(self) -> int:
        return len(self.statements)
