"""Column helpers shared by every model (core's and the plugins')."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, TypeDecorator

from core.clock import as_utc


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always handed back timezone-aware.

    SQLite keeps no zone, PostgreSQL's ``timestamptz`` does; both come back as
    aware UTC here, so comparisons never mix naive and aware values.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect):
        return None if value is None else as_utc(value)

    def process_result_value(self, value: datetime | None, dialect):
        return None if value is None else as_utc(value)
