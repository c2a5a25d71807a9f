"""Core's commands: ``flask plugins``, ``flask deadlines``, ``flask jobs``, ``flask roles``, ``flask demo``."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup

from core.errors import BusinessRuleError
from core.extensions import db

plugins_cli = AppGroup("plugins", help="List, enable, disable and migrate plugins.")
deadlines_cli = AppGroup("deadlines", help="Response clocks.")
jobs_cli = AppGroup("jobs", help="Scheduled jobs (call 'flask jobs run' from cron every minute).")
roles_cli = AppGroup("roles", help="Roles and permissions.")
demo_cli = AppGroup("demo", help="Demo data.")


@plugins_cli.command("list")
def plugins_list():
    """Installed plugins, whether they run now, and what is chosen for the next start."""
    from core import plugin_state

    registry = current_app.extensions["postventa"].registry
    chosen = plugin_state.chosen_enabled()
    click.echo(f"{'name':<18}{'version':<10}{'running':<9}{'next start':<12}depends")
    for manifest in registry.installed.values():
        running = "yes" if registry.is_enabled(manifest.name) else "no"
        nxt = "pinned" if registry.pinned else ("enabled" if manifest.name in chosen else "disabled")
        click.echo(f"{manifest.name:<18}{manifest.version:<10}{running:<9}{nxt:<12}{', '.join(manifest.depends) or '-'}")


@plugins_cli.command("enable")
@click.argument("name")
def plugins_enable(name):
    """Enable NAME (and its dependencies) and run its migrations."""
    from core import plugin_state

    try:
        switched = plugin_state.enable(name)
    except BusinessRuleError as error:
        raise click.ClickException(error.message)
    click.echo(f"enabled: {', '.join(switched) or name} (restart the workers to load it)")


@plugins_cli.command("disable")
@click.argument("name")
def plugins_disable(name):
    """Disable NAME at the next start (refused while another enabled plugin needs it)."""
    from core import plugin_state

    try:
        plugin_state.disable(name)
    except BusinessRuleError as error:
        raise click.ClickException(error.message)
    click.echo(f"disabled: {name} (restart the workers to unload it)")


@plugins_cli.command("migrate")
def plugins_migrate():
    """Migrate core and every enabled plugin to its newest revision."""
    from core.auth.services import sync_roles
    from core.migrations import upgrade

    branches = upgrade()
    sync_roles()
    db.session.commit()
    click.echo(f"migrated: {', '.join(branches)}")


@plugins_cli.command("revision")
@click.argument("name")
@click.option("-m", "--message", required=True, help="What the revision changes.")
def plugins_revision(name, message):
    """Autogenerate the next migration of plugin NAME's branch.

    Run it with only NAME and its dependencies enabled (POSTVENTA_PLUGINS) on a
    scratch database: core and those branches are migrated first, and Alembic
    sees only their revisions, so other plugins' branches never get in the way.
    """
    from alembic import command

    from core.migrations import revision_config, upgrade

    registry = current_app.extensions["postventa"].registry
    if not registry.is_enabled(name):
        raise click.ClickException(f"enable {name!r} in this app first (POSTVENTA_PLUGINS={name})")
    upgrade()
    config, options = revision_config(name)
    command.revision(config, message=message, autogenerate=True, **options)
    click.echo(f"written: {options['version_path']}/{options['rev_id']}_*.py")


@deadlines_cli.command("run")
def deadlines_run():
    """Record every breached clock once and escalate it (safe to run from several workers)."""
    from core.deadlines import run_deadlines

    click.echo(f"breaches recorded: {run_deadlines()}")


@jobs_cli.command("run")
@click.option("--job", "only", default=None, help="Run only this job, whatever its schedule.")
@click.option("--force", is_flag=True, help="Run every job now.")
def jobs_run(only, force):
    """Run the scheduled jobs that are due."""
    from core.jobs import run_due_jobs

    ran = run_due_jobs(only=only, force=force)
    click.echo(f"ran: {', '.join(ran) or 'nothing due'}")


@jobs_cli.command("list")
def jobs_list():
    from core.jobs import scheduled_jobs

    for job in scheduled_jobs():
        click.echo(f"{job.name:<32} every {job.interval}")


@roles_cli.command("sync")
def roles_sync():
    """Create the default roles of the enabled plugins and add missing grants."""
    from core.auth.services import sync_roles

    touched = sync_roles()
    db.session.commit()
    click.echo(f"roles updated: {', '.join(touched) or 'none'}")


@demo_cli.command("load")
def demo_load():
    """Load every enabled plugin's demo data (on a migrated, empty database)."""
    from core.demo_data import load_all

    for login in load_all(current_app):
        click.echo(f"  {login.username:<22} {login.password:<12} {login.role:<20} {login.organisation}")


def register(app) -> None:
    for group in (plugins_cli, deadlines_cli, jobs_cli, roles_cli, demo_cli):
        app.cli.add_command(group)
