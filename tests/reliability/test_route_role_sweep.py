"""Route x role sweep: every route of the URL map, for every default role, a dealer's user,
another dealer's user and an anonymous client, answers what the route's declared access says.

* anonymous: a redirect to the login page (public routes excepted);
* a user lacking the route's permission: 403;
* a user holding it (or any logged-in user on a ``login`` route): anything but 403, a
  redirect to the login page, or a server error (200, 302, 404, 405, 400, 422 ...);
* nobody, ever, a 500; a route that declares no access fails the sweep.

URLs carry real ids of the seeded records (``<int:claim_id>`` is a claim's id), so views
run their real code rather than answering 404 to a placeholder. Then dealer B's user opens
every route with dealer A's record ids and must be refused (403/404/405) with nothing
changed in any table.
"""
from __future__ import annotations

import pytest

from tests.routes import access_of

from .world import (
    ANONYMOUS, crash_site, DEALER_A, DEALER_B, changed, int_arguments, real_values, role_names, routes, table_digests,
    url_for_rule,
)

WHO = role_names() + [DEALER_A, DEALER_B, ANONYMOUS]


def call(client, method: str, url: str):
    """The response, or the traceback's last lines when the view raised (the server's 500)."""
    try:
        return client.open(url, method=method, data={} if method == "POST" else None), None
    except Exception as error:  # noqa: BLE001 - a server error is the finding
        return None, crash_site(error)


def to_login(response) -> bool:
    return response.status_code == 302 and "/login" in response.headers.get("Location", "")


def problem(access, permissions: set[str], who: str, rule, method: str, response) -> str | None:
    """Why this answer is wrong for this route and this user, or None when it is right."""
    status = response.status_code
    if status >= 500:
        return f"server error {status}"
    if access is None:
        return "the view declares no access (@requires, @login_only or @public)"
    if access.kind == "public":
        return None
    if who == ANONYMOUS:
        return None if to_login(response) else f"anonymous got {status}, not a redirect to /login"
    holds = access.kind == "login" or access.permission in permissions
    if not holds:
        return None if status == 403 else f"lacks {access.permission!r} but got {status}"
    if status == 403:
        return f"holds {access.permission or 'a login'} but got 403"
    if to_login(response) and rule.endpoint != "auth.logout":
        return "logged in but sent to /login"
    return None


@pytest.mark.parametrize("who", WHO)
def test_every_route_answers_as_its_access_declares(world, who):
    app = world.app
    client = world.client(who)
    permissions = world.permissions_of(who)
    wrong = []
    for rule, method in routes(app):
        url = url_for_rule(app, rule, real_values(rule, victims=world.victims))
        response, crash = call(client, method, url)
        if crash:
            wrong.append(f"{method} {url}: 500\n{crash}")
            continue
        why = problem(access_of(app, rule), permissions, who, rule, method, response)
        if why:
            wrong.append(f"{method} {url} ({rule.endpoint}): {why}")
    assert wrong == [], f"{len(wrong)} routes answer {who} wrongly:\n" + "\n".join(wrong)


def test_seed_data_of_every_plugin_loads(world):
    """The sweeps run on every plugin's demo data; a broken demo loader is reported here."""
    assert world.seed_error is None, world.seed_error


def test_another_dealer_cannot_reach_dealer_a_records(world):
    """Dealer B's user opens every route with dealer A's record ids: refused, nothing changed."""
    app = world.app
    intruder, owner = world.client(DEALER_B), world.client(DEALER_A)
    wrong, reached, tried = [], 0, 0
    for rule, method in routes(app):
        if not int_arguments(rule):
            continue
        values = real_values(rule, owner=world.dealer_a_id)
        if values is None:
            continue
        url = url_for_rule(app, rule, values)
        tried += 1
        before = table_digests()
        response, crash = call(intruder, method, url)
        after = table_digests()
        if crash:
            wrong.append(f"{method} {url}: 500\n{crash}")
        elif response.status_code not in (403, 404, 405):
            wrong.append(f"{method} {url} ({rule.endpoint}): dealer B got {response.status_code}")
        if changed(before, after):
            wrong.append(f"{method} {url} ({rule.endpoint}): dealer B changed {changed(before, after)}")
        if method == "GET":
            own, _ = call(owner, method, url)
            reached += own is not None and own.status_code == 200
    assert tried and reached, "no route reached dealer A's own records: the ids are not A's"
    assert wrong == [], "\n".join(wrong)

