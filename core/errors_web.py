"""Error pages: every failure answers with a page in the user's language, never a trace."""
from __future__ import annotations

from flask import render_template
from flask_babel import gettext
from flask_wtf.csrf import CSRFError

from core.audit import AppendOnlyViolation
from core.errors import BusinessRuleError
from core.extensions import db


def register_error_handlers(app) -> None:
    def page(status: int, message: str):
        return render_template("error.html", status=status, message=message), status

    app.register_error_handler(403, lambda e: page(403, gettext("You do not have permission to do this.")))
    app.register_error_handler(404, lambda e: page(404, gettext("This page does not exist, or it is not yours to see.")))
    app.register_error_handler(405, lambda e: page(405, gettext("This action is not allowed here.")))
    app.register_error_handler(413, lambda e: page(413, gettext("The upload is too large.")))
    app.register_error_handler(CSRFError, lambda e: page(400, gettext("The form expired. Reload the page and try again.")))
    app.register_error_handler(BusinessRuleError, lambda e: page(422, e.message))
    app.register_error_handler(AppendOnlyViolation, lambda e: page(409, gettext("History cannot be changed or deleted.")))

    def server_error(error):
        # Whatever failed, the transaction is rolled back: nothing half-saved.
        db.session.rollback()
        return page(500, gettext("Something went wrong on our side and nothing was saved. Try again in a moment."))

    app.register_error_handler(500, server_error)
