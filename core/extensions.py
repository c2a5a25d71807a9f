"""The Flask extensions every part of Postventa shares, created unbound.

They are bound to an app in :func:`core.create_app`; nothing here touches a
database or an app at import time. (Flask-Babel is the exception: each app gets
its own instance, see ``configure_extensions``.)
"""
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from htmx_flask import Htmx
from sqlalchemy import MetaData

# Stable constraint names, so Alembic's batch mode on SQLite can drop and alter them.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}



def session_scope() -> int:
    """One session per request, else one per app context (CLI, jobs, tests).

    Flask-SQLAlchemy scopes sessions to the app context; a test that holds an
    app context open would then share one session (and its identity map) with
    every request it makes, hiding stale reads and N+1 queries. Scoping to the
    request gives each request a fresh session, as in production.
    """
    from flask.globals import _cv_app, _cv_request

    ctx = _cv_request.get(None) or _cv_app.get(None)
    return id(ctx)


db = SQLAlchemy(
    metadata=MetaData(naming_convention=NAMING_CONVENTION),
    session_options={"scopefunc": session_scope},
)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
htmx = Htmx()
