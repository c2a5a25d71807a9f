"""Human-readable numbers that stay unique under concurrent creation."""
from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from core.cases.models import Sequence
from core.extensions import db


def next_value(name: str, year: int) -> int:
    """Take the next value of counter ``name`` for ``year``, inside the caller's transaction.

    The row is created on first use with ``INSERT ... ON CONFLICT DO NOTHING``
    and then incremented with one ``UPDATE ... RETURNING``, so two transactions
    never read the same value: the second waits for the first's row lock.
    """
    dialect = db.session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    db.session.execute(
        insert(Sequence.__table__)
        .values(name=name, year=year, last_value=0)
        .on_conflict_do_nothing(index_elements=["name", "year"])
    )
    stmt = (
        update(Sequence.__table__)
        .where(Sequence.__table__.c.name == name, Sequence.__table__.c.year == year)
        .values(last_value=Sequence.__table__.c.last_value + 1)
        .returning(Sequence.__table__.c.last_value)
    )
    return db.session.execute(stmt).scalar_one()


def next_number(prefix: str, year: int, width: int = 6) -> str:
    """``PREFIX-YYYY-000123``: the next number of the ``prefix`` series for ``year``."""
    return f"{prefix}-{year}-{next_value(prefix, year):0{width}d}"
