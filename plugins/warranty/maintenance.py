"""The maintenance workflow: cause classification and its branches (M2-M5), the task book (M6-M9),
and the technician's visit record (M10, M12)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from flask_babel import gettext
from sqlalchemy import select

from core.auth.models import Organisation, OrganisationKind
from core.cases import services as cases
from core.cases.models import Attachment
from core.cases.timeline import record
from core.clock import now, today
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy

from .emergency import request_for
from .fees import as_money
from .models import RegistrationForm, ServiceForm, ServiceFormItem, TaskBook, VisitRecord

CAUSES = ("supplier", "company", "customer", "other")
PHOTO_TYPES = ("image/jpeg", "image/png", "image/webp")


def _request(case):
    request = request_for(case)
    if request is None:
        raise BusinessRuleError(gettext("This case has no maintenance feedback form."), field="cause")
    return request


def classify(case, cause: str, note: str, user, confirmed_in_person: bool) -> None:
    """M2: the engineering manager confirms in person and classifies the cause."""
    if cause not in CAUSES:
        raise BusinessRuleError(gettext("Choose the cause."), field="cause")
    if not confirmed_in_person:
        raise BusinessRuleError(gettext("The cause is classified after inspecting in person."),
                                field="confirmed_in_person")
    request = _request(case)
    request.cause, request.cause_note = cause, (note or "").strip()
    request.classified_by_id, request.classified_at = user.id, now()
    record(case, "warranty.cause_classified", {"cause": cause, "note": request.cause_note})


def _require_cause(case, cause: str, field: str):
    request = _request(case)
    if request.cause != cause:
        raise BusinessRuleError(gettext("This step applies only when the cause is classified as %(cause)s.",
                                        cause=cause), field=field)
    return request


def notify_supplier(case, supplier_id: int, visit_at) -> None:
    """M3: supplier cause: notify the supplier and book its service staff at an agreed time."""
    request = _require_cause(case, "supplier", "supplier_id")
    supplier = db.session.get(Organisation, int(supplier_id or 0))
    if supplier is None or supplier.kind != OrganisationKind.SUPPLIER:
        raise BusinessRuleError(gettext("Choose a supplier."), field="supplier_id")
    if visit_at is None or visit_at <= now():
        raise BusinessRuleError(gettext("Agree a visit time in the future."), field="visit_at")
    request.supplier_id, request.supplier_notified_at, request.supplier_visit_at = supplier.id, now(), visit_at
    record(case, "warranty.supplier_notified", {"supplier": supplier.name, "visit_at": visit_at.isoformat()})


def propose_assistance(case, plan: str) -> None:
    """M4: customer cause: explain clearly and propose an assistance plan."""
    request = _require_cause(case, "customer", "plan")
    plan = (plan or "").strip()
    if not plan:
        raise BusinessRuleError(gettext("Write the assistance plan."), field="plan")
    request.assistance_plan = plan
    record(case, "warranty.assistance_plan", {"plan": plan[:2000]})


# --- M5: the maintenance service form ------------------------------------------------------------

def service_form_for(case) -> ServiceForm | None:
    return db.session.scalar(select(ServiceForm).where(ServiceForm.case_id == case.id))


def add_service_item(case, description: str, quantity, method: str, labour_cost, material_cost,
                     contract_budget=None, change_orders=None) -> ServiceFormItem:
    """M5: an item of the maintenance service form (quantity, method, labour and material cost)."""
    _require_cause(case, "company", "description")
    form = service_form_for(case)
    if form is not None and form.status != "draft":
        raise BusinessRuleError(gettext("The form was reviewed and cannot change."), field="description")
    if not (description or "").strip():
        raise BusinessRuleError(gettext("Describe the item."), field="description")
    if not (method or "").strip():
        raise BusinessRuleError(gettext("Say how it will be done."), field="method")
    try:
        qty = Decimal(str(quantity))
    except Exception:
        qty = Decimal("0")
    if qty <= 0:
        raise BusinessRuleError(gettext("The quantity must be more than zero."), field="quantity")
    labour, material = as_money(labour_cost, "labour_cost"), as_money(material_cost, "material_cost")
    if form is None:
        form = ServiceForm(case_id=case.id, contract_budget=as_money(contract_budget, "contract_budget"),
                           change_orders=as_money(change_orders, "change_orders", required=False) or Decimal("0"))
        db.session.add(form)
        db.session.flush()
    item = ServiceFormItem(form_id=form.id, description=description.strip()[:300], quantity=qty,
                           method=method.strip()[:300], labour_cost=labour, material_cost=material)
    form.items.append(item)
    db.session.flush()
    record(case, "warranty.service_form_item", {"description": item.description, "quantity": str(qty),
                                                "labour_cost": str(labour), "material_cost": str(material)})
    return item


def review_service_form(case, reviewer) -> ServiceForm:
    """M5: checked against the contract budget and change orders, with photo evidence, by the engineering manager."""
    form = service_form_for(case)
    if form is None or not form.items:
        raise BusinessRuleError(gettext("Add the maintenance items first."), field="description")
    if form.status != "draft":
        raise BusinessRuleError(gettext("The form is already reviewed."), field="description")
    has_photo = db.session.scalar(select(Attachment.id).where(
        Attachment.case_id == case.id, Attachment.content_type.in_(PHOTO_TYPES)).limit(1))
    if not has_photo:
        raise BusinessRuleError(gettext("Attach photo evidence to the case first."), field="description")
    allowed = (form.contract_budget or Decimal("0")) + (form.change_orders or Decimal("0"))
    if form.total() > allowed:
        raise BusinessRuleError(gettext("The items cost %(total)s, more than the contract budget and change "
                                        "orders (%(allowed)s).", total=form.total(), allowed=allowed),
                                field="description")
    form.status, form.reviewed_by_id, form.reviewed_at = "reviewed", reviewer.id, now()
    record(case, "warranty.service_form_reviewed", {"total": str(form.total()), "allowed": str(allowed)})
    return form


def send_service_form(case) -> ServiceForm:
    """M5: the reviewed form goes to the general manager's office."""
    form = service_form_for(case)
    if form is None or form.status != "reviewed":
        raise BusinessRuleError(gettext("The engineering manager reviews the form first."), field="description")
    form.status, form.sent_at = "sent", now()
    record(case, "warranty.service_form_sent", {"total": str(form.total())})
    return form


# --- M6-M9: the maintenance task book -------------------------------------------------------------

AGREED_VIA = ("on_site", "phone")


def create_task_book(case, *, notified_on: date, repair_content: str, agreed_via: str, root_causes: str,
                     measures: str) -> TaskBook:
    """M6: from the notification date, agree the repair with the owner, analyse causes and measures."""
    if not notified_on:
        raise BusinessRuleError(gettext("Give the notification date."), field="notified_on")
    if notified_on > today():
        raise BusinessRuleError(gettext("The notification date cannot be in the future."), field="notified_on")
    checks = {"repair_content": (repair_content, gettext("Write the repair content agreed with the owner.")),
              "root_causes": (root_causes, gettext("Analyse the root causes.")),
              "measures": (measures, gettext("Write the measures."))}
    for name, (value, message) in checks.items():
        if not (value or "").strip():
            raise BusinessRuleError(message, field=name)
    if agreed_via not in AGREED_VIA:
        raise BusinessRuleError(gettext("Say whether it was agreed on site or by phone."), field="agreed_via")
    request = request_for(case)
    book = TaskBook(case_id=case.id, unit_id=request.unit_id if request else None, notified_on=notified_on,
                    repair_content=repair_content.strip(), agreed_via=agreed_via, root_causes=root_causes.strip(),
                    measures=measures.strip(), status="in_review", created_at=now())
    db.session.add(book)
    db.session.flush()
    record(case, "warranty.task_book_submitted", {"task_book_id": book.id, "notified_on": notified_on.isoformat()})
    return book


def _send_back(book: TaskBook, user, reason: str, stage: str) -> None:
    reason = (reason or "").strip()
    if not reason:
        raise BusinessRuleError(gettext("Say why it goes back."), field="reason")
    book.status, book.returned_reason = "returned", reason
    record(book.case, "warranty.task_book_returned", {"task_book_id": book.id, "by": stage, "reason": reason})


def review_task_book(book: TaskBook, user, approve: bool, reason: str = "") -> None:
    """M6: the department head reviews; passes it to the unit leader or sends it back with a reason."""
    if book.status != "in_review":
        raise BusinessRuleError(gettext("This task book is not waiting for review."), field="reason")
    if not approve:
        return _send_back(book, user, reason, "department_head")
    book.status, book.reviewed_by_id = "in_approval", user.id
    record(book.case, "warranty.task_book_reviewed", {"task_book_id": book.id, "by": user.display_name})


def approve_task_book(book: TaskBook, user, approve: bool, reason: str = "") -> None:
    """M6: the unit leader approves, or sends it back with a reason."""
    if book.status != "in_approval":
        raise BusinessRuleError(gettext("This task book is not waiting for approval."), field="reason")
    if not approve:
        return _send_back(book, user, reason, "unit_leader")
    book.status, book.approved_by_id = "approved", user.id
    record(book.case, "warranty.task_book_approved", {"task_book_id": book.id, "by": user.display_name})


def resubmit_task_book(book: TaskBook, root_causes: str, measures: str) -> None:
    """A task book sent back is corrected and goes to review again."""
    if book.status != "returned":
        raise BusinessRuleError(gettext("Only a task book sent back can be resubmitted."), field="measures")
    if not (root_causes or "").strip() or not (measures or "").strip():
        raise BusinessRuleError(gettext("Write the root causes and measures."), field="measures")
    book.root_causes, book.measures, book.status = root_causes.strip(), measures.strip(), "in_review"
    record(book.case, "warranty.task_book_submitted", {"task_book_id": book.id, "resubmitted": True})


def plan_task_book(book: TaskBook, due_on: date, responsible=None, director_available: bool = True) -> None:
    """M7, M8: production planning hands the book to the responsible person and sets the completion date.

    The responsible person is the unit's original project director; when the director
    was transferred (no nearby project), dedicated maintenance staff must be chosen.
    """
    if book.status != "approved":
        raise BusinessRuleError(gettext("Only an approved task book can be assigned."), field="responsible_id")
    if not due_on or due_on < today():
        raise BusinessRuleError(gettext("Set a completion date from today on."), field="due_on")
    director = book.unit.project_director if book.unit else None
    if responsible is None:
        if director is None or not director_available:
            raise BusinessRuleError(gettext("The project director is not available: choose dedicated "
                                            "maintenance staff."), field="responsible_id")
        responsible, kind = director, "project_director"
    else:
        kind = "project_director" if director is not None and responsible.id == director.id else "dedicated"
    if not responsible.is_internal:
        raise BusinessRuleError(gettext("Choose a member of staff."), field="responsible_id")
    book.responsible_id, book.responsible_kind, book.due_on, book.status = responsible.id, kind, due_on, "assigned"
    record(book.case, "warranty.task_book_assigned", {"task_book_id": book.id, "to": responsible.display_name,
                                                      "kind": kind, "due_on": due_on.isoformat(),
                                                      "registration_form": True})


def complete_task_book(book: TaskBook, confirmed_by: str) -> RegistrationForm:
    """M9: the work is done and confirmed by the owner; the registration form goes to production and finance."""
    if book.status != "assigned":
        raise BusinessRuleError(gettext("Only an assigned task book can be completed."), field="confirmed_by")
    confirmed_by = (confirmed_by or "").strip()
    if not confirmed_by:
        raise BusinessRuleError(gettext("Type who confirmed the work (owner or project management)."),
                                field="confirmed_by")
    at = now()
    book.status, book.completed_at, book.confirmed_by, book.confirmed_at = "completed", at, confirmed_by, at
    form = RegistrationForm(task_book_id=book.id, case_id=book.case_id, created_at=at,
                            summary=f"{book.repair_content}\n{book.measures}")
    db.session.add(form)
    db.session.flush()
    record(book.case, "warranty.task_book_completed", {"task_book_id": book.id, "confirmed_by": confirmed_by})
    record(book.case, "warranty.registration_filed", {"registration_form_id": form.id,
                                                      "to": ["production", "finance"]})
    return form


# --- M10, M12: the technician's visit ---------------------------------------------------------------

SIGNATURE_PREFIX = "data:image/png;base64,"
SIGNATURE_MAX_CHARS = 200_000


def record_visit(case, technician, *, checklist: list[str], work_done: str, confirmed_by: str,
                 signature: str = "") -> VisitRecord:
    """M12: the conduct checklist done in full and the customer's confirmation; logged as a visit (M10)."""
    required = list(policy("warranty.m12_checklist"))
    missing = [item for item in required if item not in (checklist or [])]
    if missing:
        raise BusinessRuleError(gettext("Every item of the conduct checklist must be done (%(count)d missing).",
                                        count=len(missing)), field="checklist")
    if not (work_done or "").strip():
        raise BusinessRuleError(gettext("Say what was done."), field="work_done")
    confirmed_by = (confirmed_by or "").strip()
    if not confirmed_by:
        raise BusinessRuleError(gettext("The customer types their name to confirm."), field="confirmed_by")
    signature = (signature or "").strip()
    if signature and (not signature.startswith(SIGNATURE_PREFIX) or len(signature) > SIGNATURE_MAX_CHARS):
        raise BusinessRuleError(gettext("The drawn signature could not be read."), field="signature")
    visit = VisitRecord(case_id=case.id, technician_id=technician.id, checklist=required, work_done=work_done.strip(),
                        confirmed_by=confirmed_by[:200], confirmed_at=now(), signature=signature)
    db.session.add(visit)
    db.session.flush()
    record(case, "warranty.visit_recorded", {"technician": technician.display_name, "confirmed_by": confirmed_by,
                                             "signed": bool(signature)})
    cases.add_service_log(case, "visit", work_done.strip()[:2000], gettext("Confirmed by %(name)s", name=confirmed_by))
    return visit
