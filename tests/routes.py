"""Walking the URL map: a concrete URL for every rule, and what each view declares."""
from __future__ import annotations

from werkzeug.routing import Rule

SAMPLE_VALUES = {"integer": 1, "unicode": "x", "string": "x", "path": "x", "float": 1.0, "uuid": "00000000-0000-0000-0000-000000000000"}


def sample_url(app, rule: Rule, values: dict | None = None) -> str:
    """A URL for ``rule`` with placeholder values (ids that may or may not exist)."""
    args = {}
    for name in rule.arguments:
        if values and name in values:
            args[name] = values[name]
            continue
        if name in (rule.defaults or {}):
            continue
        converter = rule._converters[name]
        kind = type(converter).__name__.replace("Converter", "").lower()
        if kind == "any":
            args[name] = sorted(converter.items)[0] if hasattr(converter, "items") else converter.regex.split("|")[0]
        else:
            args[name] = SAMPLE_VALUES.get(kind, "x")
    app.url_map.bind("localhost")  # builds the rule's converters
    built = rule.build({**(rule.defaults or {}), **args}, append_unknown=False)
    return built[1] if isinstance(built, tuple) else built


def app_rules(app):
    """Every rule but static files."""
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static" and not rule.endpoint.endswith(".static")]


def access_of(app, rule: Rule):
    return getattr(app.view_functions[rule.endpoint], "access", None)
