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
