"""A third-party plugin, installed as a distribution with an entry point, extends Postventa
with a table, a route, a menu entry and a timeline event type without touching core."""
from __future__ import annotations

import importlib

import pytest

from core import create_app
from core.extensions import db

PLUGIN = '''
from flask import Blueprint
from flask_babel import lazy_gettext as _l
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.auth.permissions import Permission, requires
from core.cases.timeline import EventType
from core.extensions import db
from core.hookspecs import hookimpl
from core.web import MenuItem


class Note(db.Model):
    __tablename__ = "outside_notes_note"
    id: Mapped[int] = mapped_column(primary_key=True)
    text: Mapped[str] = mapped_column(String(100))


bp = Blueprint("outside_notes", __name__, url_prefix="/notes")


@bp.route("/")
@requires("outside_notes.view")
def index():
    return {"notes": [n.text for n in db.session.scalars(db.select(Note))]}


@hookimpl
def postventa_blueprints():
    return [bp]


@hookimpl
def postventa_permissions():
    return [Permission("outside_notes.view", "See notes")]


@hookimpl
def postventa_default_roles():
    return {"admin": ["outside_notes.view"]}


@hookimpl
def postventa_menu_items(user):
    return [MenuItem("Notes", "outside_notes.index", "outside_notes.view")]


@hookimpl
def postventa_timeline_event_types():
    return [EventType("outside_notes.noted", "Noted")]
'''

MIGRATION = '''
from alembic import op
import sqlalchemy as sa

revision = "outside_notes_0001"
down_revision = None
branch_labels = ("outside_notes",)
depends_on = "core_0001"


def upgrade():
    op.create_table("outside_notes_note", sa.Column("id", sa.Integer(), primary_key=True),
                    sa.Column("text", sa.String(100), nullable=False))


def downgrade():
    op.drop_table("outside_notes_note")
'''


@pytest.fixture(autouse=True)
def forget_outside_tables():
    """The outside plugins' models join the process-wide metadata when imported; take
    their tables out again, so the rest of the suite never looks for them."""
    before = set(db.metadata.tables)
    yield
    for name in set(db.metadata.tables) - before:
        db.metadata.remove(db.metadata.tables[name])


def install_outside_plugin(root, name="outside_notes", with_migration=True):
    """Lay out an installed distribution: the package and its dist-info with the entry point."""
    package = root / name
    package.mkdir()
    (package / "__init__.py").write_text(PLUGIN.replace("outside_notes", name))
    (package / "plugin.toml").write_text(f'name = "{name}"\ntitle = "Notes"\nversion = "0.1"\ndepends = []\n')
    if with_migration:
        (package / "migrations" / "versions").mkdir(parents=True)
        (package / "migrations" / "versions" / f"{name}_0001.py").write_text(MIGRATION.replace("outside_notes", name))
    dist = root / f"{name}-0.1.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text(f"[postventa.plugins]\n{name} = {name}\n")


def test_outside_plugin_adds_table_route_menu_and_event_type(tmp_path, monkeypatch):
    install_outside_plugin(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    app = create_app({
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'outside.db'}",
        "POSTVENTA_PLUGINS": ["outside_notes"],
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        "TESTING": True,
        "WTF_CSRF_ENABLED": False,
    })
    with app.app_context():
        from core.auth.services import company, create_user, sync_roles
        from core.cases.services import open_case
        from core.cases.timeline import record
        from core.web import menu_for

        from core.migrations import upgrade

        assert upgrade() == ["core", "outside_notes"]
        assert "outside_notes_note" in db.inspect(db.engine).get_table_names()
        sync_roles()
        admin = create_user("root", "secret-pass-1", company(), roles=["admin"])
        customer = company()
        case = open_case("Nota", customer.id)
        record(case, "outside_notes.noted", {"text": "hola"})
        db.session.commit()
        assert [item.endpoint for item in menu_for(admin) if item.endpoint == "outside_notes.index"]
        client = app.test_client()
        client.post("/login", data={"username": "root", "password": "secret-pass-1"})
        assert client.get("/notes/").get_json() == {"notes": []}
        db.session.remove()
        db.engine.dispose()


def test_plugins_revision_writes_the_first_migration_of_a_new_branch(tmp_path, monkeypatch):
    install_outside_plugin(tmp_path, name="outside_memos", with_migration=False)
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'scratch.db'}",
                      "POSTVENTA_PLUGINS": ["outside_memos"], "TESTING": True})
    result = app.test_cli_runner().invoke(args=["plugins", "revision", "outside_memos", "-m", "memos tables"])
    assert result.exit_code == 0, result.output
    written = list((tmp_path / "outside_memos" / "migrations" / "versions").glob("outside_memos_0001_*.py"))
    assert len(written) == 1
    text = written[0].read_text()
    assert "branch_labels = ('outside_memos',)" in text and "core_0001" in text
    assert "create_table('outside_memos_note'" in text
    assert "core_case" not in text and "outside_notes_note" not in text  # only this plugin's tables
    with app.app_context():
        from core.migrations import upgrade

        assert upgrade() == ["core", "outside_memos"]
        assert "outside_memos_note" in db.inspect(db.engine).get_table_names()
        db.engine.dispose()
