"""Training and documentation: courses and plans reviewed by the owner, sessions,
enrolment, certificates, authorisation by certification, dealer training and
O&M manuals (DOMAIN.md T1-T7, D5)."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from core.auth.permissions import Permission
from core.cases.timeline import EventType
from core.hookspecs import hookimpl
from core.jobs import ScheduledJob
from core.web import MenuItem

from .policies import DEFAULTS

PERMISSIONS = [
    Permission("training.view", _l("See training courses and sessions")),
    Permission("training.manage", _l("Plan courses, schedule sessions, record attendance and assessments")),
    Permission("training.enrol", _l("Enrol people in training sessions")),
    Permission("training.review", _l("Answer the review of training plans and manual outlines")),
    Permission("training.certificates", _l("See training certificates")),
    Permission("training.reports", _l("See training reports (uncertified staff, dealers due)")),
    Permission("training.manuals", _l("Write operation and maintenance manuals")),
]


@hookimpl
def postventa_blueprints():
    from .views import bp

    return [bp]


@hookimpl
def postventa_policy_defaults():
    return dict(DEFAULTS)


@hookimpl
def postventa_permissions():
    return list(PERMISSIONS)


@hookimpl
def postventa_default_roles():
    see = ["training.view", "training.certificates"]
    run = see + ["training.manage", "training.enrol", "training.reports"]
    return {
        "admin": [p.name for p in PERMISSIONS],
        "trainer": run + ["training.manuals"],
        "technical": run + ["training.manuals"],
        "sales_office": run,  # D5: the sales office trains the dealers
        "engineering": see + ["training.manuals", "training.review", "training.reports"],
        "leadership": see + ["training.reports"],
        "customer_service": list(see),
        "technician": list(see),
        "sales_rep": list(see),
        "production": list(see),
        "finance": list(see),
        "dealer": see + ["training.enrol", "training.reports"],
        # The owner's people review course plans and manual outlines on their case.
        "customer": ["training.view", "training.review", "cases.view"],
    }


@hookimpl
def postventa_menu_items(user):
    return [
        MenuItem(_l("Training"), "training.courses", "training.view", order=60),
        MenuItem(_l("Certificates"), "training.certificates", "training.certificates", order=61),
        MenuItem(_l("Reviews"), "training.reviews", "training.review", order=62),
        MenuItem(_l("O&M manuals"), "training.manuals", "training.manuals", order=63, internal_only=True),
        MenuItem(_l("Training reports"), "training.reports", "training.reports", order=64),
    ]


@hookimpl
def postventa_timeline_event_types():
    names = {
        "plan_sent": (_l("Training plan sent for review"), "✉"),
        "plan_approved": (_l("Training plan approved"), "✔"),
        "plan_changes_requested": (_l("Changes requested to the training plan"), "✎"),
        "outline_sent": (_l("Manual outline sent for review"), "✉"),
        "outline_approved": (_l("Manual outline approved"), "✔"),
        "outline_changes_requested": (_l("Changes requested to the manual outline"), "✎"),
        "manual_version": (_l("Manual version saved"), "📄"),
        "manual_issued": (_l("Manual issued"), "📘"),
        "commissioning_held": (_l("Commissioning with the owner's engineers"), "⚙"),
    }
    return [EventType(f"training.{name}", label, f"training/events/{name}.html", icon)
            for name, (label, icon) in names.items()]


@hookimpl
def postventa_dashboard_widgets(user):
    from .panels import dashboard_widgets

    return dashboard_widgets(user)


@hookimpl
def postventa_case_panels(case, user):
    from .panels import case_panels

    return case_panels(case, user)


@hookimpl
def postventa_scheduled_jobs():
    from core.policies import policy

    from .services.certification import send_lapse_reminders

    return [ScheduledJob("training.certificate_reminders",
                         timedelta(minutes=policy("training.reminder_job_minutes")), send_lapse_reminders)]


@hookimpl
def postventa_may_perform_work(user, work, product_family):
    """T6: a person without a valid certificate may not do work that requires one."""
    from .services.certification import may_perform_work

    return may_perform_work(user, work, product_family)


@hookimpl
def postventa_demo_data(app):
    from .demo import load_demo

    return load_demo(app)
