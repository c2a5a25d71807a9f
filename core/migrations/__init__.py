"""Core's Alembic environment, and the upgrade of core plus every enabled plugin.

One Alembic environment serves all: its ``version_locations`` hold core's
branch and the branch of every *installed* plugin (found on disk, without
importing the plugin), so the version table always names revisions Alembic can
locate, whichever subset is enabled. Upgrading targets ``core@head`` and then
``<plugin>@head`` for each enabled plugin in dependency order, so a disabled
plugin's tables are never created.
"""
from __future__ import annotations

import os
from pathlib import Path

from flask import current_app

HERE = Path(__file__).parent


def configure_version_locations(config):
    """Flask-Migrate ``configure`` callback: point Alembic at every branch."""
    registry = current_app.extensions["postventa"].registry
    locations = [str(HERE / "versions")]
    locations += [str(m.versions_dir) for m in registry.installed.values() if m.versions_dir]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(locations))
    return config


def branches_to_upgrade(names=None) -> list[str]:
    """``core`` and the enabled plugins that have migrations, in load order."""
    from core.plugins import resolve_order

    registry = current_app.extensions["postventa"].registry
    manifests = registry.enabled if names is None else resolve_order(registry.installed, list(names))
    return ["core"] + [m.name for m in manifests if m.has_migrations]


def upgrade(names=None) -> list[str]:
    """Migrate core and the enabled plugins (or ``names``) to their heads."""
    import flask_migrate

    branches = branches_to_upgrade(names)
    for branch in branches:
        flask_migrate.upgrade(revision=f"{branch}@head")
    return branches


def revision_config(name: str):
    """An Alembic config that sees only core, ``name`` and its dependencies, and the
    options for ``alembic.command.revision`` that continue (or start) its branch."""
    from alembic.script import ScriptDirectory

    from core.plugins import dependencies_of

    registry = current_app.extensions["postventa"].registry
    branch = [*dependencies_of(registry.installed, name), name]
    versions = registry.installed[name].path / "migrations" / "versions"
    versions.mkdir(parents=True, exist_ok=True)
    config = current_app.extensions["migrate"].migrate.get_config()
    locations = [HERE / "versions"] + [registry.installed[n].versions_dir for n in branch]
    config.set_main_option("version_locations", os.pathsep.join(str(p) for p in locations if p))
    config.attributes["postventa_owned_tables"] = tables_of(registry.installed[name].package)
    existing = sorted(versions.glob(f"{name}_*.py"))
    options = {"version_path": str(versions), "rev_id": f"{name}_{len(existing) + 1:04d}"}
    if existing:
        options["head"] = f"{name}@head"
    else:
        # A new branch starts after core's first revision and after the first
        # revision of every plugin it depends on.
        script = ScriptDirectory.from_config(config)
        bases = [rev.revision for rev in script.walk_revisions() if rev.down_revision is None
                 and set(rev.branch_labels) & {"core", *branch[:-1]}]
        options.update(head="base", branch_label=name, depends_on=sorted(bases))
    return config, options


def tables_of(package: str) -> set[str]:
    """The tables a plugin package owns: those its models map, and the link tables
    named after one of them (``dealers_claim`` owns ``dealers_claim_part``)."""
    from core.extensions import db

    mapped = {
        mapper.local_table.name
        for mapper in db.Model.registry.mappers
        if mapper.class_.__module__ == package or mapper.class_.__module__.startswith(package + ".")
    }
    return mapped | {t for t in db.metadata.tables if any(t.startswith(m + "_") for m in mapped)}
