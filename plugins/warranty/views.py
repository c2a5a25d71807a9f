"""Pages of the warranty plugin: installed base, lookup, service requests, queues, records, reports."""
from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

from flask import Blueprint, Response, current_app, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from core.auth.models import Organisation, OrganisationKind
from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404, scoped
from core.auth.services import internal_users
from core.csv_import import import_csv
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy
from core.web import attach_error, render_page

from . import emergency, fees, handover, maintenance, records, reports, services, visits
from . import forms as f
from .models import MaintenanceCard, MaintenanceContract, Product, RegistrationForm, TaskBook, Unit, Visit, WarrantyCard, WarrantyPolicy

bp = Blueprint("warranty", __name__, url_prefix="/warranty", template_folder="templates")


def customer_choices():
    rows = db.session.execute(
        scoped(select(Organisation.id, Organisation.name), Organisation.id)
        .where(Organisation.kind == OrganisationKind.CUSTOMER, Organisation.active.is_(True))
        .order_by(Organisation.name)).all()
    return [(0, "—")] + [(row.id, row.name) for row in rows]


def visible_units():
    return scoped(select(Unit), Unit.customer_id)


def scoped_one_or_404(stmt, *owner_columns):
    """One row of ``stmt`` (already joined to its owner), or 404 when it is not the user's to see."""
    from flask import abort

    found = db.session.scalar(scoped(stmt, *owner_columns))
    if found is None:
        abort(404)
    return found


def load_task_book(book_id) -> TaskBook:
    from core.cases.models import Case

    return scoped_one_or_404(select(TaskBook).join(Case, TaskBook.case_id == Case.id)
                             .where(TaskBook.id == book_id), Case.customer_id, Case.partner_id)


def load_visit(visit_id) -> Visit:
    return scoped_one_or_404(select(Visit).join(MaintenanceCard, Visit.card_id == MaintenanceCard.id)
                             .join(Unit, MaintenanceCard.unit_id == Unit.id).where(Visit.id == visit_id),
                             Unit.customer_id)


def load_card(card_id) -> WarrantyCard:
    return scoped_one_or_404(select(WarrantyCard).join(Unit, WarrantyCard.unit_id == Unit.id)
                             .where(WarrantyCard.id == card_id), Unit.customer_id)


def load_unit(unit_id) -> Unit:
    return get_scoped_or_404(Unit, unit_id, Unit.customer_id, options=(joinedload(Unit.customer),))


# --- The installed base ------------------------------------------------------------------

@bp.route("/")
@requires("warranty.view")
def index():
    q = (request.args.get("q") or "").strip()
    stmt = visible_units().join(Product, Unit.product_id == Product.id)
    if q:
        term = f"%{q}%"
        stmt = stmt.where(or_(Unit.serial.ilike(term), Product.model.ilike(term), Unit.site.ilike(term)))
    page = max(request.args.get("page", 1, type=int), 1)
    size = policy("core.page_size")
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    units = db.session.scalars(stmt.options(joinedload(Unit.customer)).order_by(Unit.serial, Unit.id)
                               .limit(size).offset((page - 1) * size)).all()
    overdue = visits.overdue_unit_ids([u.id for u in units])
    return render_page("warranty/index.html", units=units, q=q, page=page, total=total,
                       pages=max((total + size - 1) // size, 1), overdue=overdue,
                       entitlements={u.id: services.entitlement(u) for u in units})


@bp.route("/lookup")
@requires("warranty.lookup")
def lookup():
    """W9: customer service checks a serial's warranty first (htmx swaps the answer in)."""
    form = f.LookupForm(request.args, meta={"csrf": False})
    found, entitlement, status = None, None, 200
    if request.args.get("serial"):
        if form.validate():
            stmt = visible_units().where(Unit.serial == (form.serial.data or "").strip())
            if form.model.data:
                stmt = stmt.join(Product, Unit.product_id == Product.id).where(Product.model == (form.model.data or "").strip())
            matches = db.session.scalars(stmt.limit(2)).all()
            if len(matches) == 1:
                found = matches[0]
                entitlement = services.entitlement(found, certificate_shown=request.args.get("certificate") != "0")
            elif matches:
                form.model.errors = [gettext("Several products share this serial: give the model.")]
                status = 422
            else:
                form.serial.errors = [gettext("No unit with this serial number.")]
                status = 422
        else:
            status = 422
    return render_page("warranty/lookup.html", "warranty/_entitlement_answer.html", status=status,
                       form=form, unit=found, entitlement=entitlement)


@bp.route("/products", methods=["GET", "POST"])
@requires("warranty.manage")
def products():
    form = f.ProductForm()
    form.policy_id.choices = [(0, gettext("Default terms"))] + [
        (p.id, p.name) for p in db.session.scalars(select(WarrantyPolicy).order_by(WarrantyPolicy.name))]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                chosen = db.session.get(WarrantyPolicy, form.policy_id.data) if form.policy_id.data else None
                services.create_product(form.model.data, form.name.data, form.family.data, form.maker.data, chosen)
                db.session.commit()
                flash(gettext("Product added."), "success")
                return redirect(url_for("warranty.products"))
            except BusinessRuleError as error:
                db.session.rollback()
                attach_error(form, error)
        status = 422
    rows = db.session.scalars(select(Product).order_by(Product.model)).all()
    return render_page("warranty/products.html", form=form, products=rows, status=status)


@bp.route("/units/new", methods=["GET", "POST"])
@requires("warranty.manage")
def new_unit():
    form = f.UnitForm()
    form.product_id.choices = [(0, "—")] + [(p.id, str(p)) for p in db.session.scalars(select(Product).order_by(Product.model))]
    form.customer_id.choices = customer_choices()
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                unit = services.create_unit(
                    db.session.get(Product, form.product_id.data), form.serial.data, form.customer_id.data,
                    site=form.site.data, delivered_on=form.delivered_on.data, installed_on=form.installed_on.data,
                    completed_on=form.completed_on.data)
                db.session.commit()
                flash(gettext("Unit registered."), "success")
                return redirect(url_for("warranty.unit", unit_id=unit.id))
            except BusinessRuleError as error:
                db.session.rollback()
                attach_error(form, error)
        status = 422
    return render_page("warranty/unit_new.html", form=form, status=status)


def import_unit_row(row: dict) -> Unit:
    """One CSV row: product model, serial, customer (name or id), site and dates (YYYY-MM-DD)."""
    from datetime import date

    from core.csv_import import RowError

    product = services.find_product(row.get("model", ""))
    if product is None:
        raise RowError(gettext("Unknown product model %(model)s.", model=row.get("model", "")))
    customer_ref = row.get("customer", "")
    customer = db.session.scalar(select(Organisation).where(
        Organisation.kind == OrganisationKind.CUSTOMER,
        or_(Organisation.name == customer_ref, Organisation.tax_id == customer_ref)))
    if customer is None:
        raise RowError(gettext("Unknown customer %(name)s.", name=customer_ref))

    def day(name):
        value = row.get(name, "")
        try:
            return date.fromisoformat(value) if value else None
        except ValueError:
            raise RowError(gettext("%(column)s is not a date (YYYY-MM-DD).", column=name))

    dates = dict(delivered_on=day("delivered_on"), installed_on=day("installed_on"), completed_on=day("completed_on"))
    services.check_new_unit(product, row.get("serial", ""), customer.id, **dates)
    return services.create_unit(product, row.get("serial", ""), customer.id, site=row.get("site", ""), **dates)


@bp.route("/units/import", methods=["GET", "POST"])
@requires("warranty.manage")
def import_units():
    form = f.ImportForm()
    report, status = None, 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                report = import_csv(form.file.data.read(), ["model", "serial", "customer"], import_unit_row)
                status = 200 if report.ok else 422
            except BusinessRuleError as error:
                db.session.rollback()
                attach_error(form, error)
                status = 422
        else:
            status = 422
    return render_page("warranty/import.html", "warranty/_import_result.html", form=form, report=report,
                       status=status)


def unit_context(unit: Unit, **forms):
    card = visits.card_for(unit)
    installation = handover.installation_for_unit(unit)
    contracts = db.session.scalars(select(MaintenanceContract).where(MaintenanceContract.unit_id == unit.id)
                                   .order_by(MaintenanceContract.starts_on)).all()
    supervisors = [(0, "—")] + [(u.id, u.display_name) for u in internal_users()]
    report_form = forms.get("report_form") or f.VisitReportForm(formdata=None)
    report_form.supervisor_id.choices = supervisors
    return dict(
        unit=unit, entitlement=services.entitlement(unit), terms=services.terms_for(unit.product), card=card,
        installation=installation, contracts=contracts, records=records.records_of(unit),
        kept_until=records.kept_until, today=services.today(),
        acceptance_form=forms.get("acceptance_form") or f.AcceptanceForm(formdata=None),
        card_form=forms.get("card_form") or f.CardForm(formdata=None),
        contract_form=forms.get("contract_form") or f.ContractForm(formdata=None),
        renew_form=f.RenewForm(formdata=None), report_form=report_form, delete_form=f.EmptyForm(formdata=None),
        install_form=f.EmptyForm(formdata=None), error=forms.get("error"),
    )


@bp.route("/units/<int:unit_id>")
@requires("warranty.view")
def unit(unit_id):
    return render_page("warranty/unit.html", **unit_context(load_unit(unit_id)))


def unit_action(unit_id, form_cls, form_name, run):
    unit = load_unit(unit_id)
    form = form_cls()
    if form_name == "report_form":
        form.supervisor_id.choices = [(0, "—")] + [(u.id, u.display_name) for u in internal_users()]
    if form.validate_on_submit():
        try:
            message = run(unit, form)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("warranty.unit", unit_id=unit.id))
        except BusinessRuleError as error:
            db.session.rollback()
            unit = load_unit(unit_id)
            attach_error(form, error)
    return render_page("warranty/unit.html", status=422, **unit_context(unit, **{form_name: form}))


def store_scan(upload) -> tuple[str, str]:
    """Keep the scanned acceptance report on disk by checksum."""
    if upload is None or not getattr(upload, "filename", ""):
        return "", ""
    data = upload.read()
    if not data:
        return "", ""
    if upload.mimetype not in ("application/pdf", "image/jpeg", "image/png"):
        raise BusinessRuleError(gettext("Upload the scan as PDF, JPEG or PNG."), field="scan")
    if len(data) > policy("core.attachment_max_bytes"):
        raise BusinessRuleError(gettext("The file is too large."), field="scan")
    digest = hashlib.sha256(data).hexdigest()
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / digest[:2]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / digest).write_bytes(data)
    return Path(upload.filename).name[:255], digest


@bp.route("/units/<int:unit_id>/acceptance", methods=["POST"])
@requires("warranty.manage")
def acceptance(unit_id):
    def run(unit, form):
        name, digest = store_scan(form.scan.data)
        services.record_acceptance(unit, form.accepted_on.data, form.accepted_by_customer.data,
                                   form.accepted_by_company.data, scan_name=name, scan_sha256=digest)
        if visits.card_for(unit) is None:
            visits.plan_visits(unit)
        return gettext("Acceptance recorded: the warranty has started.")

    return unit_action(unit_id, f.AcceptanceForm, "acceptance_form", run)


@bp.route("/units/<int:unit_id>/installation", methods=["POST"])
@requires("warranty.installation")
def start_installation(unit_id):
    unit = load_unit(unit_id)
    try:
        installation = handover.start_installation(unit)
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        return render_page("warranty/unit.html", status=422, **unit_context(load_unit(unit_id), error=error.message))
    return redirect(url_for("cases.show", case_id=installation.case_id))


@bp.route("/units/<int:unit_id>/card", methods=["POST"])
@requires("warranty.cards")
def issue_card(unit_id):
    return unit_action(unit_id, f.CardForm, "card_form",
                       lambda unit, form: gettext("Card %(number)s issued.",
                                                  number=records.issue_card(unit, form.language.data).number))


@bp.route("/cards/<int:card_id>.pdf")
@requires("warranty.view")
def card_pdf(card_id):
    card = load_card(card_id)
    return records.card_pdf(card).response(f"{card.number}.pdf")


@bp.route("/units/<int:unit_id>/contract", methods=["POST"])
@requires("warranty.contracts")
def sign_contract(unit_id):
    def run(unit, form):
        fees.sign_contract(unit, form.starts_on.data, form.visits_per_year.data, form.price.data)
        return gettext("Maintenance contract signed.")

    return unit_action(unit_id, f.ContractForm, "contract_form", run)


@bp.route("/contracts/<int:contract_id>/renew", methods=["POST"])
@requires("warranty.contracts")
def renew_contract(contract_id):
    contract = get_scoped_or_404(MaintenanceContract, contract_id, MaintenanceContract.customer_id)

    def run(unit, form):
        fees.renew_contract(contract, form.price.data)
        return gettext("Contract renewed.")

    return unit_action(contract.unit_id, f.RenewForm, "renew_form", run)


# --- Service requests (M1) -------------------------------------------------------------------

@bp.route("/requests/new", methods=["GET", "POST"])
@requires("warranty.request")
def new_request():
    form = f.ServiceRequestForm()
    form.customer_id.choices = customer_choices()
    status, found = 200, None
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                if form.serial.data:
                    found = services.find_unit(form.serial.data)
                    if found is None:
                        raise BusinessRuleError(gettext("No unit with this serial number."), field="serial")
                case = emergency.open_service_request(
                    form.customer_id.data, unit=found, owner_name=form.owner_name.data,
                    owner_phone=form.owner_phone.data, owner_address=form.owner_address.data,
                    content=form.content.data, requirements=form.requirements.data, emergency=form.emergency.data,
                    complaint=form.complaint.data, accident=form.accident.data,
                    certificate_shown=form.certificate_shown.data)
                db.session.commit()
                flash(gettext("Case %(number)s opened.", number=case.number), "success")
                return redirect(url_for("cases.show", case_id=case.id))
            except BusinessRuleError as error:
                db.session.rollback()
                attach_error(form, error)
        status = 422
    return render_page("warranty/request_new.html", form=form, status=status)


# --- Queues: task books, visits, registration forms ----------------------------------------------

@bp.route("/task-books")
@requires("warranty.view")
def task_books():
    rows = db.session.scalars(
        select(TaskBook).options(joinedload(TaskBook.case), joinedload(TaskBook.responsible))
        .where(TaskBook.status != "completed").order_by(TaskBook.created_at)).all()
    staff = [(0, "—")] + [(u.id, u.display_name) for u in internal_users()]
    plan_form = f.PlanForm(formdata=None)
    plan_form.responsible_id.choices = staff
    return render_page("warranty/task_books.html", books=rows, decision_form=f.DecisionForm(formdata=None),
                       resubmit_form=f.ResubmitForm(formdata=None), plan_form=plan_form,
                       complete_form=f.CompleteForm(formdata=None))


def task_book_action(book_id, form_cls, run):
    book = load_task_book(book_id)
    form = form_cls()
    if hasattr(form, "responsible_id"):
        form.responsible_id.choices = [(0, "—")] + [(u.id, u.display_name) for u in internal_users()]
    if form.validate_on_submit():
        try:
            message = run(book, form)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("warranty.task_books"))
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
    rows = db.session.scalars(select(TaskBook).where(TaskBook.status != "completed").order_by(TaskBook.created_at)).all()
    plan_form = f.PlanForm(formdata=None)
    plan_form.responsible_id.choices = [(0, "—")] + [(u.id, u.display_name) for u in internal_users()]
    context = dict(books=rows, decision_form=f.DecisionForm(formdata=None), resubmit_form=f.ResubmitForm(formdata=None),
                   plan_form=plan_form, complete_form=f.CompleteForm(formdata=None), failed_id=book_id)
    context[{f.DecisionForm: "decision_form", f.ResubmitForm: "resubmit_form", f.PlanForm: "plan_form",
             f.CompleteForm: "complete_form"}[form_cls]] = form
    return render_page("warranty/task_books.html", status=422, **context)


@bp.route("/task-books/<int:book_id>/review", methods=["POST"])
@requires("warranty.task_book_review")
def review_task_book(book_id):
    return task_book_action(book_id, f.DecisionForm, lambda book, form: (
        maintenance.review_task_book(book, current_user, form.decision.data == "approve", form.reason.data),
        gettext("Task book reviewed."))[1])


@bp.route("/task-books/<int:book_id>/approve", methods=["POST"])
@requires("warranty.task_book_approve")
def approve_task_book(book_id):
    return task_book_action(book_id, f.DecisionForm, lambda book, form: (
        maintenance.approve_task_book(book, current_user, form.decision.data == "approve", form.reason.data),
        gettext("Task book decided."))[1])


@bp.route("/task-books/<int:book_id>/resubmit", methods=["POST"])
@requires("warranty.task_book")
def resubmit_task_book(book_id):
    return task_book_action(book_id, f.ResubmitForm, lambda book, form: (
        maintenance.resubmit_task_book(book, form.root_causes.data, form.measures.data),
        gettext("Task book sent for review again."))[1])


@bp.route("/task-books/<int:book_id>/plan", methods=["POST"])
@requires("warranty.task_book_plan")
def plan_task_book(book_id):
    def run(book, form):
        from core.auth.models import User

        responsible = db.session.get(User, form.responsible_id.data) if form.responsible_id.data else None
        maintenance.plan_task_book(book, form.due_on.data, responsible, form.director_available.data)
        return gettext("Task book assigned.")

    return task_book_action(book_id, f.PlanForm, run)


@bp.route("/task-books/<int:book_id>/complete", methods=["POST"])
@requires("warranty.task_book")
def complete_task_book(book_id):
    return task_book_action(book_id, f.CompleteForm, lambda book, form: (
        maintenance.complete_task_book(book, form.confirmed_by.data),
        gettext("Completed: the registration form went to production and finance."))[1])


@bp.route("/visits")
@requires("warranty.view")
def visit_list():
    show = request.args.get("show", "overdue")
    rows = visits.overdue_visits() if show == "overdue" else visits.upcoming_visits()
    return render_page("warranty/visits.html", visits=rows, show=show, today=services.today())


@bp.route("/visits/<int:visit_id>/report", methods=["POST"])
@requires("warranty.visit")
def report_visit(visit_id):
    from core.auth.models import User

    visit = load_visit(visit_id)

    def run(unit, form):
        supervisor = db.session.get(User, form.supervisor_id.data) if form.supervisor_id.data else None
        visits.report_visit(visit, opinions=form.opinions.data, defects=form.defects.data, supervisor=supervisor,
                            corrective_measure=form.corrective_measure.data, done_on=form.done_on.data)
        return gettext("Visit report sent to the supervisor.")

    return unit_action(visit.card.unit_id, f.VisitReportForm, "report_form", run)


@bp.route("/registrations")
@requires("warranty.registrations")
def registrations():
    rows = db.session.scalars(select(RegistrationForm).options(
        joinedload(RegistrationForm.task_book).joinedload(TaskBook.case),
        joinedload(RegistrationForm.task_book).joinedload(TaskBook.responsible))
        .order_by(RegistrationForm.created_at.desc())).all()
    return render_page("warranty/registrations.html", forms=rows)


# --- V4: deleting a record ------------------------------------------------------------------------

@bp.route("/records/<kind>/<int:record_id>/delete", methods=["POST"])
@requires("warranty.records_delete")
def delete_record(kind, record_id):
    try:
        item = records.find_record(kind, record_id)
        unit_id = item.unit_id if hasattr(item, "unit_id") else None
        if isinstance(item, Visit):
            unit_id = item.card.unit_id
        if isinstance(item, RegistrationForm):
            unit_id = item.task_book.unit_id
        records.delete_record(kind, record_id)
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        if error.message == gettext("No such record.") or error.message == gettext("Unknown kind of record."):
            from flask import abort
            abort(404)
        target = url_for("warranty.unit", unit_id=unit_id) if unit_id else url_for("warranty.index")
        return render_page("warranty/refused.html", status=422, message=error.message, back=target)
    flash(gettext("Record deleted."), "success")
    return redirect(url_for("warranty.unit", unit_id=unit_id) if unit_id else url_for("warranty.index"))


# --- Reports ------------------------------------------------------------------------------------

@bp.route("/reports")
@requires("warranty.reports")
def report_page():
    dimension = request.args.get("by", "product")
    if dimension not in reports.PARETO_DIMENSIONS:
        dimension = "product"
    pareto = reports.failure_pareto(dimension)
    return render_page("warranty/reports.html", compliance=reports.deadline_compliance(), pareto=pareto,
                       pareto_svg=reports.pareto_svg(pareto), dimension=dimension,
                       visit_rows=reports.visit_compliance())


@bp.route("/reports/<name>.csv")
@requires("warranty.reports")
def report_csv(name):
    exporters = {
        "deadlines": reports.deadline_rows_csv, "pareto": reports.pareto_rows_csv,
        "visits": reports.visit_rows_csv, "units": reports.unit_rows_csv,
    }
    if name not in exporters:
        from flask import abort
        abort(404)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in exporters[name](request.args):
        writer.writerow(row)
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f"attachment; filename=warranty-{name}.csv"})


from . import case_views  # noqa: E402,F401  (registers the case-panel actions on bp)
