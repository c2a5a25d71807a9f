"""Three-guarantee tasks: taken in, dispatched, arranged, reported, checked (D2-D4, S7-S10)."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext, lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.auth.models import Department, Organisation, OrganisationKind
from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404
from core.auth.services import internal_users
from core.clock import now
from core.deadlines import clocks_for_case, deadline_policies
from core.errors import BusinessRuleError
from core.extensions import db
from core.web import attach_error, render_page

from ..forms import ArrangeForm, CheckForm, ClassifyForm, DispatchForm, ReportForm, TaskForm
from ..models import Task
from ..services import profiles, tasks
from .blueprint import bp
from .common import run_form

TASK_OPTIONS = (joinedload(Task.case), joinedload(Task.dealer), joinedload(Task.department), joinedload(Task.sales_rep))


def load_task(task_id) -> Task:
    return get_scoped_or_404(Task, task_id, Task.dealer_id, options=TASK_OPTIONS)


def dispatch_form(form=None) -> DispatchForm:
    form = form or DispatchForm()
    form.dealer_id.choices = [(0, "—")] + profiles.dealer_choices()
    form.department_id.choices = [(0, "—")] + [(d.id, d.name) for d in db.session.scalars(
        select(Department).order_by(Department.name))]
    form.sales_rep_id.choices = [(0, "—")] + [(u.id, u.display_name) for u in internal_users()
                                              if u.can("dealers.spot_check")]
    return form


def task_context(task: Task, **forms) -> dict:
    return dict(
        task=task, at=now(), clocks=clocks_for_case(task.case_id), policies=deadline_policies(),
        dispatch_form=dispatch_form(forms.get("dispatch_form")),
        arrange_form=forms.get("arrange_form") or ArrangeForm(),
        classify_form=forms.get("classify_form") or ClassifyForm(fault_class=task.fault_class),
        report_form=forms.get("report_form") or ReportForm(),
        check_form=forms.get("check_form") or CheckForm(),
    )


def task_action(task_id: int, form, form_name: str, action):
    """Run one action on the task; answer the refreshed task body, or the form with its error (422)."""
    task = load_task(task_id)
    status = 200
    if form_name == "dispatch_form":
        dispatch_form(form)
    if form.validate_on_submit():
        try:
            message = action(task, form)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
            status = 422
        else:
            if not request.htmx:
                flash(message, "success")
                return redirect(url_for("dealers.task_show", task_id=task_id))
            form = None
    else:
        status = 422
    task = load_task(task_id)
    forms = {form_name: form} if form is not None else {}
    return render_page("dealers/task.html", "dealers/_task_body.html", status=status, **task_context(task, **forms))


@bp.route("/tasks", endpoint="tasks")
@requires("dealers.task.work")
def task_list():
    rows = db.session.scalars(
        tasks.visible_tasks().options(*TASK_OPTIONS).order_by(Task.emergency.desc(), Task.id.desc()).limit(200)
    ).all()
    return render_page("dealers/tasks.html", tasks=rows)


@bp.route("/tasks/new", methods=["GET", "POST"], endpoint="task_new")
@requires("dealers.task.manage")
def task_new():
    form = TaskForm()
    form.customer_id.choices = [(o.id, o.name) for o in db.session.scalars(
        select(Organisation).where(Organisation.kind == OrganisationKind.CUSTOMER, Organisation.active.is_(True))
        .order_by(Organisation.name))]
    opened = {}

    def action(form):
        opened["task"] = tasks.open_task(
            form.kind.data, form.customer_id.data, form.title.data, description=form.description.data,
            emergency=form.emergency.data, product_family=(form.product_family.data or "").strip(),
            subcontracted=form.subcontracted.data, contact_name=form.contact_name.data,
            contact_phone=form.contact_phone.data, site=form.site.data,
        )
        return gettext("Task received.")

    return run_form(form, action, lambda: url_for("dealers.task_show", task_id=opened["task"].id),
                    "dealers/form.html", title=_l("Take in a request"), submit=_l("Save"), form_id="task-form")


@bp.route("/tasks/<int:task_id>", endpoint="task_show")
@requires("dealers.task.work")
def task_show(task_id):
    return render_page("dealers/task.html", **task_context(load_task(task_id)))


@bp.route("/tasks/<int:task_id>/dispatch", methods=["POST"], endpoint="task_dispatch")
@requires("dealers.task.manage")
def task_dispatch(task_id):
    def action(task, form):
        tasks.dispatch_task(task, form.assignee_kind.data, dealer_id=form.dealer_id.data or None,
                            department_id=form.department_id.data or None, sales_rep_id=form.sales_rep_id.data or None)
        return gettext("Task dispatched.")

    return task_action(task_id, DispatchForm(), "dispatch_form", action)


@bp.route("/tasks/<int:task_id>/arrange", methods=["POST"], endpoint="task_arrange")
@requires("dealers.task.work")
def task_arrange(task_id):
    def action(task, form):
        tasks.arrange_task(task, form.arrangement.data)
        return gettext("Task arranged.")

    return task_action(task_id, ArrangeForm(), "arrange_form", action)


@bp.route("/tasks/<int:task_id>/classify", methods=["POST"], endpoint="task_classify")
@requires("dealers.task.work")
def task_classify(task_id):
    def action(task, form):
        tasks.classify_fault(task, form.fault_class.data)
        return gettext("Fault classified.")

    return task_action(task_id, ClassifyForm(), "classify_form", action)


@bp.route("/tasks/<int:task_id>/report", methods=["POST"], endpoint="task_report")
@requires("dealers.task.work")
def task_report(task_id):
    def action(task, form):
        tasks.report_task(task, form.report.data, form.user_notified.data)
        return gettext("Reported to the technical department.")

    return task_action(task_id, ReportForm(), "report_form", action)


@bp.route("/tasks/<int:task_id>/check", methods=["POST"], endpoint="task_check")
@requires("dealers.task.manage")
def task_check(task_id):
    def action(task, form):
        tasks.check_task(task, form.implemented.data == "yes", form.note.data)
        return gettext("Implementation checked.")

    return task_action(task_id, CheckForm(), "check_form", action)
