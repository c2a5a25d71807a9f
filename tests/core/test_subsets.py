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
def test_subset_starts_migrates_and_serves_login(plugins, tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'subset.db'}",
                      "POSTVENTA_PLUGINS": plugins, "TESTING": True})
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
        db.session.remove()
        db.engine.dispose()
