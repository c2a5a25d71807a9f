"""Hostile input on every form (property-based, hypothesis), logged in as the administrator,
who holds every permission, so each POST reaches its view's validation and services.

For every POST route of the URL map, the fields are read from the forms the app itself
renders (any GET page whose form posts there, or the route's own GET page), falling back
to a generic set of names. Each field gets either its rendered (valid) value or a hostile
one: 10,000 characters, empty, wrong types, impossible dates, huge, negative and
non-finite numbers, emoji, right-to-left text, a NUL byte, a script tag and SQL.

Proven for every example: never a 500; the typed script is never echoed unescaped; a
refused post (4xx) leaves every table's row count unchanged (no partial record). Then a
crawl of every page proves no stored script is rendered unescaped anywhere.
"""
from __future__ import annotations

import io
import json
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tests.routes import app_rules

from .world import (
    ANONYMOUS, bare_app, changed, crash_site, forms_in, methods_of, real_values, row_counts, url_for_rule,
)

SCRIPT = "<script>alert(1)</script>"
SQL = "'; DROP TABLE core_case; --"
HOSTILE = [
    "x" * 10_000, "", " ", "abc", "2026-13-45", "0000-00-00", "31/02/2026", "-1", "-99999999999999999999",
    "99999999999999999999999999", "1e309", "NaN", "-inf", "0.000000001", "1,5", "😀🔥💥", "\u202eשלום مرحبا",
    "a\x00b", SCRIPT, SQL, "../../../etc/passwd", "{{ 7*7 }}", "\r\n\t", "[]", "0",
]
GENERIC_FIELDS = ["name", "title", "text", "description", "quantity", "date", "number", "serial", "notes", "file"]
NOT_ATTACKED = {"auth.logout"}  # no fields; it only ends the session


def post_routes():
    app = bare_app()
    return [(rule.endpoint, rule.rule) for rule in app_rules(app)
            if "POST" in rule.methods and rule.endpoint not in NOT_ATTACKED]


POST_ROUTES = post_routes()


def find_rule(app, endpoint: str, rule_text: str):
    return next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint and r.rule == rule_text)


def open_safely(client, method, url, **kwargs):
    try:
        return client.open(url, method=method, **kwargs), None
    except Exception as error:  # noqa: BLE001 - a server error is the finding
        return None, crash_site(error)


def is_html(response) -> bool:
    return response.mimetype == "text/html"


@pytest.fixture(scope="module")
def admin(world):
    return world.client("admin")


class FormIndex(dict):
    """URL -> fields; a short repr keeps hypothesis' failure reports readable."""

    def __repr__(self):
        return f"<fields of {len(self)} form targets>"


@pytest.fixture(scope="module")
def form_fields(world, admin):
    """For every URL a form posts to: its fields, read from every GET page the admin can open."""
    app = world.app
    found = FormIndex()
    for rule in app_rules(app):
        if "GET" not in methods_of(rule) or rule.endpoint == "auth.logout":
            continue
        url = url_for_rule(app, rule, real_values(rule, victims=world.victims))
        response, crash = open_safely(admin, "GET", url)
        if crash or response.status_code != 200 or not is_html(response):
            continue
        for form in forms_in(response.get_data(as_text=True)):
            if form.method != "post":
                continue
            target = urlsplit(form.action).path if form.action else url
            if endpoint_of(app, target) in NOT_ATTACKED:
                continue
            found.setdefault(target, {}).update(form.fields)
    return found


def endpoint_of(app, path: str) -> str | None:
    try:
        return app.url_map.bind("localhost").match(path, method="POST")[0]
    except Exception:  # noqa: BLE001 - not a POST route of this app
        return None


def field_value(item):
    """A strategy for one field: its rendered value, a hostile value, or random text."""
    if item.kind == "file":
        return st.sampled_from(["", "not-a-file", b"", "\xff\xfe\x00garbage".encode("latin-1"),
                                f"a,b\n{SCRIPT},{SQL}\n".encode(), ("x" * 10_000).encode()])
    options = [item.value] + item.options if item.kind in ("select", "checkbox", "radio") else [item.value]
    return st.one_of(st.sampled_from(options), st.sampled_from(HOSTILE), st.text(max_size=40))


def as_form_data(values: dict) -> dict:
    data = {}
    for name, value in values.items():
        data[name] = (io.BytesIO(value), "hostile.csv") if isinstance(value, bytes) else value
    return data


@pytest.mark.parametrize("endpoint,rule_text", POST_ROUTES, ids=[f"{e}:{r}" for e, r in POST_ROUTES])
# No shrinking: the failure message already names the route, the values and the crashing line.
@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture],
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(data=st.data())
def test_hostile_values_never_break_a_form(world, admin, form_fields, endpoint, rule_text, data):
    app = world.app
    rule = find_rule(app, endpoint, rule_text)
    url = url_for_rule(app, rule, real_values(rule, victims=world.victims))
    client = world.client(ANONYMOUS) if endpoint == "auth.login" else admin
    fields = form_fields.get(url) or {name: None for name in GENERIC_FIELDS}
    values = {}
    for name, item in fields.items():
        if name == "csrf_token":
            continue
        strategy = field_value(item) if item is not None else st.sampled_from(HOSTILE)
        if data.draw(st.booleans(), label=f"send {name}") or item is None:
            values[name] = data.draw(strategy, label=name)
    before = row_counts()
    response, crash = open_safely(client, "POST", url, data=as_form_data(values))
    assert crash is None, f"POST {url} with {short(values)} raised:\n{crash}"
    assert response.status_code < 500, f"POST {url} answered {response.status_code}"
    if is_html(response):
        assert SCRIPT not in response.get_data(as_text=True), f"POST {url} echoed the script unescaped"
    if 400 <= response.status_code < 500:
        after = row_counts()
        assert changed(before, after) == [], f"POST {url} refused ({response.status_code}) but left rows in {changed(before, after)}"


def short(values: dict) -> str:
    return json.dumps({k: (v[:60] + "…" if isinstance(v, str) and len(v) > 60 else repr(v)[:60])
                       for k, v in values.items()}, ensure_ascii=False)


def test_script_in_every_text_field_is_stored_escaped(world, admin, form_fields):
    """Every form posted with its rendered values and a script in each text field; then
    every page (newest records first) shows the script escaped, never as a tag."""
    app = world.app
    crashes = []
    for url, fields in form_fields.items():
        values = {}
        for name, item in fields.items():
            if name == "csrf_token" or item.kind == "file":
                continue
            values[name] = SCRIPT if item.kind in ("text", "textarea", "search") else item.value
        response, crash = open_safely(admin, "POST", url, data=values)
        if crash:
            crashes.append(f"POST {url}: {crash}")
    assert crashes == [], "\n".join(crashes)
    unescaped, escaped_somewhere = [], False
    for rule in app_rules(app):
        if "GET" not in methods_of(rule):
            continue
        for newest in (True, False):
            url = url_for_rule(app, rule, real_values(rule, newest=newest))
            response, crash = open_safely(admin, "GET", url)
            if crash:
                crashes.append(f"GET {url}: {crash}")
                continue
            if not is_html(response):
                continue
            html = response.get_data(as_text=True)
            escaped_somewhere |= "&lt;script&gt;alert(1)&lt;/script&gt;" in html
            if SCRIPT in html:
                unescaped.append(url)
    assert crashes == [], "\n".join(crashes)
    assert unescaped == [], f"the stored script is rendered as a tag on {sorted(set(unescaped))}"
    assert escaped_somewhere, "no form stored the script: the check proves nothing"


def test_case_page_and_list_escape_a_stored_script(world, admin):
    """The named pages: a case opened with a script title shows it escaped on its page and in the list."""
    from core.auth.models import Organisation, OrganisationKind
    from core.extensions import db

    customer = db.session.scalar(db.select(Organisation.id).where(Organisation.kind == OrganisationKind.CUSTOMER))
    response = admin.post("/cases/new", data={"title": SCRIPT, "customer_id": customer, "channel": "call",
                                              "priority": "normal", "description": SCRIPT})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    case_url = response.headers["Location"]
    assert admin.post(case_url + "/comment", data={"text": SCRIPT}).status_code in (200, 302)
    for url in (case_url, "/cases/", "/cases/?q=script", "/"):
        html = admin.get(url).get_data(as_text=True)
        assert SCRIPT not in html, url
    assert "&lt;script&gt;" in admin.get(case_url).get_data(as_text=True)
    assert "&lt;script&gt;" in admin.get("/cases/?q=script").get_data(as_text=True)


def test_json_bodies_never_break_a_post_route(world, admin):
    """No route speaks JSON today; a JSON or malformed body on any POST route is refused, never a 500."""
    app = world.app
    crashes = []
    for endpoint, rule_text in POST_ROUTES:
        rule = find_rule(app, endpoint, rule_text)
        url = url_for_rule(app, rule, real_values(rule, victims=world.victims))
        client = world.client(ANONYMOUS) if endpoint == "auth.login" else admin
        for body in (json.dumps({"title": SCRIPT, "quantity": "1e309", "x": [None, {"$ne": 1}]}), "{not json", "\x00"):
            response, crash = open_safely(client, "POST", url, data=body, content_type="application/json")
            if crash or response.status_code >= 500:
                crashes.append(f"POST {url} JSON {body[:20]!r}: {crash or response.status_code}")
    assert crashes == [], "\n".join(crashes)
