"""Core's own hook implementations, registered like any plugin (under the name ``core``).

As in pytest and datasette, core's features are plugins too: its permissions,
roles, timeline event types, menu, policies and the deadline machinery arrive
through the same hooks a plugin uses.
"""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission
from core.cases.timeline import EventType
from core.facts import Authorisation
from core.hookspecs import hookimpl
from core.jobs import ScheduledJob
from core.web import MenuItem

# The company's staff roles (DOMAIN.md, Actors). Plugins add their permissions to
# these names, so one demo login per role sees everything its department does.
INTERNAL_ROLES = (
    "customer_service", "technical", "engineering", "sales_office", "sales_rep",
    "production", "finance", "leadership", "technician",
)


@hookimpl
def postventa_policy_defaults():
    return {
        "core.case_number_prefix": "PV",
        "core.lockout_attempts": 5,
        "core.lockout_minutes": 15,
        "core.page_size": 25,
        "core.comment_max_chars": 5000,
        "core.attachment_max_bytes": 10 * 1024 * 1024,
        "core.attachment_types": [
            "image/jpeg", "image/png", "image/webp", "application/pdf",
            "text/plain", "text/csv",
        ],
        "core.deadline_warning_minutes": 15,
        "core.deadlines_job_minutes": 1,
    }


@hookimpl
def postventa_permissions():
    return [
        Permission("cases.view", _l("See cases")),
        Permission("cases.create", _l("Open new cases")),
        Permission("cases.edit", _l("Change status and assignee of cases")),
        Permission("cases.comment", _l("Comment and log calls, letters and visits")),
        Permission("cases.attach", _l("Attach photos and documents")),
        Permission("cases.export", _l("Export case lists")),
        Permission("admin.users", _l("Manage users")),
        Permission("admin.roles", _l("Manage roles")),
        Permission("admin.organisations", _l("Manage organisations")),
        Permission("admin.plugins", _l("Enable and disable plugins")),
        Permission("admin.audit", _l("Read the audit log")),
    ]


@hookimpl
def postventa_default_roles():
    case_work = ["cases.view", "cases.comment", "cases.attach"]
    roles = {role: list(case_work) for role in INTERNAL_ROLES}
    for role in ("customer_service", "technical", "sales_office", "engineering"):
        roles[role] += ["cases.create", "cases.edit", "cases.export"]
    roles["leadership"] += ["cases.export", "admin.audit"]
    roles["admin"] = [p.name for p in postventa_permissions()]
    # Dealers' staff work their own cases (scoped), never the admin pages.
    roles["dealer"] = ["cases.view", "cases.comment", "cases.attach", "cases.create"]
    return roles


@hookimpl
def postventa_timeline_event_types():
    return [
        EventType("case.opened", _l("Case opened"), "cases/events/opened.html", "✚"),
        EventType("case.status_changed", _l("Status changed"), "cases/events/status_changed.html", "⇄"),
        EventType("case.assigned", _l("Assigned"), "cases/events/assigned.html", "☞"),
        EventType("case.comment", _l("Comment"), "cases/events/comment.html", "✎"),
        EventType("case.service_log", _l("Service log"), "cases/events/service_log.html", "☎"),
        EventType("case.attachment", _l("Attachment"), "cases/events/attachment.html", "📎"),
        EventType("case.closed", _l("Case closed"), "cases/events/closed.html", "✔"),
        EventType("deadline.breached", _l("Deadline breached"), "cases/events/deadline_breached.html", "⚠"),
    ]


@hookimpl
def postventa_menu_items(user):
    return [
        MenuItem(_l("Cases"), "cases.list", "cases.view", order=10),
        MenuItem(_l("Users"), "admin.users", "admin.users", order=10, section="admin"),
        MenuItem(_l("Roles"), "admin.roles", "admin.roles", order=20, section="admin"),
        MenuItem(_l("Organisations"), "admin.organisations", "admin.organisations", order=30, section="admin"),
        MenuItem(_l("Plugins"), "admin.plugins", "admin.plugins", order=40, section="admin"),
        MenuItem(_l("Audit log"), "admin.audit", "admin.audit", order=50, section="admin"),
    ]


@hookimpl
def postventa_case_event(case, event):
    from core.deadlines import on_case_event

    on_case_event(case, event)


@hookimpl
def postventa_scheduled_jobs():
    from core.deadlines import run_deadlines
    from core.policies import policy

    return [ScheduledJob("core.deadlines", timedelta(minutes=policy("core.deadlines_job_minutes")), run_deadlines)]


@hookimpl(trylast=True)
def postventa_may_perform_work(user, work, product_family):
    """Without a training rule, anyone with the permission may do the work."""
    return Authorisation(True)


@hookimpl
def postventa_demo_data(app):
    from core.demo_data import load_core_demo

    return load_core_demo(app)
