"""The plugin's one blueprint (``/parts``); its views live in one module per subject."""
from flask import Blueprint

bp = Blueprint("inventory_parts", __name__, url_prefix="/parts", template_folder="../templates")

from . import catalogue, orders, plans, reports, returns, stock  # noqa: E402,F401  (register the routes)
