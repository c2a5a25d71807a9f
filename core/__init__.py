"""The Postventa host: a small Flask core that loads pluggy plugins.

``create_app(test_config=None)`` builds an app in steps (configure, plugins,
extensions, blueprints, templates, CLI); all state lives in ``app.extensions``.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, g, has_request_context, request
from flask_babel import Babel
from flask_babel import refresh as refresh_babel
from flask_login import current_user

from core.clock import SystemClock
from core.extensions import csrf, db, htmx, login_manager, migrate
from core.plugins import PluginRegistry, build_registry, flatten
from core.policies import collect_policies

LANGUAGES = ("es", "en")


@dataclass
class PostventaState:
    """What the app knows about its plugins, kept in ``app.extensions["postventa"]``."""

    registry: PluginRegistry
    clock: object
    policies: dict = field(default_factory=dict)
    permissions: dict = field(default_factory=dict)
    event_types: dict = field(default_factory=dict)
    deadline_policies: dict = field(default_factory=dict)

    @property
    def hook(self):
        return self.registry.hook


def create_app(test_config: dict | None = None) -> Flask:
    """Build the Postventa app.

    :param test_config: overrides of the configuration, e.g.
        ``{"SQLALCHEMY_DATABASE_URI": ..., "POSTVENTA_PLUGINS": ["warranty"],
        "CLOCK": FrozenClock(...), "POSTVENTA_POLICIES": {...}}``.
    """
    app = Flask(__name__, instance_relative_config=True)
    configure(app, test_config or {})
    configure_plugins(app)  # before the extensions: Babel reads the plugins' catalog folders
    configure_extensions(app)
    configure_blueprints(app)
    configure_templates(app)
    configure_cli(app)
    return app


def configure(app: Flask, test_config: dict) -> None:
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-change-me"),
        SQLALCHEMY_DATABASE_URI=os.environ.get(
            "DATABASE_URL", f"sqlite:///{Path(app.instance_path) / 'postventa.db'}"
        ),
        SQLALCHEMY_ENGINE_OPTIONS={},
        POSTVENTA_PLUGINS=os.environ.get("POSTVENTA_PLUGINS"),
        # JSON, e.g. POSTVENTA_POLICIES='{"warranty.term_months": 36}'
        POSTVENTA_POLICIES=json.loads(os.environ.get("POSTVENTA_POLICIES") or "{}"),
        UPLOAD_FOLDER=os.environ.get("POSTVENTA_UPLOADS", str(Path(app.instance_path) / "uploads")),
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
        PASSWORD_HASH_METHOD="scrypt",
        BABEL_DEFAULT_LOCALE="es",
        BABEL_DEFAULT_TIMEZONE="Europe/Madrid",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        CLOCK=None,
    )
    app.config.update(test_config)
    if app.config["SECRET_KEY"] == "dev-only-change-me" and not app.config.get("TESTING"):
        app.logger.warning("SECRET_KEY is the development default: set SECRET_KEY before serving real users")
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("sqlite"):
        # Wait for a writer instead of failing with "database is locked".
        app.config["SQLALCHEMY_ENGINE_OPTIONS"].setdefault("connect_args", {"timeout": 30})


def configure_extensions(app: Flask) -> None:
    from core.requests import PostventaRequest

    db.init_app(app)
    # Requests have their own session (core.extensions.session_scope): end it with the request.
    app.teardown_request(lambda exc: db.session.remove())
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        with app.app_context():
            sqlite_pragmas(db.engine)
    csrf.init_app(app)
    htmx.init_app(app)
    app.request_class = PostventaRequest  # htmx-aware (request.htmx), and NUL-free input
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message_category = "info"

    @app.before_request
    def forget_user_of_previous_request():
        # Flask-Login caches the user in ``g``, which belongs to the app context;
        # when an outer app context outlives requests (tests, an embedded
        # server) the next request must still load its own user.
        g.pop("_login_user", None)
        refresh_babel()  # the same for Flask-Babel's cached locale and zone

    from core.auth.services import load_user

    login_manager.user_loader(load_user)

    def select_locale():
        if not has_request_context():
            return app.config["BABEL_DEFAULT_LOCALE"]
        if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in LANGUAGES:
            return current_user.locale
        return request.accept_languages.best_match(LANGUAGES) or app.config["BABEL_DEFAULT_LOCALE"]

    def select_timezone():
        if not has_request_context():
            return None
        if current_user and getattr(current_user, "is_authenticated", False):
            return current_user.timezone
        return None

    # One Babel per app: Flask-Babel caches catalogs on its instance, and apps
    # with different plugin sets (tests, one process) must not share them.
    Babel(app, locale_selector=select_locale, timezone_selector=select_timezone)

    from core import migrations as core_migrations

    migrate.init_app(app, db, directory=str(Path(core_migrations.__file__).parent), render_as_batch=True)
    migrate.configure(core_migrations.configure_version_locations)


def sqlite_pragmas(engine) -> None:
    """WAL lets readers and one writer work at once (the dev server, browser tests)."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def set_pragmas(dbapi_connection, connection_record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def configure_plugins(app: Flask) -> None:
    """Load the enabled plugins and collect what they declare."""
    registry = build_registry(app.config)
    hook = registry.hook
    state = PostventaState(registry=registry, clock=app.config["CLOCK"] or SystemClock())
    state.policies = collect_policies(registry.pm, app.config["POSTVENTA_POLICIES"])
    state.permissions = {p.name: p for p in flatten(hook.postventa_permissions())}
    for event_type in flatten(hook.postventa_timeline_event_types()):
        if event_type.name in state.event_types:
            raise ValueError(f"timeline event type {event_type.name!r} is registered twice")
        state.event_types[event_type.name] = event_type
    for deadline in flatten(hook.postventa_deadline_policies()):
        if deadline.name in state.deadline_policies:
            raise ValueError(f"deadline policy {deadline.name!r} is declared twice")
        state.deadline_policies[deadline.name] = deadline
    app.extensions["postventa"] = state

    translation_dirs = [str(Path(__file__).parent / "translations")]
    translation_dirs += [str(m.translations_dir) for m in registry.enabled if m.translations_dir]
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(translation_dirs)


def configure_blueprints(app: Flask) -> None:
    from core.admin.views import bp as admin_bp
    from core.auth.views import bp as auth_bp
    from core.cases.views import bp as cases_bp
    from core.home import bp as home_bp

    for blueprint in (home_bp, auth_bp, cases_bp, admin_bp):
        app.register_blueprint(blueprint)
    for blueprint in flatten(app.extensions["postventa"].hook.postventa_blueprints()):
        app.register_blueprint(blueprint)

    from core.errors_web import register_error_handlers

    register_error_handlers(app)


def configure_templates(app: Flask) -> None:
    from flask_babel import get_locale

    from core.web import current_user_can, menu_for

    app.jinja_env.globals.update(
        get_locale=get_locale,
        menu_for=menu_for,
        can=current_user_can,
        enabled_plugins=lambda: app.extensions["postventa"].registry.enabled_names,
    )

    from core import formatting

    formatting.register_filters(app)


def configure_cli(app: Flask) -> None:
    from core import cli

    cli.register(app)
    for command in flatten(app.extensions["postventa"].hook.postventa_cli_commands()):
        app.cli.add_command(command)
