"""Plugin discovery, dependency order, enabling and loading.

A plugin is a Python package registered in the entry-point group
``postventa.plugins`` (``name = "package"``) with a ``plugin.toml`` manifest
beside its ``__init__.py``::

    name = "dealers"
    title = "Dealers"
    version = "0.1.0"
    depends = ["warranty"]
    description = "..."

The manifest is read *without importing the package*, so a disabled plugin is
never imported: its models never reach the metadata, its blueprints never reach
the URL map (pluggy's own loader checks ``is_blocked`` before ``ep.load()`` for
the same reason).

Which installed plugins are enabled is the deployment's choice: the
``POSTVENTA_PLUGINS`` setting pins the set; otherwise every installed plugin is
enabled except those an administrator disabled (``core_plugin_state``, written
by the Apps page and ``flask plugins enable|disable``). The choice takes effect
at the next start of each worker: blueprints cannot be unregistered from a
running Flask app (indico/flask-pluginengine#8).
"""
from __future__ import annotations

import importlib
import importlib.util
import tomllib
from dataclasses import dataclass, field
from importlib.metadata import entry_points
from pathlib import Path

import pluggy
from sqlalchemy import create_engine, inspect, text

from core import hookspecs

ENTRY_POINT_GROUP = "postventa.plugins"
CORE = "core"


class PluginError(RuntimeError):
    """The plugin configuration cannot start: the message says what and why."""


@dataclass(frozen=True)
class PluginManifest:
    """What a plugin says about itself in its ``plugin.toml``."""

    name: str
    title: str
    version: str
    package: str
    path: Path
    depends: tuple[str, ...] = ()
    description: str = ""

    @property
    def versions_dir(self) -> Path | None:
        """The plugin's Alembic branch (``migrations/versions``), when it has the folder."""
        versions = self.path / "migrations" / "versions"
        return versions if versions.is_dir() else None

    @property
    def has_migrations(self) -> bool:
        return self.versions_dir is not None and any(self.versions_dir.glob("*.py"))

    @property
    def translations_dir(self) -> Path | None:
        folder = self.path / "translations"
        return folder if folder.is_dir() else None


def read_manifest(name: str, package: str) -> PluginManifest:
    """Read the manifest of ``package`` without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise PluginError(f"plugin {name!r}: package {package!r} cannot be found")
    path = Path(next(iter(spec.submodule_search_locations)))
    manifest_file = path / "plugin.toml"
    if not manifest_file.is_file():
        raise PluginError(f"plugin {name!r}: {manifest_file} is missing")
    data = tomllib.loads(manifest_file.read_text(encoding="utf-8"))
    if data.get("name") != name:
        raise PluginError(
            f"plugin {name!r}: its entry point and its manifest name ({data.get('name')!r}) differ"
        )
    return PluginManifest(
        name=name,
        title=data.get("title", name),
        version=str(data.get("version", "0")),
        package=package,
        path=path,
        depends=tuple(data.get("depends", ())),
        description=data.get("description", ""),
    )


def discover_installed() -> dict[str, PluginManifest]:
    """Every plugin installed in this environment, by name."""
    found: dict[str, PluginManifest] = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name in found:
            continue  # the same distribution seen twice on sys.path
        found[ep.name] = read_manifest(ep.name, ep.value)
    return dict(sorted(found.items()))


def parse_plugin_list(value) -> list[str] | None:
    """``"a,b"`` or ``["a", "b"]`` to a list; ``None``/``"all"`` to ``None`` (not
    pinned); ``"none"`` or ``""`` to ``[]`` (core alone)."""
    if value is None:
        return None
    if isinstance(value, str):
        if value.strip().lower() == "all":
            return None
        if value.strip().lower() == "none":
            return []
        return [part.strip() for part in value.split(",") if part.strip()]
    return list(value)


def disabled_in_database(database_uri: str) -> set[str]:
    """Names an administrator disabled, read from ``core_plugin_state``.

    Before the first migration the table does not exist and nothing is disabled.
    """
    engine = create_engine(database_uri)
    try:
        with engine.connect() as conn:
            if not inspect(conn).has_table("core_plugin_state"):
                return set()
            rows = conn.execute(text("SELECT name FROM core_plugin_state WHERE enabled = :f"), {"f": False})
            return {row[0] for row in rows}
    finally:
        engine.dispose()


def resolve_order(installed: dict[str, PluginManifest], enabled: list[str]) -> list[PluginManifest]:
    """The enabled plugins in a deterministic load order: by depth, then name.

    This is Odoo's rule (``odoo/modules/module_graph.py``): a plugin comes after
    everything it depends on, and ties are broken by name so every worker loads
    the same order. A dependency that is not installed or not enabled stops the
    start with a message naming both plugins.
    """
    wanted = set(enabled)
    for name in sorted(wanted):
        if name not in installed:
            raise PluginError(f"plugin {name!r} is enabled but not installed")
        for dep in installed[name].depends:
            if dep not in installed:
                raise PluginError(f"plugin {name!r} depends on {dep!r}, which is not installed")
            if dep not in wanted:
                raise PluginError(f"plugin {name!r} depends on {dep!r}, which is disabled")

    depth: dict[str, int] = {}

    def depth_of(name: str, trail: tuple[str, ...] = ()) -> int:
        if name in trail:
            raise PluginError(f"plugin dependency cycle: {' -> '.join(trail + (name,))}")
        if name not in depth:
            deps = installed[name].depends
            depth[name] = 1 + max((depth_of(d, trail + (name,)) for d in deps), default=0)
        return depth[name]

    return sorted((installed[n] for n in wanted), key=lambda m: (depth_of(m.name), m.name))


def dependents_of(installed: dict[str, PluginManifest], name: str, among: set[str]) -> list[str]:
    """Plugins in ``among`` that depend on ``name``, directly or not."""
    result = set()
    changed = True
    while changed:
        changed = False
        for other in among:
            if other in result or other == name:
                continue
            deps = set(installed[other].depends)
            if name in deps or deps & result:
                result.add(other)
                changed = True
    return sorted(result)


def dependencies_of(installed: dict[str, PluginManifest], name: str) -> list[str]:
    """Every plugin ``name`` needs, directly or not."""
    seen: list[str] = []
    stack = list(installed[name].depends)
    while stack:
        dep = stack.pop()
        if dep not in seen:
            seen.append(dep)
            stack.extend(installed[dep].depends if dep in installed else ())
    return sorted(seen)


@dataclass
class PluginRegistry:
    """The installed plugins, the enabled ones in load order, and the hook relay."""

    installed: dict[str, PluginManifest]
    enabled: list[PluginManifest]
    pinned: bool
    pm: pluggy.PluginManager = field(repr=False)

    @property
    def enabled_names(self) -> list[str]:
        return [m.name for m in self.enabled]

    def is_enabled(self, name: str) -> bool:
        return name in self.enabled_names

    @property
    def hook(self):
        return self.pm.hook

    def call_in_order(self, hook_name: str, **kwargs) -> list:
        """Call one hook plugin by plugin, core first, then in dependency order.

        For hooks where order matters by nature (demo data builds on what the
        plugins it depends on made), not by registration accident.
        """
        results = []
        names = [CORE, *self.enabled_names]
        names += [name for name, _plugin in self.pm.list_name_plugin() if name not in names]
        for name in names:
            plugin = self.pm.get_plugin(name)
            impl = getattr(plugin, hook_name, None) if plugin is not None else None
            if impl is not None and getattr(impl, "postventa_impl", None) is not None:
                results.append((name, impl(**kwargs)))
        return results


def build_registry(config) -> PluginRegistry:
    """Discover, resolve and load the plugins an app with ``config`` runs."""
    installed = discover_installed()
    pinned_names = parse_plugin_list(config.get("POSTVENTA_PLUGINS"))
    if pinned_names is None:
        disabled = disabled_in_database(config["SQLALCHEMY_DATABASE_URI"])
        wanted = [name for name in installed if name not in disabled]
        # A plugin left enabled whose dependency was disabled would stop the
        # start; the disable command refuses that, and this keeps a hand-edited
        # table from bricking the app: such a plugin stays off until fixed.
        wanted = [n for n in wanted if all(d in wanted for d in dependencies_of(installed, n))]
    else:
        wanted = pinned_names
    ordered = resolve_order(installed, wanted)

    pm = pluggy.PluginManager(hookspecs.PROJECT)
    pm.add_hookspecs(hookspecs)
    from core import builtin

    pm.register(builtin, name=CORE)
    for manifest in ordered:
        module = importlib.import_module(manifest.package)
        pm.register(module, name=manifest.name)
    # Hook implementations handed over in-process (tests use this to add a
    # deadline policy or an event type without packaging a plugin).
    for extra in config.get("POSTVENTA_EXTRA_HOOKS") or ():
        pm.register(extra)
    pm.check_pending()
    return PluginRegistry(installed=installed, enabled=ordered, pinned=pinned_names is not None, pm=pm)


def flatten(results) -> list:
    """Flatten the list-of-lists a collecting hook returns, dropping ``None``."""
    return [item for result in results if result for item in result]
