"""``flask warranty ...``: deleting a record obeys the same five-year rule as the page (V4)."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from core.errors import BusinessRuleError
from core.extensions import db

warranty_cli = AppGroup("warranty", help="Warranty records.")


@warranty_cli.command("delete-record")
@click.argument("kind", type=click.Choice(["card", "maintenance_card", "visit_report", "registration_form"]))
@click.argument("record_id", type=int)
def delete_record(kind, record_id):
    """Delete a warranty record (refused within its retention period, V4)."""
    from .records import delete_record as delete

    try:
        delete(kind, record_id)
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        raise click.ClickException(error.message)
    click.echo(f"deleted {kind} {record_id}")
