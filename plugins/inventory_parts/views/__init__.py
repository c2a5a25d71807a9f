"""The plugin's one blueprint (``/parts``); its views live in one module per subject."""
from pathlib import Path

from flask import Blueprint

bp = Blueprint("inventory_parts", __name__, url_prefix="/parts", template_folder="../templates")

TRANSLATIONS = str(Path(__file__).resolve().parent.parent / "translations")


@bp.record_once
def _add_translations(state) -> None:
    """Make sure Flask-Babel reads this plugin's catalog.

    Core binds Flask-Babel before it lists the plugins' translation folders, so
    the folder list Flask-Babel resolved holds only core's; until core passes the
    list first, the plugin adds its own folder when its blueprint registers.
    """
    config = state.app.extensions.get("babel")
    if config is not None and TRANSLATIONS not in config.translation_directories:
        config.translation_directories.append(TRANSLATIONS)


from . import catalogue, orders, plans, reports, returns, stock  # noqa: E402,F401  (register the routes)
