"""The plugin system: discovery, dependency order, enabling, loading, the Apps page."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from core import create_app
from core.extensions import db
from core.plugins import PluginError, PluginManifest, dependents_of, resolve_order
from core.plugin_state import PluginState
from tests import factories
from tests.conftest import ALL_PLUGINS, login

ROOT = Path(__file__).resolve().parents[2]


def manifest(name, *depends):
    return PluginManifest(name=name, title=name, version="1", package=name, path=Path("."), depends=depends)


def test_load_order_is_depth_then_name():
    installed = {m.name: m for m in [manifest("b"), manifest("a", "c"), manifest("c"), manifest("d", "a")]}
    order = [m.name for m in resolve_order(installed, ["d", "c", "b", "a"])]
    assert order == ["b", "c", "a", "d"]


def test_missing_dependency_stops_the_start_naming_both():
    installed = {m.name: m for m in [manifest("dealers", "warranty"), manifest("warranty")]}
    with pytest.raises(PluginError, match="'dealers' depends on 'warranty', which is disabled"):
        resolve_order(installed, ["dealers"])
    with pytest.raises(PluginError, match="'x' depends on 'nowhere', which is not installed"):
        resolve_order({"x": manifest("x", "nowhere")}, ["x"])


def test_dependency_cycle_is_refused():
    installed = {m.name: m for m in [manifest("a", "b"), manifest("b", "a")]}
    with pytest.raises(PluginError, match="cycle"):
        resolve_order(installed, ["a", "b"])


def test_dependents_are_found_transitively():
    installed = {m.name: m for m in [manifest("a"), manifest("b", "a"), manifest("c", "b")]}
    assert dependents_of(installed, "a", {"a", "b", "c"}) == ["b", "c"]


def test_built_in_plugins_are_installed_through_entry_points():
    from core.plugins import discover_installed

    installed = discover_installed()
    assert {"warranty", "dealers", "inventory_parts", "training"} <= set(installed)
    assert installed["dealers"].depends == ("warranty",)


@pytest.mark.skipif("dealers" not in ALL_PLUGINS, reason="needs the dealers and warranty plugins in this run's set")
def test_app_refuses_to_start_with_dependency_disabled(database_url):
    with pytest.raises(PluginError, match="'dealers' depends on 'warranty', which is disabled"):
        create_app({"SQLALCHEMY_DATABASE_URI": database_url, "POSTVENTA_PLUGINS": ["dealers"]})


def test_disabled_plugin_is_never_imported(tmp_path):
    code = textwrap.dedent(f"""
        import sys
        from core import create_app
        app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/x.db", "POSTVENTA_PLUGINS": []}})
        loaded = sorted(m for m in sys.modules if m.startswith("plugins."))
        print(loaded)
    """)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"


def test_core_alone_has_only_core_routes(make_app):
    app = make_app([])
    blueprints = {rule.endpoint.split(".")[0] for rule in app.url_map.iter_rules()}
    assert blueprints == {"home", "auth", "cases", "admin", "static"}


def test_plugins_cli_lists_disables_and_enables(app):
    runner = app.test_cli_runner()
    listing = runner.invoke(args=["plugins", "list"])
    assert listing.exit_code == 0
    for name in ALL_PLUGINS:
        assert name in listing.output
    if "warranty" in ALL_PLUGINS and "dealers" in ALL_PLUGINS:
        refused = runner.invoke(args=["plugins", "disable", "warranty"])
        assert refused.exit_code != 0 and "dealers" in refused.output
    name = ALL_PLUGINS[0] if ALL_PLUGINS else None
    if name is None:
        pytest.skip("core alone: no plugin to switch")
    installed = app.extensions["postventa"].registry.installed
    leaf = next(n for n in sorted(installed) if not dependents_of(installed, n, set(installed)))
    assert runner.invoke(args=["plugins", "disable", leaf]).exit_code == 0
    assert db.session.get(PluginState, leaf).enabled is False
    assert runner.invoke(args=["plugins", "enable", leaf]).exit_code == 0
    db.session.expire_all()
    assert db.session.get(PluginState, leaf).enabled is True


def test_disabled_choice_takes_effect_at_next_start(make_app, database_url):
    if not ALL_PLUGINS:
        pytest.skip("core alone: no plugin to disable")
    app = make_app(POSTVENTA_PLUGINS=None)
    installed = app.extensions["postventa"].registry.installed
    leaf = next(n for n in sorted(installed) if not dependents_of(installed, n, set(installed)))
    with app.app_context():
        from core import plugin_state

        plugin_state.disable(leaf)
    assert leaf in app.extensions["postventa"].registry.enabled_names  # the running worker keeps its set
    restarted = make_app(POSTVENTA_PLUGINS=None)
    assert leaf not in restarted.extensions["postventa"].registry.enabled_names


def test_apps_page_lists_plugins_and_switches_one(app, client):
    admin = factories.user(["admin"])
    login(client, admin.username)
    page = client.get("/admin/plugins")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    for name in ALL_PLUGINS:
        assert f'id="plugin-{name}"' in html
    if not ALL_PLUGINS:
        return
    installed = app.extensions["postventa"].registry.installed
    leaf = next(n for n in sorted(installed) if not dependents_of(installed, n, set(installed)))
    assert client.post(f"/admin/plugins/{leaf}/disable").status_code == 302
    assert db.session.get(PluginState, leaf).enabled is False


def test_apps_page_needs_permission(app, client):
    staff = factories.user(["customer_service"])
    login(client, staff.username)
    assert client.get("/admin/plugins").status_code == 403
