"""The measured pages: who opens them, and with few and with many rows behind them."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlencode

from werkzeug.routing import BuildError

STAFF_USER = "customer_service"  # a real demo login holding cases.view and warranty.lookup
CSRF_PATTERNS = (re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"'),
                 re.compile(r'"X-CSRFToken": "([^"]+)"'))


@dataclass(frozen=True)
class PageVisit:
    """One URL opened by one user."""

    path: str
    username: str


@dataclass
class Page:
    """A page to load: its many-rows visit (the one measured) and a few-rows visit (for query constancy)."""

    name: str
    title: str
    many: PageVisit | None
    few: PageVisit | None
    missing: str = ""  # why the page cannot be measured in this run
    notes: list = field(default_factory=list)


def csrf_token(html: str) -> str:
    for pattern in CSRF_PATTERNS:
        match = pattern.search(html)
        if match:
            return match.group(1)
    raise RuntimeError("no CSRF token on the login page")


def _path(app, endpoint: str, values: dict) -> str | None:
    """The URL of ``endpoint``: ``case_id`` goes into the path, every other value into the query string."""
    url_values = {k: v for k, v in values.items() if k == "case_id"}
    query = {k: v for k, v in values.items() if k != "case_id"}
    with app.test_request_context():
        from flask import url_for

        try:
            base = url_for(endpoint, **url_values)
        except BuildError:
            return None
    return f"{base}?{urlencode(query)}" if query else base


def measured_pages(app, probes) -> list[Page]:
    """The pages of issue 7, resolved against this app's URL map (a plugin not running: marked missing)."""
    dealer, small_dealer = probes.big_dealer_user, probes.small_dealer_user or probes.big_dealer_user
    specs = [
        ("baseline", "Baseline (/baseline)", "home.baseline", {}, {}, STAFF_USER, STAFF_USER),
        ("case_page", "Case page", "cases.show",
         {"case_id": probes.long_case_id}, {"case_id": probes.short_case_id}, STAFF_USER, STAFF_USER),
        ("case_list_filtered", "Case list, filtered", "cases.list",
         {"status": "in_progress", "priority": "normal"},
         {"q": probes.single_case_number}, STAFF_USER, STAFF_USER),
        ("serial_lookup", "Serial entitlement lookup", "warranty.lookup",
         {"serial": probes.serial_with_history}, {"serial": probes.serial_without_history}, STAFF_USER, STAFF_USER),
        ("dealer_claims", "Dealer's claim list", "dealers.claims", {}, {}, dealer, small_dealer),
        ("dealer_home", "Dealer portal home", "dealers.home", {}, {}, dealer, small_dealer),
    ]
    pages = []
    for name, title, endpoint, many, few, many_user, few_user in specs:
        many_path, few_path = _path(app, endpoint, many), _path(app, endpoint, few)
        if many_path is None or not many_user:
            pages.append(Page(name, title, None, None, missing=f"endpoint {endpoint} is not in this app's URL map"))
            continue
        pages.append(Page(name, title, PageVisit(many_path, many_user), PageVisit(few_path, few_user)))
    return pages
