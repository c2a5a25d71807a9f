"""The training blueprint; its routes live in one module per subject."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("training", __name__, url_prefix="/training", template_folder="../templates")

from . import courses, manuals, reports, sessions  # noqa: E402,F401  (they register routes on bp)
