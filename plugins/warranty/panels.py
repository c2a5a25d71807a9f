"""What the warranty plugin adds to core pages: case panels and dashboard widgets."""
from __future__ import annotations

from flask import g, render_template
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.auth.services import internal_users
from core.extensions import db
from core.web import Panel

from . import emergency, fees, handover, maintenance, visits
from . import forms as f
from .models import Installation, Loaner, TaskBook, VisitRecord
from .services import entitlement

# The forms each panel shows, by the action name they post to.
FORMS = {
    "answer": f.NoteForm, "dispatch": f.TechnicianForm, "check_in": f.TechnicianForm, "resolve": f.NoteForm,
    "contact": f.ContactForm, "issue_loaner": f.LoanerForm, "return_loaner": f.EmptyForm,
    "classify": f.ClassifyForm, "notify_supplier": f.SupplierForm, "assistance": f.AssistanceForm,
    "service_item": f.ServiceItemForm, "review_service_form": f.EmptyForm, "send_service_form": f.EmptyForm,
    "fee_line": f.FeeLineForm, "accept_fees": f.AcceptFeesForm, "start_work": f.EmptyForm, "use_parts": f.EmptyForm,
    "task_book": f.TaskBookForm, "visit_record": f.VisitRecordForm,
    "delivery": f.DeliveryForm, "installed": f.InstalledForm, "issue": f.IssueForm, "handle_issue": f.HandleIssueForm,
    "handover": f.HandoverForm, "follow_up": f.FollowUpForm,
}


def panel_forms(case, loaner=None) -> dict:
    """Fresh forms, except the one just refused, which keeps what was typed and its errors.

    The loaner picker is filled only while a loaner is demanded and not yet issued
    (S4): on every other case page the query would be wasted.
    """
    failed = g.get("warranty_forms", {})
    built = {name: failed.get(name) or cls(formdata=None) for name, cls in FORMS.items()}
    staff = [(0, "—")] + [(u.id, u.display_name) for u in internal_users()]
    built["dispatch"].technician_id.choices = staff
    built["check_in"].technician_id.choices = staff
    waiting = loaner is not None and loaner.missing
    built["issue_loaner"].loaner_unit_id.choices = [(0, "—")] + [
        (u.id, str(u)) for u in (emergency.available_loaners(case) if waiting else [])]
    from core.auth.models import Organisation, OrganisationKind

    built["notify_supplier"].supplier_id.choices = [(0, "—")] + [
        (o.id, o.name) for o in db.session.scalars(select(Organisation).where(
            Organisation.kind == OrganisationKind.SUPPLIER).order_by(Organisation.name))]
    return built


def case_panels(case, user) -> list[Panel]:
    """The entitlement and emergency panel, the maintenance panel, the fees panel, the handover panel."""
    if not user.can("warranty.view"):
        return []
    request = emergency.request_for(case)
    installation = db.session.scalar(select(Installation).options(joinedload(Installation.unit))
                                     .where(Installation.case_id == case.id))
    loaner = db.session.scalar(select(Loaner).options(joinedload(Loaner.loaner_unit)).where(Loaner.case_id == case.id))
    if request is None and installation is None and loaner is None and not case.is_emergency:
        return []
    forms = panel_forms(case, loaner)
    context = dict(case=case, request=request, loaner=loaner, forms=forms, notice=g.get("warranty_notice"),
                   entitlement=entitlement(request.unit) if request is not None and request.unit else None)
    panels = [Panel(_l("Warranty and service"), Markup(render_template("warranty/panels/service.html", **context)),
                    order=10, id="warranty-service")]
    if request is not None:
        lines = fees.lines_for(case)
        context.update(
            service_form=maintenance.service_form_for(case), lines=lines,
            total=fees.total_of(lines), acceptance=fees.acceptance_for(case),
            books=db.session.scalars(select(TaskBook).where(TaskBook.case_id == case.id).order_by(TaskBook.id)).all(),
            visit_records=db.session.scalars(select(VisitRecord).options(joinedload(VisitRecord.technician))
                                             .where(VisitRecord.case_id == case.id).order_by(VisitRecord.id)).all(),
        )
        panels.append(Panel(_l("Cause and maintenance"), Markup(render_template(
            "warranty/panels/maintenance.html", **context)), order=20, id="warranty-maintenance"))
        panels.append(Panel(_l("Fees"), Markup(render_template("warranty/panels/fees.html", **context)),
                            order=30, id="warranty-fees"))
    if installation is not None:
        panels.append(Panel(_l("Delivery and handover"), Markup(render_template(
            "warranty/panels/installation.html", installation=installation, forms=forms, case=case)),
            order=15, id="warranty-installation"))
    return panels


def dashboard_widgets(user) -> list[Panel]:
    """Overdue visits, loaners still missing, follow-up calls due, task books waiting for this user."""
    if not user.is_internal or not user.can("warranty.view"):
        return []
    missing = db.session.scalars(select(Loaner).options(joinedload(Loaner.case))
                                 .where(Loaner.issued_at.is_(None)).order_by(Loaner.demanded_at)).all()
    waiting_status = [s for perm, s in (("warranty.task_book_review", "in_review"),
                                        ("warranty.task_book_approve", "in_approval"),
                                        ("warranty.task_book_plan", "approved")) if user.can(perm)]
    books = db.session.scalars(select(TaskBook).options(joinedload(TaskBook.case))
                               .where(TaskBook.status.in_(waiting_status)).order_by(TaskBook.created_at)).all() \
        if waiting_status else []
    html = render_template("warranty/widgets.html", overdue=visits.overdue_visits(limit=10), missing=missing,
                           followups=handover.followups_due(), books=books)
    return [Panel(_l("Warranty: what is late"), Markup(html), order=20, id="warranty-overdue")]
