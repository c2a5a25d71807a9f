"""Alembic environment (run by Flask-Migrate inside the app context)."""
from __future__ import annotations

from alembic import context
from flask import current_app

config = context.config
db = current_app.extensions["migrate"].db


def include_object(obj, name, type_, reflected, compare_to):
    # Autogenerate must never propose dropping tables of plugins that are
    # installed but not enabled in this app (their models are not loaded).
    if type_ == "table" and reflected and compare_to is None:
        return False
    # `flask plugins revision NAME` writes NAME's branch only, whatever other
    # models this process has imported.
    owned = config.attributes.get("postventa_owned_tables")
    if owned is not None:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in owned
    return True


def render_item(type_, obj, autogen_context):
    # Migrations must not import application code: our UTC column type is
    # written as the plain SQLAlchemy type it stores.
    from core.models_base import UTCDateTime

    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_offline():
    context.configure(
        url=str(db.engine.url).replace("%", "%%"),
        target_metadata=db.metadata,
        literal_binds=True,
        render_as_batch=True,
        include_object=include_object,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            include_object=include_object,
            render_item=render_item,
            **current_app.extensions["migrate"].configure_args,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
