"""A seeded app shared by one test module, and the tools the reliability sweeps use.

The world holds every enabled plugin's demo data (loaded through the plugins' own
services), one user per default role in the company, a user of dealer A (the dealer
that owns the most records) and a user of dealer B (a dealer with no records at all).
It also finds real ids for URL arguments (``<int:claim_id>`` becomes the id of a
claim), snapshots tables, and reads the fields of the forms a page shows.
"""
from __future__ import annotations

import hashlib
import traceback
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from sqlalchemy import func, or_, select, text

from core import create_app
from core.auth.models import Organisation, OrganisationKind
from core.auth.services import company, create_organisation, create_user, default_roles, sync_roles
from core.cases import services as case_services
from core.clock import FrozenClock
from core.extensions import db
from tests.conftest import ALL_PLUGINS, FROZEN_AT, TEST_PASSWORD, _empty_tables, login
from tests.routes import app_rules, sample_url

PROJECT_ROOT = str(Path(__file__).resolve().parents[2])
ANONYMOUS = "anonymous"
DEALER_A = "dealer_of_a"
DEALER_B = "dealer_of_b"
USERNAME_PREFIX = "rel_"

# URL argument stems that do not match the end of their table's name.
ARGUMENT_ALIASES = {"org": "organisation"}
# Blueprints of core live in core_ tables; a plugin's blueprint in its own prefix.
CORE_BLUEPRINTS = {"cases", "admin", "auth", "home"}


def settings(database_url: str, clock, **extra) -> dict:
    """The same configuration the shared ``make_app`` fixture uses."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "POSTVENTA_PLUGINS": ALL_PLUGINS,
        "CLOCK": clock,
        "WTF_CSRF_ENABLED": False,
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    }
    config.update(extra)
    return config


def bare_app():
    """An app of this run's plugin set that never touches a database (for collection)."""
    return create_app(settings("sqlite://", FrozenClock(FROZEN_AT)))


def role_names() -> list[str]:
    """Every default role of this run's plugin set, read at collection time."""
    app = bare_app()
    with app.app_context():
        return sorted(default_roles())


@dataclass
class World:
    app: object
    clock: FrozenClock
    roles: dict[str, set[str]]
    usernames: dict[str, str]
    dealer_a_id: int
    dealer_b_id: int
    seed_error: str | None = None
    victims: dict[str, int] = field(default_factory=dict)

    def client(self, who: str):
        """A test client logged in as ``who`` (a role name, DEALER_A, DEALER_B or ANONYMOUS)."""
        client = self.app.test_client()
        if who != ANONYMOUS:
            login(client, self.usernames[who])
        return client

    def permissions_of(self, who: str) -> set[str]:
        if who == ANONYMOUS:
            return set()
        role = "dealer" if who in (DEALER_A, DEALER_B) else who
        return self.roles.get(role, set())


def build_world(database_url: str, tmp_path) -> World:
    """Seed the database (inside the app context the caller pushed) and return the world."""
    clock = FrozenClock(FROZEN_AT)
    app = create_app(settings(database_url, clock, UPLOAD_FOLDER=str(tmp_path / "uploads")))
    ctx = app.app_context()
    ctx.push()
    if database_url.startswith("sqlite"):
        _skip_fsync(db.engine)
    seed_error = load_demo_data(app)
    sync_roles()
    roles = default_roles()
    staff = company()
    usernames = {}
    for role in sorted(roles):
        usernames[role] = create_user(USERNAME_PREFIX + role, TEST_PASSWORD, staff, roles=[role]).username
    dealer_a = busiest_dealer() or create_organisation("Distribuidor Fiable A", OrganisationKind.DEALER)
    dealer_b = create_organisation("Distribuidor Ajeno B", OrganisationKind.DEALER)
    usernames[DEALER_A] = create_user(USERNAME_PREFIX + "dealer_a", TEST_PASSWORD, dealer_a, roles=["dealer"]).username
    usernames[DEALER_B] = create_user(USERNAME_PREFIX + "dealer_b", TEST_PASSWORD, dealer_b, roles=["dealer"]).username
    customer = create_organisation("Cliente del Distribuidor A", OrganisationKind.CUSTOMER)
    case = case_services.open_case("Avería del distribuidor A", customer.id, partner_id=dealer_a.id)
    case_services.add_comment(case, "Comentario del distribuidor A")
    case_services.store_attachment(case, "nota.txt", "text/plain", b"Nota del distribuidor A")
    victims = {
        "core_user": create_user(USERNAME_PREFIX + "victim", TEST_PASSWORD, staff, roles=[]).id,
        "core_role": _victim_role().id,
        "core_organisation": create_organisation("Organización de prueba", OrganisationKind.CUSTOMER).id,
    }
    db.session.commit()
    world = World(app, clock, roles, usernames, dealer_a.id, dealer_b.id, seed_error, victims)
    world._ctx = ctx
    return world


def _skip_fsync(engine) -> None:
    """The sweeps make thousands of small commits: on SQLite, do not wait for the disk after each
    (a throwaway test database; durability is not what they test)."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def no_sync(dbapi_connection, record):
        dbapi_connection.execute("PRAGMA synchronous = OFF")

    engine.dispose()


def load_demo_data(app) -> str | None:
    """Every enabled plugin's demo data, as ``flask demo load`` does (core first, dependency order).

    When a plugin's loader fails, everything is rolled back and loaded again without it
    (and without whatever then fails for lack of it), so the sweeps still run on the rest;
    the failures are returned, and a test reports them.
    """
    registry = app.extensions["postventa"].registry
    names = ["core", *registry.enabled_names]
    skipped: dict[str, str] = {}
    while True:
        current = None
        try:
            sync_roles()
            for current in names:
                if current in skipped:
                    continue
                loader = getattr(registry.pm.get_plugin(current), "postventa_demo_data", None)
                if loader is not None:
                    loader(app=app)
            db.session.commit()
            return "\n".join(f"{name}: {trace}" for name, trace in skipped.items()) or None
        except Exception:  # noqa: BLE001 - a broken demo loader is the finding
            db.session.rollback()
            skipped[current] = traceback.format_exc(limit=-4)
            if current == "core":
                raise


def _victim_role():
    from core.auth.services import role_named

    return role_named(USERNAME_PREFIX + "victim_role")


def close_world(world: World, database_url: str, table_names: list[str]) -> None:
    db.session.remove()
    db.engine.dispose()
    world._ctx.pop()
    _empty_tables(database_url, table_names)


# --- Ownership: which rows belong to an organisation ----------------------------------

def tables():
    return db.metadata.tables


def owner_columns(table) -> list:
    """Columns of ``table`` that name an organisation (the rows' owners)."""
    if table.name == "core_organisation":
        return [table.c.id]
    return [
        column for column in table.columns
        if any(fk.column.table.name == "core_organisation" for fk in column.foreign_keys)
    ]


def owned_clause(table, org_id: int, depth: int = 2):
    """Rows of ``table`` owned by ``org_id``: directly, through a user of it, or through a parent row.

    None when the table's rows belong to no organisation (a catalogue, a course).
    """
    direct = owner_columns(table)
    if direct:
        return or_(*(column == org_id for column in direct))
    if depth == 0:
        return None
    clauses = []
    for column in table.columns:
        for fk in column.foreign_keys:
            parent = fk.column.table
            if parent is table or parent.name == "core_organisation":
                continue
            parent_clause = owned_clause(parent, org_id, depth - 1)
            if parent_clause is not None:
                clauses.append(column.in_(select(fk.column).where(parent_clause)))
    return or_(*clauses) if clauses else None


def busiest_dealer():
    """The dealer organisation that owns the most rows across every table."""
    dealers = db.session.scalars(select(Organisation).where(Organisation.kind == OrganisationKind.DEALER)).all()
    best, best_count = None, 0
    for dealer in dealers:
        total = 0
        for table in tables().values():
            if table.name == "core_organisation":
                continue
            clause = owned_clause(table, dealer.id)
            if clause is not None:
                total += db.session.scalar(select(func.count()).select_from(table).where(clause))
        if total > best_count:
            best, best_count = dealer, total
    return best


# --- Real ids for URL arguments --------------------------------------------------------

def _tokens(words) -> set[str]:
    found = set()
    for word in words:
        for part in word.replace("-", "_").split("_"):
            if part:
                found.add(part[:-1] if part.endswith("s") and len(part) > 3 else part)
    return found


def table_for_argument(rule, argument: str, chosen: dict):
    """The table an ``<int:...>`` argument of ``rule`` points into, or None."""
    stem = argument[:-3] if argument.endswith("_id") else argument
    stem = ARGUMENT_ALIASES.get(stem, stem)
    candidates = [t for name, t in tables().items() if name == stem or name.endswith("_" + stem)]
    if not candidates:
        return None
    blueprint = rule.endpoint.split(".")[0]
    prefix = "core" if blueprint in CORE_BLUEPRINTS else blueprint.split("_")[0]
    path_tokens = _tokens(rule.rule.strip("/").split("/"))
    parents = {t.name for t in chosen.values() if t is not None}

    def score(table):
        points = 100 if table.name.startswith(prefix + "_") else 0
        points += 10 * any(fk.column.table.name in parents for c in table.columns for fk in c.foreign_keys)
        points += len(_tokens([table.name]) & path_tokens)
        return points

    return max(candidates, key=lambda t: (score(t), -len(t.name)))


def int_arguments(rule) -> list[str]:
    return [
        name for name in rule.arguments
        if name not in (rule.defaults or {}) and type(rule._converters[name]).__name__ == "IntegerConverter"
    ]


def real_values(rule, owner: int | None = None, newest: bool = False, victims: dict | None = None) -> dict | None:
    """Ids of existing rows for the rule's int arguments (owned by ``owner`` when given).

    Returns None when some argument has no such row (with ``owner``: the rule does
    not reach that owner's records).
    """
    values, chosen = {}, {}
    for argument in int_arguments(rule):
        table = table_for_argument(rule, argument, chosen)
        chosen[argument] = table
        if table is None:
            if owner is not None:
                return None
            continue
        if victims and table.name in victims and owner is None:
            values[argument] = victims[table.name]
            continue
        stmt = select(func.max(table.c.id) if newest else func.min(table.c.id))
        for other, parent in chosen.items():
            if parent is None or other == argument or other not in values:
                continue
            for column in table.columns:
                if any(fk.column.table is parent for fk in column.foreign_keys):
                    stmt = stmt.where(column == values[other])
        if owner is not None:
            clause = owned_clause(table, owner)
            if clause is None:
                return None
            stmt = stmt.where(clause)
        found = db.session.scalar(stmt)
        if found is None:
            if owner is not None:
                return None
            continue
        values[argument] = found
    return values


def url_for_rule(app, rule, values: dict | None = None) -> str:
    return sample_url(app, rule, values or {})


def methods_of(rule) -> list[str]:
    return sorted(rule.methods - {"HEAD", "OPTIONS"})


def routes(app):
    """(rule, method) for every route of the app, logout last (it ends the session)."""
    pairs = [(rule, method) for rule in app_rules(app) for method in methods_of(rule)]
    return sorted(pairs, key=lambda pair: (pair[0].endpoint == "auth.logout", pair[0].rule, pair[1]))


def crash_site(error: BaseException) -> str:
    """Where our code raised: the deepest frame of the project (not a library), and the exception."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [f for f in frames if f.filename.startswith(PROJECT_ROOT) and "/.venv/" not in f.filename]
    site = (ours or frames)[-1]
    where = f"{site.filename.removeprefix(PROJECT_ROOT + '/')}:{site.lineno} in {site.name}: {site.line}"
    return f"  {where}\n  {type(error).__name__}: {str(error)[:400]}"


# --- Snapshots -------------------------------------------------------------------------

def row_counts() -> dict[str, int]:
    """Rows in every table, in one statement."""
    names = sorted(tables())
    parts = ", ".join(f'(SELECT count(*) FROM "{name}") AS "{name}"' for name in names)
    row = db.session.execute(text(f"SELECT {parts}")).one()
    db.session.rollback()
    return dict(zip(names, row))


def table_digests() -> dict[str, str]:
    """A digest of every row of every table (catches updates as well as inserts and deletes)."""
    digests = {}
    for name, table in sorted(tables().items()):
        order = list(table.primary_key.columns) or list(table.columns)
        rows = db.session.execute(select(table).order_by(*order)).all()
        digests[name] = hashlib.sha256(repr([tuple(r) for r in rows]).encode()).hexdigest()
    db.session.rollback()
    return digests


def changed(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


# --- Forms -----------------------------------------------------------------------------

@dataclass
class FormField:
    name: str
    kind: str  # text, number, date, select, textarea, file, checkbox, hidden, ...
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    action: str | None
    method: str
    fields: dict[str, FormField] = field(default_factory=dict)


class FormReader(HTMLParser):
    """Collects every form of a page: action, method and fields (inputs, selects, textareas)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: FormField | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            action = attrs.get("hx-post") or attrs.get("action")
            method = "post" if attrs.get("hx-post") else (attrs.get("method") or "get").lower()
            self._form = Form(action, method)
            self.forms.append(self._form)
            return
        if tag == "option" and self._select is not None:
            value = attrs.get("value") if attrs.get("value") is not None else ""
            self._select.options.append(value)
            if "selected" in attrs and not self._select.value:
                self._select.value = value
            return
        if self._form is None or not attrs.get("name"):
            return
        name = attrs["name"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in ("submit", "button", "image", "reset"):
                return
            if kind in ("checkbox", "radio") and name in self._form.fields:
                self._form.fields[name].options.append(attrs.get("value") or "y")
                return
            self._form.fields[name] = FormField(name, kind, attrs.get("value") or "",
                                                [attrs.get("value") or "y"] if kind in ("checkbox", "radio") else [])
        elif tag == "select":
            self._select = self._form.fields[name] = FormField(name, "select")
        elif tag == "textarea":
            self._textarea = self._form.fields[name] = FormField(name, "textarea")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_in(html: str) -> list[Form]:
    reader = FormReader()
    reader.feed(html)
    for form in reader.forms:
        for item in form.fields.values():
            if item.kind == "select" and not item.value and item.options:
                item.value = next((o for o in item.options if o), item.options[0])
    return reader.forms
