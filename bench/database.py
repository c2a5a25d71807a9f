"""A fresh, migrated database with the demo data, and apps bound to it."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core import create_app
from core.extensions import db

# Only this PostgreSQL database is ever dropped: a benchmark must not touch the test suite's.
BENCH_POSTGRES_DATABASES = ("test_bench",)


def sqlite_url(out_dir: Path) -> str:
    return f"sqlite:///{out_dir / 'bench.db'}"


def reset(url: str) -> None:
    """Start from nothing: delete the SQLite file, or drop and recreate ``test_bench``'s schema."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    if parsed.database not in BENCH_POSTGRES_DATABASES:
        raise SystemExit(f"refusing to reset database {parsed.database!r}: use one of {BENCH_POSTGRES_DATABASES}")
    _create_postgres_database(parsed)
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def _create_postgres_database(parsed) -> None:
    engine = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.execute(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": parsed.database}).scalar()
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    engine.dispose()


def bench_app(url: str, plugins: list[str], clock=None, **config):
    """The app as production builds it (CSRF on), bound to the benchmark's database."""
    settings = {"SQLALCHEMY_DATABASE_URI": url, "POSTVENTA_PLUGINS": list(plugins), "SECRET_KEY": "bench-secret"}
    if clock is not None:
        settings["CLOCK"] = clock
    settings.update(config)
    return create_app(settings)


def migrate_and_load_demo(app) -> list:
    """``flask plugins migrate`` then ``flask demo load``; returns the demo logins."""
    from core.demo_data import load_all
    from core.migrations import upgrade

    with app.app_context():
        upgrade()
        logins = load_all(app)
        db.session.remove()
    return logins
