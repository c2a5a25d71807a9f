"""The home dashboard (plugins add widgets) and the health check."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user
from sqlalchemy import select, text

from core.auth.permissions import login_only, public
from core.extensions import db
from core.web import sorted_panels

bp = Blueprint("home", __name__)


@bp.route("/")
@login_only
def index():
    hook = current_app.extensions["postventa"].hook
    widgets = sorted_panels(hook.postventa_dashboard_widgets(user=current_user))
    return render_template("home.html", widgets=widgets)


@bp.route("/baseline")
@login_only
def baseline():
    """The benchmark's yardstick: one indexed query and a small template, no plugin hooks.

    ``make bench`` reports every page as a ratio to this one, measured in the
    same run, so the machine's speed cancels out.
    """
    from core.cases.models import Case

    row = db.session.execute(select(Case.id, Case.number).order_by(Case.id).limit(1)).first()
    return render_template("baseline.html", row=row)


@bp.route("/health")
@public
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
