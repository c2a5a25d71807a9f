"""Actions of the warranty panels on the case page (htmx: each answers the refreshed case body)."""
from __future__ import annotations

from flask import flash, g, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

from core.auth.models import User
from core.auth.permissions import requires
from core.cases.views import case_context, load_case
from core.errors import BusinessRuleError
from core.extensions import db
from core.web import render_page

from . import emergency, fees, handover, maintenance
from . import forms as f
from .models import CommissioningIssue, Installation, Unit
from .views import bp


def staff_member(user_id, field: str) -> User:
    user = db.session.get(User, int(user_id or 0))
    if user is None or not user.is_internal:
        raise BusinessRuleError(gettext("Choose a member of staff."), field=field)
    return user


def installation_of(case) -> Installation:
    installation = db.session.query(Installation).filter_by(case_id=case.id).one_or_none()
    if installation is None:
        raise BusinessRuleError(gettext("This case is not a delivery and installation."), field="description")
    return installation


def field_for(form, name):
    """The field an error belongs next to: the one named, else the first visible one."""
    named = getattr(form, name, None) if name else None
    return named or next((field for field in form if field.type not in ("HiddenField", "CSRFTokenField")), None)


def _answer(case, name, form, error=False):
    """The case body after an action; a refused form keeps what was typed, with the error by its field."""
    status = 200
    if error:
        g.warranty_forms = {name: form}
        status = 422
    return render_page("cases/show.html", "cases/_body.html", status=status, **case_context(case))


def case_action(name: str, permission: str, form_cls, run, choices=None):
    """Register ``POST /warranty/cases/<id>/<name>`` running ``run(case, form) -> message``."""

    def view(case_id):
        case = load_case(case_id)
        form = form_cls()
        if choices is not None:
            choices(form, case)
        if not form.validate_on_submit():
            return _answer(case, name, form, error=True)
        try:
            message = run(case, form)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            case = load_case(case_id)
            field = field_for(form, error.field)
            if field is None:  # a form that is only a button: the message goes beside the button
                form.form_errors.append(error.message)
            else:
                field.errors = [*field.errors, error.message]
            return _answer(case, name, form, error=True)
        if not request.htmx:
            flash(message, "success")
            return redirect(url_for("cases.show", case_id=case.id))
        g.warranty_notice = message
        return _answer(case, name, form)

    view.__name__ = name
    bp.add_url_rule(f"/cases/<int:case_id>/{name.replace('_', '-')}", name, requires(permission)(view),
                    methods=["POST"])


def staff_choices(field_name):
    def fill(form, case):
        from core.auth.services import internal_users

        getattr(form, field_name).choices = [(0, "—")] + [(u.id, u.display_name) for u in internal_users()]
    return fill


def loaner_choices(form, case):
    form.loaner_unit_id.choices = [(0, "—")] + [(u.id, str(u)) for u in emergency.available_loaners(case)]


def supplier_choices(form, case):
    from core.auth.models import Organisation, OrganisationKind

    rows = db.session.query(Organisation).filter_by(kind=OrganisationKind.SUPPLIER).order_by(Organisation.name)
    form.supplier_id.choices = [(0, "—")] + [(o.id, o.name) for o in rows]


def _warned(message: str, warning: str) -> str:
    return f"{message} {gettext('Warning:')} {warning}" if warning else message


# --- S1-S6 --------------------------------------------------------------------------------

case_action("answer", "warranty.emergency", f.NoteForm,
            lambda case, form: (emergency.answer(case, form.note.data), gettext("Answer recorded."))[1])
case_action("dispatch", "warranty.emergency", f.TechnicianForm,
            lambda case, form: _warned(gettext("Technician on the way."), emergency.dispatch(
                case, staff_member(form.technician_id.data, "technician_id"))),
            choices=staff_choices("technician_id"))
case_action("check_in", "warranty.emergency", f.TechnicianForm,
            lambda case, form: _warned(gettext("Checked in on site."), emergency.check_in(
                case, staff_member(form.technician_id.data, "technician_id"))),
            choices=staff_choices("technician_id"))
case_action("resolve", "warranty.emergency", f.NoteForm,
            lambda case, form: (emergency.resolve(case, form.note.data), gettext("Resolved."))[1])
case_action("contact", "warranty.emergency", f.ContactForm,
            lambda case, form: (emergency.contact_customer(case, form.summary.data),
                                gettext("Contact recorded."))[1])
case_action("issue_loaner", "warranty.emergency", f.LoanerForm,
            lambda case, form: (emergency.issue_loaner(case, db.session.get(Unit, form.loaner_unit_id.data)),
                                gettext("Loaner unit issued."))[1],
            choices=loaner_choices)
case_action("return_loaner", "warranty.emergency", f.EmptyForm,
            lambda case, form: (emergency.return_loaner(case), gettext("Loaner unit returned."))[1])

# --- M2-M5 --------------------------------------------------------------------------------

case_action("classify", "warranty.classify", f.ClassifyForm,
            lambda case, form: (maintenance.classify(case, form.cause.data, form.note.data, current_user,
                                                     form.confirmed_in_person.data), gettext("Cause classified."))[1])
case_action("notify_supplier", "warranty.classify", f.SupplierForm,
            lambda case, form: (maintenance.notify_supplier(case, form.supplier_id.data, _local(form.visit_at.data)),
                                gettext("Supplier notified."))[1],
            choices=supplier_choices)
case_action("assistance", "warranty.classify", f.AssistanceForm,
            lambda case, form: (maintenance.propose_assistance(case, form.plan.data),
                                gettext("Assistance plan recorded."))[1])
case_action("service_item", "warranty.service_form", f.ServiceItemForm,
            lambda case, form: (maintenance.add_service_item(
                case, form.description.data, form.quantity.data, form.method.data, form.labour_cost.data,
                form.material_cost.data, form.contract_budget.data, form.change_orders.data),
                gettext("Item added."))[1])
case_action("review_service_form", "warranty.service_form_review", f.EmptyForm,
            lambda case, form: (maintenance.review_service_form(case, current_user), gettext("Form reviewed."))[1])
case_action("send_service_form", "warranty.service_form_review", f.EmptyForm,
            lambda case, form: (maintenance.send_service_form(case),
                                gettext("Sent to the general manager's office."))[1])

# --- W3-W6 --------------------------------------------------------------------------------


def _add_fee_line(case, form):
    fees.add_line(case, form.kind.data, form.description.data, form.quantity.data,
                  unit_price=form.unit_price.data, part_number=form.part_number.data,
                  improper_use=form.improper_use.data, part_fitted_on=form.part_fitted_on.data,
                  abnormal_life_confirmed_by=form.abnormal_life_confirmed_by.data)
    return gettext("Line priced.")


case_action("fee_line", "warranty.fees", f.FeeLineForm, _add_fee_line)
case_action("accept_fees", "warranty.fees", f.AcceptFeesForm,
            lambda case, form: (fees.accept_fees(case, form.accepted_by.data), gettext("Fees accepted."))[1])
case_action("start_work", "warranty.fees", f.EmptyForm,
            lambda case, form: (fees.start_work(case), gettext("Work started."))[1])
case_action("use_parts", "warranty.fees", f.EmptyForm,
            lambda case, form: gettext("%(count)d part lines used.", count=fees.consume_parts(case)))

# --- M6, M12 ------------------------------------------------------------------------------

case_action("task_book", "warranty.task_book", f.TaskBookForm,
            lambda case, form: (maintenance.create_task_book(
                case, notified_on=form.notified_on.data, repair_content=form.repair_content.data,
                agreed_via=form.agreed_via.data, root_causes=form.root_causes.data, measures=form.measures.data),
                gettext("Task book sent for review."))[1])
case_action("visit_record", "warranty.visit", f.VisitRecordForm,
            lambda case, form: (maintenance.record_visit(
                case, current_user, checklist=form.checklist.data, work_done=form.work_done.data,
                confirmed_by=form.confirmed_by.data, signature=form.signature.data),
                gettext("Visit recorded."))[1])

# --- I1-I5 --------------------------------------------------------------------------------

case_action("delivery", "warranty.installation", f.DeliveryForm,
            lambda case, form: (handover.agree_delivery(installation_of(case), _local(form.delivery_at.data),
                                                        form.contact_name.data), gettext("Delivery agreed."))[1])
case_action("installed", "warranty.installation", f.InstalledForm,
            lambda case, form: (handover.record_installed(installation_of(case), form.installed_on.data,
                                                          form.customer_person.data), gettext("Installation recorded."))[1])
case_action("issue", "warranty.installation", f.IssueForm,
            lambda case, form: (handover.report_issue(installation_of(case), form.description.data,
                                                      form.product_defect.data), gettext("Problem recorded."))[1])


def _handle_issue(case, form):
    issue = db.session.get(CommissioningIssue, int(form.issue_id.data or 0))
    if issue is None or issue.installation.case_id != case.id:
        raise BusinessRuleError(gettext("No such problem on this case."), field="resolution")
    handover.handle_issue(issue, form.outcome.data, form.resolution.data)
    return gettext("Problem handled.")


case_action("handle_issue", "warranty.installation", f.HandleIssueForm, _handle_issue)
case_action("handover", "warranty.installation", f.HandoverForm,
            lambda case, form: (handover.hand_over(installation_of(case), form.handover_signed_by.data,
                                                   form.company_signatory.data),
                                gettext("Handed over: the warranty has started."))[1])
case_action("follow_up", "warranty.installation", f.FollowUpForm,
            lambda case, form: (handover.follow_up(installation_of(case), form.summary.data),
                                gettext("Follow-up call recorded."))[1])


def _local(value):
    """A ``datetime-local`` value typed in the user's zone, as aware UTC."""
    from zoneinfo import ZoneInfo

    if value is None:
        return None
    return value.replace(tzinfo=ZoneInfo(current_user.timezone or "Europe/Madrid")).astimezone(ZoneInfo("UTC"))
