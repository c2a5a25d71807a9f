"""Every plugin subset starts and migrates from an empty database: core alone, each plugin
with its dependencies alone, and all of them. (The matrix in .ci/run also runs each
subset's tests.)"""
from __future__ import annotations

import pytest
from sqlalchemy import inspect

from core import create_app
from core.extensions import db
from core.plugins import dependencies_of, discover_installed
from tests.conftest import ALL_PLUGINS

INSTALLED = discover_installed()
SUBSETS = [[]] + [sorted({name, *dependencies_of(INSTALLED, name)}) for name in ALL_PLUGINS] + [ALL_PLUGINS]


@pytest.mark.parametrize("plugins", SUBSETS, ids=lambda s: "+".join(s) or "core-alone")
def test_subset_starts_migrates_loads_demo_and_logs_in(plugins, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'subset.db'}",
                      "POSTVENTA_PLUGINS": plugins, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "UPLOAD_FOLDER": str(tmp_path / "uploads")})
    with app.app_context():
        from core.migrations import upgrade

        upgrade()
        tables = set(inspect(db.engine).get_table_names())
        assert {"core_case", "core_timeline_event", "core_user"} <= tables
        for name in INSTALLED:
            prefix = "inventory_" if name == "inventory_parts" else f"{name}_"
            owned = {t for t in tables if t.startswith(prefix)}
            if name in plugins and INSTALLED[name].has_migrations:
                assert owned, f"{name} created no tables"
            elif name not in plugins:
                assert not owned, f"{name} is disabled but its tables exist: {owned}"
        assert app.test_client().get("/login").status_code == 200
        # The demo data of exactly these plugins loads, and every printed login works.
        from core.demo_data import load_all

        logins = load_all(app)
        client = app.test_client()
        for login in logins:
            answer = client.post("/login", data={"username": login.username, "password": login.password})
            assert answer.status_code == 302, login.username
            assert client.get("/").status_code == 200, login.username
            client.post("/logout")
        db.session.remove()
        db.engine.dispose()
