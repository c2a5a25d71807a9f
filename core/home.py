"""The home dashboard (plugins add widgets) and the health check."""
from __future__ import annotations

from flask import Blueprint, current_app, render_template
from flask_login import current_user
from sqlalchemy import text

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


@bp.route("/health")
@public
def health():
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}
