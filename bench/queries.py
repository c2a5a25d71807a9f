"""SQL statements per page, counted in-process on the seeded database."""
from __future__ import annotations

from core.demo_data import DEMO_PASSWORD
from core.diagnostics import StatementCounter
from core.extensions import db

from bench.pages import csrf_token

WARM_UP_REQUESTS = 2


def is_write(statement: str) -> bool:
    """A GET should only read: an INSERT, UPDATE or DELETE while showing a page is worth a look."""
    return statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE")


def logged_in_client(app, username: str, password: str = DEMO_PASSWORD):
    """A test client logged in through the real login form (CSRF token and all)."""
    client = app.test_client()
    token = csrf_token(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": username, "password": password, "csrf_token": token})
    if response.status_code != 302:
        raise RuntimeError(f"login of {username} refused: {response.status_code}")
    return client


def count_visit(app, visit, clients: dict) -> dict:
    """Open ``visit`` (after warming up) and count its statements."""
    client = clients.get(visit.username) or clients.setdefault(visit.username, logged_in_client(app, visit.username))
    for _ in range(WARM_UP_REQUESTS):
        client.get(visit.path)
    with app.app_context():
        engine = db.engine
    with StatementCounter(engine) as counter:
        response = client.get(visit.path)
    return {"path": visit.path, "user": visit.username, "status": response.status_code,
            "queries": len(counter.statements), "bytes": len(response.data), "statements": counter.statements}


def count_pages(app, pages) -> dict:
    """For each page: statements with many rows and with few, and whether they are the same."""
    clients: dict = {}
    results = {}
    for page in pages:
        if page.missing:
            continue
        many = count_visit(app, page.many, clients)
        few = count_visit(app, page.few, clients)
        writes = [sql for sql in many["statements"] + few["statements"] if is_write(sql)]
        results[page.name] = {
            "queries": many["queries"], "queries_few_rows": few["queries"], "writes_on_get": len(writes),
            "constant": many["queries"] == few["queries"], "status": many["status"],
            "status_few_rows": few["status"], "bytes": many["bytes"], "statements": many["statements"],
        }
    return results
