"""The training widgets of the home dashboard."""
from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from core.web import Panel

from .services.certification import lapsing_certificates


def dashboard_widgets(user) -> list[Panel]:
    """Certificates about to lapse (within ``training.certificate_reminder_days``), for those who see them."""
    if not user.can("training.certificates"):
        return []
    lapsing = lapsing_certificates(user)
    if not lapsing:
        return []
    html = render_template("training/_lapsing_widget.html", certificates=lapsing)
    return [Panel(_l("Certificates about to lapse"), Markup(html), order=60, id="training-lapsing")]
