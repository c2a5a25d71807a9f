"""Fixtures shared by every test: a migrated database, apps with chosen plugins, a frozen clock.

The database is migrated once per session with every installed plugin (so any
subset of plugins finds its tables) and emptied after each test. It is SQLite
in a temporary folder by default, PostgreSQL when ``DATABASE_URL`` is set
(``make test-postgres``). Nothing is mocked: tests talk to the real database.
"""
from __future__ import annotations

import os
import re
from datetime import datetime, timezone

import pytest
from hypothesis import settings as hypothesis_settings
from sqlalchemy import create_engine, inspect, text

from core import create_app
from core.clock import FrozenClock
from core.diagnostics import StatementCounter
from core.extensions import db
from core.plugins import dependencies_of, discover_installed, parse_plugin_list

# In CI, property-based tests draw the same examples on every run (a red build is
# reproducible, a green one is not luck); on a developer's machine they explore.
hypothesis_settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

# A Monday morning in Madrid's winter time, so working-hours calendars are open.
FROZEN_AT = datetime(2026, 3, 2, 8, 0, tzinfo=timezone.utc)
TEST_PASSWORD = "secret-pass-1"


def _plugins_under_test() -> list[str]:
    """Every installed plugin, or the set ``POSTVENTA_TEST_PLUGINS`` names (with their dependencies).

    The subset matrix (.ci/run) runs the suite once per set, so core alone and
    each plugin with its dependencies alone are proven to start, migrate and pass.
    """
    installed = discover_installed()
    chosen = parse_plugin_list(os.environ.get("POSTVENTA_TEST_PLUGINS"))
    if chosen is None:
        return sorted(installed)
    closed = set(chosen)
    for name in chosen:
        closed.update(dependencies_of(installed, name))
    return sorted(closed)


ALL_PLUGINS = _plugins_under_test()


def pytest_collection_modifyitems(config, items):
    """Tests of a plugin outside this run's set are skipped, and say so."""
    installed = set(discover_installed())
    for item in items:
        parts = item.nodeid.replace(os.sep, "/").split("/")
        plugin = parts[1] if len(parts) > 2 and parts[0] == "tests" else None
        if plugin in installed and plugin not in ALL_PLUGINS:
            item.add_marker(pytest.mark.skip(reason=f"plugin {plugin!r} is not in this run's set {ALL_PLUGINS}"))


def _database_url(tmp_path_factory) -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"


def _reset_postgres(url: str) -> None:
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A database migrated with core and every installed plugin."""
    url = _database_url(tmp_path_factory)
    if url.startswith("postgresql"):
        _reset_postgres(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "POSTVENTA_PLUGINS": ALL_PLUGINS, "TESTING": True})
    with app.app_context():
        from core.migrations import upgrade

        upgrade()
        db.engine.dispose()
    return url


@pytest.fixture(scope="session")
def table_names(database_url):
    engine = create_engine(database_url)
    names = [name for name in inspect(engine).get_table_names() if not name.startswith("alembic")]
    engine.dispose()
    return names


def _empty_tables(url: str, names: list[str]) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        if url.startswith("postgresql"):
            conn.execute(text("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE"))
        else:
            conn.execute(text("PRAGMA foreign_keys = OFF"))
            for name in names:
                conn.execute(text(f'DELETE FROM "{name}"'))
    engine.dispose()


@pytest.fixture
def clock():
    return FrozenClock(FROZEN_AT)


@pytest.fixture
def make_app(database_url, table_names, clock, tmp_path):
    """Build an app with only the given plugins: ``make_app(["warranty"], POSTVENTA_POLICIES={...})``."""
    made = []

    def factory(plugins=None, **config):
        settings = {
            "TESTING": True,
            "SECRET_KEY": "test",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "POSTVENTA_PLUGINS": ALL_PLUGINS if plugins is None else list(plugins),
            "CLOCK": clock,
            "WTF_CSRF_ENABLED": False,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        }
        settings.update(config)
        app = create_app(settings)
        made.append(app)
        return app

    yield factory
    for app in made:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    _empty_tables(database_url, table_names)


@pytest.fixture
def app(make_app):
    """An app with every installed plugin, inside an app context."""
    app = make_app()
    with app.app_context():
        yield app


@pytest.fixture
def client(app):
    return app.test_client()


def login(client, username: str, password: str = TEST_PASSWORD):
    """Log ``username`` in on ``client``; fails the test when the login is refused."""
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 302, f"login of {username} failed: {response.status_code}"
    return response


def csrf_token_from(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html) or re.search(
        r'"X-CSRFToken": "([^"]+)"', html
    )
    assert match, "no CSRF token in the page"
    return match.group(1)


@pytest.fixture
def count_queries(app):
    """``with count_queries() as q: client.get(...)`` then ``q.count``."""
    return lambda: StatementCounter(db.engine)


def needs_plugins(*names):
    """Mark a test outside ``tests/<plugin>/`` (a browser test, say) as needing these plugins."""
    missing = [name for name in names if name not in ALL_PLUGINS]
    return pytest.mark.skipif(bool(missing), reason=f"needs plugins {missing}, not in this run's set {ALL_PLUGINS}")
