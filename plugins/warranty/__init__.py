"""Warranty and service: installed base, entitlement, emergency clocks, maintenance workflow, records."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission
from core.hookspecs import hookimpl

from . import models  # noqa: F401  (the tables reach the metadata only when the plugin is enabled)
from . import records  # noqa: F401  (registers the V4 retention guard)

PERMISSIONS = {
    "warranty.view": _l("See the installed base, entitlement and warranty records"),
    "warranty.lookup": _l("Look up a unit's warranty by serial number"),
    "warranty.manage": _l("Manage products, warranty policies and units; import units"),
    "warranty.request": _l("Take service requests (maintenance feedback form)"),
    "warranty.emergency": _l("Answer, dispatch, check in and resolve; lend loaner units"),
    "warranty.classify": _l("Classify the cause of a problem (engineering manager)"),
    "warranty.service_form": _l("Fill the maintenance service form"),
    "warranty.service_form_review": _l("Review the maintenance service form (engineering manager)"),
    "warranty.fees": _l("Price lines of work and record the customer's acceptance"),
    "warranty.task_book": _l("Fill maintenance task books"),
    "warranty.task_book_review": _l("Review task books (department head)"),
    "warranty.task_book_approve": _l("Approve task books (unit leader)"),
    "warranty.task_book_plan": _l("Assign task books (production planning)"),
    "warranty.registrations": _l("See maintenance registration forms"),
    "warranty.visit": _l("Record technician visits and return visit reports"),
    "warranty.installation": _l("Run delivery, installation, commissioning and handover"),
    "warranty.cards": _l("Issue warranty cards"),
    "warranty.contracts": _l("Sign and renew maintenance contracts"),
    "warranty.reports": _l("See warranty reports and export them"),
    "warranty.records_delete": _l("Delete warranty records after their retention period"),
}


@hookimpl
def postventa_policy_defaults():
    from .policies import DEFAULTS

    return dict(DEFAULTS)


@hookimpl
def postventa_permissions():
    return [Permission(name, label) for name, label in PERMISSIONS.items()]


@hookimpl
def postventa_default_roles():
    base = ["warranty.view", "warranty.lookup"]
    return {
        "customer_service": base + ["warranty.request", "warranty.emergency", "warranty.installation",
                                    "warranty.cards", "warranty.contracts", "warranty.reports"],
        "technical": base + ["warranty.emergency", "warranty.fees", "warranty.visit", "warranty.installation",
                             "warranty.task_book", "warranty.manage", "warranty.reports"],
        "engineering": base + ["warranty.classify", "warranty.service_form", "warranty.service_form_review",
                               "warranty.task_book", "warranty.reports"],
        "sales_office": base + ["warranty.contracts", "warranty.reports"],
        "sales_rep": base,
        "production": base + ["warranty.task_book_plan", "warranty.registrations", "warranty.reports"],
        "finance": base + ["warranty.registrations", "warranty.fees", "warranty.reports"],
        "leadership": base + ["warranty.reports", "warranty.registrations"],
        "technician": base + ["warranty.emergency", "warranty.fees", "warranty.visit", "warranty.installation"],
        "department_head": base + ["warranty.task_book_review"],
        "unit_leader": base + ["warranty.task_book_approve"],
        "general_manager": base + ["warranty.reports", "warranty.registrations"],
        "admin": list(PERMISSIONS),
        # A dealer's staff may look up the units of their own organisation only (scoped).
        "dealer": ["warranty.lookup"],
    }


@hookimpl
def postventa_timeline_event_types():
    from .events import event_types

    return event_types()


@hookimpl
def postventa_deadline_policies():
    from .events import deadline_policies

    return deadline_policies()


@hookimpl
def postventa_deadline_breached(clock, case):
    from .emergency import on_deadline_breached

    on_deadline_breached(clock, case)


@hookimpl
def postventa_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def postventa_menu_items(user):
    from core.web import MenuItem

    return [
        MenuItem(_l("Installed base"), "warranty.index", "warranty.view", order=20),
        MenuItem(_l("Warranty lookup"), "warranty.lookup", "warranty.lookup", order=21),
        MenuItem(_l("Service request"), "warranty.new_request", "warranty.request", order=22),
        MenuItem(_l("Return visits"), "warranty.visit_list", "warranty.view", order=23, internal_only=True),
        MenuItem(_l("Task books"), "warranty.task_books", "warranty.view", order=24, internal_only=True),
        MenuItem(_l("Registration forms"), "warranty.registrations", "warranty.registrations", order=25),
        MenuItem(_l("Warranty reports"), "warranty.report_page", "warranty.reports", order=26),
        MenuItem(_l("Products"), "warranty.products", "warranty.manage", order=60, section="admin"),
    ]


@hookimpl
def postventa_case_panels(case, user):
    from .panels import case_panels

    return case_panels(case, user)


@hookimpl
def postventa_dashboard_widgets(user):
    from .panels import dashboard_widgets

    return dashboard_widgets(user)


@hookimpl
def postventa_cli_commands():
    from .cli import warranty_cli

    return [warranty_cli]


@hookimpl
def postventa_demo_data(app):
    from .demo import load_demo

    return load_demo(app)


@hookimpl
def postventa_installed_units(organisation_id):
    """The units installed for a customer organisation."""
    from .facts import installed_units

    return installed_units(organisation_id)
