"""Dealers and three guarantees: the dealer portal, sale registration, claims, old parts,
fee verification against receivables, tasks on the clock and dealer grades (D1-D19, S7-S10)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission
from core.cases.timeline import EventType
from core.deadlines import DeadlinePolicy
from core.hookspecs import hookimpl
from core.web import MenuItem

from . import models  # noqa: F401  (the tables reach the metadata only when the plugin is enabled)

EVENTS = {
    "task_opened": (_l("Three-guarantee task received"), "✚"),
    "task_dispatched": (_l("Task dispatched"), "➜"),
    "task_arranged": (_l("Task arranged"), "✓"),
    "fault_classified": (_l("Fault classified"), "⚙"),
    "task_reported": (_l("Reported to the technical department"), "✉"),
    "task_checked": (_l("Implementation checked"), "☑"),
    "escalated": (_l("Escalated to leadership"), "⚠"),
    "escalation_handled": (_l("Escalation handled"), "✔"),
    "claim_drafted": (_l("Claim drafted"), "✎"),
    "claim_submitted": (_l("Claim submitted"), "➜"),
    "claim_flagged": (_l("Claim flagged for review"), "⚑"),
    "parts_shipped": (_l("Old parts shipped"), "📦"),
    "parts_received": (_l("Old parts received"), "📥"),
    "appraisal_started": (_l("Appraisal started"), "🔍"),
    "part_appraised": (_l("Old part appraised"), "🔍"),
    "claim_approved": (_l("Claim approved"), "✔"),
    "claim_rejected": (_l("Claim rejected"), "✖"),
    "registration_overridden": (_l("Late registration accepted"), "⚖"),
    "paid_service": (_l("Paid service"), "€"),
    "claim_verified": (_l("Claim verified"), "€"),
    "claim_on_notice": (_l("Claim on a fee notice"), "🧾"),
    "claim_settled": (_l("Claim settled"), "✔"),
    "spot_check": (_l("Spot check"), "👁"),
}

CLAIM_WORK = ["dealers.portal", "dealers.claim.file"]
DEALER_PERMISSIONS = [
    "dealers.portal", "dealers.sale.register", "dealers.claim.file", "dealers.task.work",
    "dealers.stock.return", "dealers.ledger.view", "dealers.parts.ship",
]


@hookimpl
def postventa_policy_defaults():
    from .policies import DEFAULTS

    return dict(DEFAULTS)


@hookimpl
def postventa_permissions():
    return [
        Permission("dealers.portal", _l("Use the dealer pages")),
        Permission("dealers.manage", _l("Manage dealers, their profiles and training")),
        Permission("dealers.sale.register", _l("Register sales (receipt cards)")),
        Permission("dealers.claim.file", _l("File three-guarantee claims")),
        Permission("dealers.parts.ship", _l("Send old parts back")),
        Permission("dealers.claim.appraise", _l("Receive old parts, appraise and decide claims")),
        Permission("dealers.claim.override", _l("Accept a late sale registration")),
        Permission("dealers.claim.verify", _l("Verify claim fees")),
        Permission("dealers.notice.issue", _l("Issue fee verification notices")),
        Permission("dealers.notice.confirm", _l("Confirm fee verification notices")),
        Permission("dealers.ledger.view", _l("See dealer receivables")),
        Permission("dealers.ledger.post", _l("Book dealer receivables")),
        Permission("dealers.task.manage", _l("Take in, dispatch and check three-guarantee tasks")),
        Permission("dealers.task.work", _l("Arrange and report three-guarantee tasks")),
        Permission("dealers.stock.return", _l("Return dealer stock")),
        Permission("dealers.spot_check", _l("Spot-check dealers")),
        Permission("dealers.grade", _l("See scorecards and grade dealers")),
        Permission("dealers.escalations", _l("Handle escalations to leadership")),
    ]


@hookimpl
def postventa_default_roles():
    everyone = [p.name for p in postventa_permissions()]
    return {
        "admin": everyone,
        "dealer": list(DEALER_PERMISSIONS),
        "dealer_manager": DEALER_PERMISSIONS + ["dealers.notice.confirm"],
        # D1: the sales branch manages the service, the technical department appraises.
        "sales_office": ["dealers.portal", "dealers.manage", "dealers.sale.register", "dealers.task.manage",
                         "dealers.task.work", "dealers.stock.return", "dealers.grade"],
        "sales_rep": ["dealers.portal", "dealers.task.work", "dealers.spot_check", "dealers.grade"],
        "technical": CLAIM_WORK + ["dealers.claim.appraise", "dealers.task.work", "dealers.parts.ship"],
        "technician": CLAIM_WORK + ["dealers.task.work", "dealers.parts.ship"],  # D16: company staff file the same record
        "finance": ["dealers.portal", "dealers.claim.verify", "dealers.notice.issue", "dealers.ledger.view",
                    "dealers.ledger.post"],
        "leadership": ["dealers.portal", "dealers.claim.override", "dealers.ledger.view", "dealers.grade",
                       "dealers.escalations"],
    }


@hookimpl
def postventa_menu_items(user):
    return [
        MenuItem(_l("Dealer portal"), "dealers.home", "dealers.portal", order=30),
        MenuItem(_l("Claims"), "dealers.claims", "dealers.portal", order=31),
        MenuItem(_l("Tasks"), "dealers.tasks", "dealers.task.work", order=32),
        MenuItem(_l("Fee notices"), "dealers.notices", "dealers.ledger.view", order=33),
        MenuItem(_l("Dealers"), "dealers.dealers", "dealers.grade", order=34, internal_only=True),
        MenuItem(_l("Escalations"), "dealers.escalations", "dealers.escalations", order=35, internal_only=True),
    ]


@hookimpl
def postventa_timeline_event_types():
    return [EventType(f"dealers.{name}", label, f"dealers/events/{name}.html", icon)
            for name, (label, icon) in EVENTS.items()]


def _to_dealer(case, event) -> bool:
    return event.payload.get("assignee_kind") == "dealer"


def _to_company(case, event) -> bool:
    return event.payload.get("assignee_kind") in ("department", "sales_rep")


@hookimpl
def postventa_deadline_policies():
    arranged = frozenset({"dealers.task_arranged"})
    dispatched = frozenset({"dealers.task_dispatched"})
    return [
        DeadlinePolicy("dealers.s7_arrange", _l("Request arranged (S7)"), "dealers.s7_arrange_minutes",
                       starts_on=frozenset({"dealers.task_opened"}), met_on=dispatched),
        DeadlinePolicy("dealers.s8_arrange", _l("Transferred task arranged (S8)"), "dealers.s8_arrange_minutes",
                       starts_on=dispatched | {"dealers.fault_classified"}, met_on=arranged, applies=_to_company),
        DeadlinePolicy("dealers.s10_arrange", _l("Dealer arranged the task (S10)"), "dealers.s10_arrange_minutes",
                       starts_on=dispatched, met_on=arranged, applies=_to_dealer),
        DeadlinePolicy("dealers.s10_report", _l("User notified and reported (S10)"), "dealers.s10_report_minutes",
                       starts_on=dispatched, met_on=frozenset({"dealers.task_reported"}), applies=_to_dealer),
        DeadlinePolicy("dealers.s9_check", _l("Implementation checked (S9)"), "dealers.s9_check_minutes",
                       starts_on=dispatched, met_on=frozenset({"dealers.task_checked"})),
    ]


@hookimpl
def postventa_deadline_breached(clock, case):
    from .services.tasks import on_deadline_breached

    on_deadline_breached(clock, case)


@hookimpl
def postventa_installed_units(organisation_id):
    from .services.sales import installed_units_sold_by

    return installed_units_sold_by(organisation_id)


@hookimpl
def postventa_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def postventa_dashboard_widgets(user):
    from .widgets import dashboard_widgets

    return dashboard_widgets(user)


@hookimpl
def postventa_case_panels(case, user):
    from .widgets import case_panels

    return case_panels(case, user)


@hookimpl
def postventa_demo_data(app):
    from .demo import load_demo

    return load_demo(app)
