"""The timeline event types the warranty plugin writes, and its response clocks."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from core.cases.timeline import EventType
from core.deadlines import DeadlinePolicy

# name -> (label, icon); each renders with templates/warranty/events/<name>.html
EVENTS = {
    "request_registered": (_l("Maintenance feedback form"), "☎"),
    "answered": (_l("Request answered"), "✆"),
    "dispatched": (_l("Technician on the way"), "🚐"),
    "checked_in": (_l("Technician checked in on site"), "📍"),
    "resolved": (_l("Resolved"), "✔"),
    "technician_warning": (_l("Technician not certified"), "⚠"),
    "loaner_demanded": (_l("Loaner unit required"), "⇆"),
    "loaner_issued": (_l("Loaner unit issued"), "⇆"),
    "loaner_returned": (_l("Loaner unit returned"), "⇆"),
    "customer_contacted": (_l("Customer contacted"), "✆"),
    "cause_classified": (_l("Cause classified"), "⚙"),
    "supplier_notified": (_l("Supplier notified"), "✉"),
    "assistance_plan": (_l("Assistance plan"), "☂"),
    "service_form_item": (_l("Maintenance service item"), "✎"),
    "service_form_reviewed": (_l("Maintenance service form reviewed"), "✔"),
    "service_form_sent": (_l("Sent to the general manager's office"), "➜"),
    "fee_priced": (_l("Line of work priced"), "€"),
    "fees_accepted": (_l("Fees accepted by the customer"), "✍"),
    "work_started": (_l("Work started"), "▶"),
    "parts_consumed": (_l("Parts used"), "⚙"),
    "task_book_submitted": (_l("Task book submitted"), "📘"),
    "task_book_reviewed": (_l("Task book reviewed"), "📘"),
    "task_book_returned": (_l("Task book sent back"), "↩"),
    "task_book_approved": (_l("Task book approved"), "📘"),
    "task_book_assigned": (_l("Task book assigned"), "☞"),
    "task_book_completed": (_l("Task book completed"), "✔"),
    "registration_filed": (_l("Registration form filed"), "🗂"),
    "visit_recorded": (_l("Technician visit"), "🏠"),
    "installation_started": (_l("Delivery and installation"), "🚚"),
    "delivery_agreed": (_l("Delivery agreed"), "📅"),
    "installed": (_l("Installed"), "🔧"),
    "issue_found": (_l("Commissioning problem"), "⚠"),
    "issue_resolved": (_l("Commissioning problem handled"), "✔"),
    "quality_feedback": (_l("Quality feedback to production"), "⚑"),
    "commissioned": (_l("Commissioned"), "⚡"),
    "handover_signed": (_l("Handover signed"), "✍"),
    "followup_done": (_l("Follow-up call"), "☎"),
    "card_issued": (_l("Warranty card issued"), "🪪"),
    "return_visit_reported": (_l("Return visit report"), "📋"),
}


def event_types() -> list[EventType]:
    return [EventType(f"warranty.{name}", label, f"warranty/events/{name}.html", icon)
            for name, (label, icon) in EVENTS.items()]


def _emergency(case, event) -> bool:
    return case.is_emergency


def _flag(name):
    """The clock applies when the starting event's payload carries ``name`` (complaint, accident)."""
    return lambda case, event: bool((event.payload or {}).get(name))


def deadline_policies() -> list[DeadlinePolicy]:
    opened = frozenset({"case.opened"})
    registered = frozenset({"case.opened", "warranty.request_registered"})
    return [
        DeadlinePolicy("warranty.s1_answer", _l("S1 answer"), "warranty.s1_answer_minutes",
                       opened, frozenset({"warranty.answered"}), applies=_emergency),
        DeadlinePolicy("warranty.s2_on_site", _l("S2 technician on site"), "warranty.s2_on_site_minutes",
                       opened, frozenset({"warranty.checked_in"}), applies=_emergency),
        DeadlinePolicy("warranty.s3_resolved", _l("S3 resolved"), "warranty.s3_resolved_minutes",
                       opened, frozenset({"warranty.resolved", "case.closed"}), applies=_emergency),
        DeadlinePolicy("warranty.s5_departure", _l("S5 leave at once"), "warranty.s5_departure_minutes",
                       registered, frozenset({"warranty.dispatched", "warranty.checked_in"}),
                       applies=_flag("accident")),
        DeadlinePolicy("warranty.s6_contact", _l("S6 complaint contact"), "warranty.s6_contact_minutes",
                       registered, frozenset({"warranty.customer_contacted", "case.service_log"}),
                       applies=_flag("complaint")),
        DeadlinePolicy("warranty.w8_card", _l("W8 warranty card"), "warranty.w8_card_minutes",
                       frozenset({"warranty.handover_signed"}), frozenset({"warranty.card_issued"})),
    ]
