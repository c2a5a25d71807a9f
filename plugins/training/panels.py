"""What the training plugin adds to core pages: a dashboard widget and a panel on review cases."""
from __future__ import annotations

from flask import render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select

from core.extensions import db
from core.web import Panel

from .models import Course, Manual
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


def case_panels(case, user) -> list[Panel]:
    """On a plan or outline review case: what is under review and where to answer (two queries)."""
    if not user.can("training.view") and not user.can("training.review"):
        return []
    course = db.session.scalar(select(Course).where(Course.case_id == case.id))
    manual = db.session.scalar(select(Manual).where(Manual.case_id == case.id))
    if course is None and manual is None:
        return []
    html = render_template("training/_case_panel.html", course=course, manual=manual)
    return [Panel(_l("Under review"), Markup(html), order=40, id="training-review")]
