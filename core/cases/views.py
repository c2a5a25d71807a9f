"""The case list and the case page (HTMX: actions swap fragments, no full reload)."""
from __future__ import annotations

import csv
import io

from flask import Blueprint, Response, abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import joinedload

from core.auth.models import Organisation, OrganisationKind, User
from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404, scoped
from core.auth.services import internal_users
from core.clock import now
from core.deadlines import ClockStatus, DeadlineClock, clocks_for_case, deadline_policies
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy
from core.web import render_page, sorted_panels

from . import services
from .forms import AssignForm, AttachmentForm, CaseFilterForm, CaseForm, CommentForm, ServiceLogForm, StatusForm
from .models import Attachment, Case, CaseStatus, TimelineEvent
from .timeline import event_types

bp = Blueprint("cases", __name__, url_prefix="/cases")


def visible_cases():
    """Cases the current user may see: all for staff, their own organisation's otherwise."""
    return scoped(select(Case), Case.customer_id, Case.partner_id)


def load_case(case_id) -> Case:
    return get_scoped_or_404(
        Case, case_id, Case.customer_id, Case.partner_id,
        # People shown by name only: their roles are never read here, so never loaded.
        options=(joinedload(Case.customer), joinedload(Case.partner),
                 joinedload(Case.assignee).lazyload(User.roles)),
    )


def overdue_clause(at):
    """A case is overdue while one of its clocks runs past its due time."""
    return exists().where(
        DeadlineClock.case_id == Case.id,
        DeadlineClock.status == ClockStatus.RUNNING,
        DeadlineClock.due_at < at,
    )


def filtered_cases(form: CaseFilterForm):
    stmt = visible_cases()
    if form.status.data:
        stmt = stmt.where(Case.status == form.status.data)
    elif not form.include_closed.data:
        stmt = stmt.where(Case.status.notin_(CaseStatus.FINISHED))
    if form.priority.data:
        stmt = stmt.where(Case.priority == form.priority.data)
    if form.customer_id.data:
        stmt = stmt.where(Case.customer_id == form.customer_id.data)
    if form.customer.data:
        name = f"%{form.customer.data.strip()}%"
        stmt = stmt.where(Case.customer_id.in_(select(Organisation.id).where(Organisation.name.ilike(name))))
    if form.assignee.data:
        stmt = stmt.where(Case.assignee_id == form.assignee.data)
    if form.overdue.data:
        stmt = stmt.where(overdue_clause(now()))
    if form.q.data:
        term = f"%{(form.q.data or '').strip()}%"
        stmt = stmt.where(or_(Case.number.ilike(term), Case.title.ilike(term), Case.contact_name.ilike(term)))
    return stmt


def next_due_clocks(case_ids: list[int]) -> dict[int, DeadlineClock]:
    """The running clock due soonest for each case (one query for the whole page)."""
    if not case_ids:
        return {}
    clocks = db.session.scalars(
        select(DeadlineClock)
        .where(DeadlineClock.case_id.in_(case_ids), DeadlineClock.status == ClockStatus.RUNNING)
        .order_by(DeadlineClock.due_at)
    )
    soonest: dict[int, DeadlineClock] = {}
    for clock in clocks:
        soonest.setdefault(clock.case_id, clock)
    return soonest


def filter_form() -> CaseFilterForm:
    form = CaseFilterForm(request.args, meta={"csrf": False})
    staff = internal_users() if current_user.is_internal else []
    form.assignee.choices = [(0, gettext("All"))] + [(u.id, u.display_name) for u in staff]
    form.validate()
    return form


@bp.route("/", endpoint="list")
@requires("cases.view")
def case_list():
    form = filter_form()
    stmt = filtered_cases(form)
    page = max(request.args.get("page", 1, type=int), 1)
    size = policy("core.page_size")
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    cases = db.session.scalars(
        stmt.options(joinedload(Case.customer), joinedload(Case.assignee).lazyload(User.roles))
        .order_by(Case.opened_at.desc(), Case.id.desc())
        .limit(size)
        .offset((page - 1) * size)
    ).all()
    return render_page(
        "cases/list.html", "cases/_list_table.html",
        form=form, cases=cases, total=total, page=page, pages=max((total + size - 1) // size, 1),
        clocks=next_due_clocks([c.id for c in cases]), policies=deadline_policies(), at=now(),
    )


@bp.route("/export.csv")
@requires("cases.export")
def export():
    form = filter_form()
    rows = db.session.scalars(
        filtered_cases(form).options(joinedload(Case.customer), joinedload(Case.assignee)).order_by(Case.opened_at)
    )
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["number", "title", "customer", "channel", "priority", "status", "assignee", "opened_at", "closed_at"])
    for case in rows:
        writer.writerow([
            case.number, case.title, case.customer.name, case.channel, case.priority, case.status,
            case.assignee.display_name if case.assignee else "",
            case.opened_at.isoformat(), case.closed_at.isoformat() if case.closed_at else "",
        ])
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=cases.csv"})


def _customer_choices():
    rows = db.session.execute(
        scoped(select(Organisation.id, Organisation.name), Organisation.id)
        .where(Organisation.kind.in_([OrganisationKind.CUSTOMER, OrganisationKind.DEALER]), Organisation.active.is_(True))
        .order_by(Organisation.name)
    ).all()
    return [(row.id, row.name) for row in rows]


@bp.route("/new", methods=["GET", "POST"])
@requires("cases.create")
def new():
    form = CaseForm()
    form.customer_id.choices = _customer_choices()
    if form.validate_on_submit():
        try:
            case = services.open_case(
                form.title.data,
                form.customer_id.data,
                channel=form.channel.data,
                priority=form.priority.data,
                description=form.description.data,
                site=form.site.data,
                contact_name=form.contact_name.data,
                contact_phone=form.contact_phone.data,
                partner_id=None if current_user.is_internal else current_user.organisation_id,
            )
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            getattr(form, error.field or "title").errors.append(error.message)
        else:
            flash(gettext("Case %(number)s opened.", number=case.number), "success")
            return redirect(url_for("cases.show", case_id=case.id))
    return render_page("cases/new.html", form=form, status=422 if form.errors else 200)


def timeline_events(case: Case, type_filter: str | None):
    stmt = (
        select(TimelineEvent)
        .where(TimelineEvent.case_id == case.id)
        .options(joinedload(TimelineEvent.actor).lazyload(User.roles))
        .order_by(TimelineEvent.occurred_at.desc(), TimelineEvent.id.desc())
    )
    if type_filter:
        stmt = stmt.where(TimelineEvent.type == type_filter)
    return db.session.scalars(stmt).all()


def case_context(case: Case, **forms):
    at = now()
    hook = current_app.extensions["postventa"].hook
    staff = internal_users() if current_user.is_internal else []
    assign_form = forms.get("assign_form") or AssignForm(assignee_id=case.assignee_id or 0)
    assign_form.assignee_id.choices = [(0, gettext("Nobody"))] + [(u.id, u.display_name) for u in staff]
    type_filter = request.args.get("type") or None
    return dict(
        case=case,
        at=at,
        clocks=clocks_for_case(case.id),
        policies=deadline_policies(),
        events=timeline_events(case, type_filter),
        event_types=event_types(),
        type_filter=type_filter,
        panels=sorted_panels(hook.postventa_case_panels(case=case, user=current_user)),
        comment_form=forms.get("comment_form") or CommentForm(),
        log_form=forms.get("log_form") or ServiceLogForm(),
        status_form=forms.get("status_form") or StatusForm(status=case.status),
        assign_form=assign_form,
        attachment_form=forms.get("attachment_form") or AttachmentForm(),
    )


@bp.route("/<int:case_id>")
@requires("cases.view")
def show(case_id):
    case = load_case(case_id)
    return render_page("cases/show.html", "cases/_timeline.html", **case_context(case))


def _act(case_id: int, form_cls, form_name: str, action):
    """Run one case action from a form; answer the refreshed case body or the form with its errors."""
    case = load_case(case_id)
    form = form_cls()
    if hasattr(form, "assignee_id"):
        form.assignee_id.choices = [(0, "")] + [(u.id, u.display_name) for u in internal_users()]
    status = 200
    if form.validate_on_submit():
        try:
            message = action(case, form)
            db.session.commit()
            if not request.htmx:
                flash(message, "success")
                return redirect(url_for("cases.show", case_id=case.id))
            form = None
        except BusinessRuleError as error:
            db.session.rollback()
            case = load_case(case_id)
            getattr(form, error.field or next(iter(form._fields))).errors.append(error.message)
            status = 422
    else:
        status = 422
    forms = {form_name: form} if form is not None else {}
    return render_page("cases/show.html", "cases/_body.html", status=status, **case_context(case, **forms))


@bp.route("/<int:case_id>/comment", methods=["POST"])
@requires("cases.comment")
def comment(case_id):
    def action(case, form):
        services.add_comment(case, form.text.data)
        return gettext("Comment added.")

    return _act(case_id, CommentForm, "comment_form", action)


@bp.route("/<int:case_id>/log", methods=["POST"])
@requires("cases.comment")
def service_log(case_id):
    def action(case, form):
        services.add_service_log(case, form.kind.data, form.summary.data, form.result.data)
        return gettext("Logged.")

    return _act(case_id, ServiceLogForm, "log_form", action)


@bp.route("/<int:case_id>/status", methods=["POST"])
@requires("cases.edit")
def status(case_id):
    def action(case, form):
        services.change_status(case, form.status.data, form.note.data)
        return gettext("Status changed.")

    return _act(case_id, StatusForm, "status_form", action)


@bp.route("/<int:case_id>/assign", methods=["POST"])
@requires("cases.edit")
def assign(case_id):
    def action(case, form):
        user = None
        if form.assignee_id.data:
            user = db.session.get(User, form.assignee_id.data)
            if user is None or not user.is_internal:
                raise BusinessRuleError(gettext("Choose a member of staff."), field="assignee_id")
        services.assign(case, user)
        return gettext("Assigned.")

    return _act(case_id, AssignForm, "assign_form", action)


@bp.route("/<int:case_id>/attachments", methods=["POST"])
@requires("cases.attach")
def attach(case_id):
    def action(case, form):
        upload = form.file.data
        services.store_attachment(case, upload.filename, upload.mimetype, upload.read())
        return gettext("File attached.")

    return _act(case_id, AttachmentForm, "attachment_form", action)


@bp.route("/attachments/<int:attachment_id>")
@requires("cases.view")
def attachment(attachment_id):
    item = db.session.get(Attachment, attachment_id)
    if item is None:
        abort(404)
    load_case(item.case_id)  # 404 unless the case is the user's to see
    return send_file(services.attachment_path(item), mimetype=item.content_type,
                     download_name=item.filename, as_attachment=item.content_type not in ("image/jpeg", "image/png"))
