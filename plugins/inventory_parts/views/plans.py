"""Seasons, reserve plans (D11) and the coverage view."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404, owner_for_new_record, scoped
from core.clock import today
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy
from core.web import attach_error, csv_response, render_page

from ..forms import DECISION_LABELS, AddLineForm, DecideLineForm, PlanForm, ReasonForm, SeasonForm
from ..models import PartsOrder, PlanState, ReservePlan, ReservePlanLine, Season
from ..services import plans as plan_service
from ..services.reports import plan_coverage
from ..services.stock import part_by_number
from . import bp
from .common import dealer_choices, requested_dealer


def _season_choices():
    return [(s.id, s.name) for s in db.session.scalars(select(Season).order_by(Season.opens_on.desc()))]


@bp.route("/seasons", methods=["GET", "POST"])
@requires("inventory.catalogue.manage")
def seasons():
    form = SeasonForm()
    if form.validate_on_submit():
        try:
            plan_service.save_season(form.name.data, form.opens_on.data, form.closes_on.data)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Season saved."), "success")
            return redirect(url_for("inventory_parts.seasons"))
    listed = db.session.scalars(select(Season).order_by(Season.opens_on.desc())).all()
    return render_page("inventory_parts/seasons.html", form=form, seasons=listed, due_date=plan_service.due_date,
                       status=422 if form.errors else 200)


def _plans_query():
    stmt = scoped(select(ReservePlan), ReservePlan.dealer_org_id)
    season_id = request.args.get("season", type=int)
    if season_id:
        stmt = stmt.where(ReservePlan.season_id == season_id)
    state = request.args.get("state")
    if state in PlanState.ALL:
        stmt = stmt.where(ReservePlan.state == state)
    return stmt


@bp.route("/plans")
@requires("inventory.plan.view")
def plans():
    stmt = _plans_query()
    page = max(request.args.get("page", 1, type=int), 1)
    size = policy("core.page_size")
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    listed = db.session.scalars(
        stmt.join(Season, Season.id == ReservePlan.season_id)
        .order_by(Season.opens_on.desc(), ReservePlan.id.desc()).limit(size).offset((page - 1) * size)
    ).all()
    return render_page("inventory_parts/plans.html", plans=listed, total=total, page=page,
                       pages=max((total + size - 1) // size, 1), seasons=_season_choices(), states=PlanState.ALL,
                       due_date=plan_service.due_date)


@bp.route("/plans/new", methods=["GET", "POST"])
@requires("inventory.plan.propose")
def plan_new():
    form = PlanForm()
    form.dealer_org_id.choices = [(0, "—")] + dealer_choices()
    form.season_id.choices = _season_choices()
    if form.validate_on_submit():
        try:
            dealer_id = owner_for_new_record(requested_dealer(form.dealer_org_id.data or None),
                                             field="dealer_org_id")
            season = db.session.get(Season, form.season_id.data)
            if season is None:
                raise BusinessRuleError(gettext("Choose a season."), field="season_id")
            plan = plan_service.create_plan(dealer_id, season)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Draft plan created with suggested quantities."), "success")
            return redirect(url_for("inventory_parts.plan", plan_id=plan.id))
    return render_page("inventory_parts/plan_form.html", form=form, status=422 if form.errors else 200,
                       due_days=policy("inventory_parts.plan_due_days_before_season"))


def load_plan(plan_id) -> ReservePlan:
    return get_scoped_or_404(ReservePlan, plan_id, ReservePlan.dealer_org_id,
                             options=(selectinload(ReservePlan.lines).joinedload(ReservePlanLine.part),))


def _page(plan: ReservePlan, status: int = 200, **forms):
    return render_page(
        "inventory_parts/plan.html", "inventory_parts/_plan_body.html", status=status, plan=plan,
        due_date=plan_service.due_date(plan.season), today=today(),
        line_errors=forms.get("line_errors") or {},
        add_form=forms.get("add_form") or AddLineForm(),
        decline_form=forms.get("decline_form") or ReasonForm(prefix="decline"),
        late_form=forms.get("late_form") or ReasonForm(prefix="late"),
        typed=forms.get("typed") or {},
        decide_form_for=lambda line: (forms.get("decide_forms") or {}).get(line.id) or DecideLineForm(
            prefix=f"line{line.id}", quantity=line.proposed_quantity),
        decisions=DECISION_LABELS, action_error=forms.get("action_error"),
        plan_minimum=policy("inventory_parts.wear_part_minimum"),
        history_months=policy("inventory_parts.failure_history_months"),
        orders=db.session.scalars(select(PartsOrder).where(PartsOrder.plan_id == plan.id)).all(),
    )


@bp.route("/plans/<int:plan_id>")
@requires("inventory.plan.view")
def plan(plan_id):
    return _page(load_plan(plan_id))


def _act(plan_id: int, action, form=None, form_name: str = "", form_key=None):
    """Run one action on a plan; answer the refreshed plan, or the form with its error (422)."""
    plan = load_plan(plan_id)

    def with_form(status):
        if form_key is not None:
            return _page(plan, status, decide_forms={form_key: form})
        return _page(plan, status, **({form_name: form} if form is not None else {}))

    if form is not None and not form.validate_on_submit():
        return with_form(422)
    try:
        message = action(plan)
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        plan = load_plan(plan_id)
        if form is None:
            return _page(plan, 422, action_error=error.message)
        attach_error(form, error)
        return with_form(422)
    if not request.htmx:
        flash(message, "success")
        return redirect(url_for("inventory_parts.plan", plan_id=plan_id))
    db.session.expire_all()
    return _page(load_plan(plan_id))


@bp.route("/plans/<int:plan_id>/quantities", methods=["POST"])
@requires("inventory.plan.propose")
def plan_quantities(plan_id):
    """Save the dealer's quantities; with ``submit`` also propose the plan (D11)."""
    plan = load_plan(plan_id)
    typed = {line.id: request.form.get(f"line-{line.id}", "").strip().replace(",", ".") for line in plan.lines}
    try:
        plan_service.set_proposed(plan, {k: v for k, v in typed.items() if v != ""})
        if request.form.get("submit"):
            plan_service.submit_plan(plan)
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        return _page(load_plan(plan_id), 422, line_errors={error.field: error.message}, typed=typed)
    submitted = plan.state == PlanState.SUBMITTED
    message = gettext("Plan proposed to the sales office.") if submitted else gettext("Quantities saved.")
    if not request.htmx:
        flash(message, "success")
        return redirect(url_for("inventory_parts.plan", plan_id=plan_id))
    db.session.expire_all()
    return _page(load_plan(plan_id))


@bp.route("/plans/<int:plan_id>/lines", methods=["POST"])
@requires("inventory.plan.propose")
def plan_add_line(plan_id):
    form = AddLineForm()

    def action(plan):
        plan_service.add_line(plan, part_by_number(form.part_number.data), form.quantity.data)
        return gettext("Part added to the plan.")

    return _act(plan_id, action, form, "add_form")


@bp.route("/plans/<int:plan_id>/decline", methods=["POST"])
@requires("inventory.plan.propose")
def plan_decline(plan_id):
    form = ReasonForm(prefix="decline")

    def action(plan):
        plan_service.decline_plan(plan, form.reason.data)
        return gettext("Plan declined.")

    return _act(plan_id, action, form, "decline_form")


@bp.route("/plans/<int:plan_id>/accept-late", methods=["POST"])
@requires("inventory.plan.decide")
def plan_accept_late(plan_id):
    form = ReasonForm(prefix="late")

    def action(plan):
        plan_service.accept_late(plan, form.reason.data)
        return gettext("Late plan accepted.")

    return _act(plan_id, action, form, "late_form")


@bp.route("/plans/<int:plan_id>/lines/<int:line_id>/decide", methods=["POST"])
@requires("inventory.plan.decide")
def plan_decide_line(plan_id, line_id):
    form = DecideLineForm(prefix=f"line{line_id}")

    def action(plan):
        line = next((line for line in plan.lines if line.id == line_id), None)
        if line is None:
            raise BusinessRuleError(gettext("The line is not in this plan."), field="decision")
        plan_service.decide_line(plan, line, form.decision.data, form.quantity.data, form.note.data)
        return gettext("Line decided.")

    return _act(plan_id, action, form, form_key=line_id)


@bp.route("/plans/<int:plan_id>/finalise", methods=["POST"])
@requires("inventory.plan.decide")
def plan_finalise(plan_id):
    def action(plan):
        order = plan_service.finalise_plan(plan)
        if order is None:
            return gettext("Plan rejected.")
        return gettext("Plan approved: order %(number)s created.", number=order.number)

    return _act(plan_id, action)


@bp.route("/coverage")
@requires("inventory.plan.view")
def coverage():
    season_id = request.args.get("season", type=int)
    return render_page("inventory_parts/coverage.html", lines=plan_coverage(season_id), seasons=_season_choices(),
                       season_id=season_id)


@bp.route("/coverage.csv")
@requires("inventory.plan.view")
def coverage_export():
    lines = plan_coverage(request.args.get("season", type=int))
    return csv_response("plan-coverage.csv", ["season", "dealer", "part_number", "part", "approved", "on_hand",
                                              "on_order", "covered_pct"], (
        [c.plan.season.name, c.plan.dealer.name, c.line.part.number, c.line.part.name, c.line.approved_quantity,
         c.on_hand, c.on_order, c.covered_pct] for c in lines
    ))
