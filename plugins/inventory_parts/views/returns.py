"""Stock a dealer returns (D13) and part failures (W5)."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select

from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404, scoped
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy
from core.web import attach_error, csv_response, render_page

from ..forms import RETURN_REASON_LABELS, FailureForm, ReceiveReturnForm, ReturnForm
from ..models import OrderState, PartFailure, PartsOrder, StockReturn
from ..services import life, returns as return_service
from ..services.stock import part_by_number
from . import bp


def _delivered_orders():
    return db.session.scalars(
        scoped(select(PartsOrder), PartsOrder.dealer_org_id)
        .where(PartsOrder.state == OrderState.CLOSED).order_by(PartsOrder.closed_at.desc())
    ).all()


def _returns_page(form=None, receive_forms=None, status=200):
    listed = db.session.scalars(
        scoped(select(StockReturn), StockReturn.dealer_org_id).order_by(StockReturn.requested_at.desc()).limit(200)
    ).all()
    if form is None:
        form = ReturnForm()
        form.order_id.choices = [(o.id, f"{o.number} · {o.dealer.name}") for o in _delivered_orders()]
    receive_forms = receive_forms or {}
    return render_page("inventory_parts/returns.html", returns=listed, form=form, reasons=RETURN_REASON_LABELS,
                       receive_form_for=lambda r: receive_forms.get(r.id) or ReceiveReturnForm(prefix=f"r{r.id}"),
                       payer=return_service.freight_payer, status=status)


@bp.route("/returns")
@requires("inventory.stock.view")
def returns():
    return _returns_page()


@bp.route("/returns/new", methods=["POST"])
@requires("inventory.return.request")
def return_new():
    form = ReturnForm()
    form.order_id.choices = [(o.id, f"{o.number} · {o.dealer.name}") for o in _delivered_orders()]
    if form.validate_on_submit():
        try:
            order = get_scoped_or_404(PartsOrder, form.order_id.data, PartsOrder.dealer_org_id)
            part = part_by_number(form.part_number.data)
            return_service.request_return(order, part.id, form.quantity.data, form.reason.data)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Return requested."), "success")
            return redirect(url_for("inventory_parts.returns"))
    return _returns_page(form=form, status=422)


@bp.route("/returns/<int:return_id>/receive", methods=["POST"])
@requires("inventory.return.receive")
def return_receive(return_id):
    stock_return = get_scoped_or_404(StockReturn, return_id, StockReturn.dealer_org_id)
    form = ReceiveReturnForm(prefix=f"r{return_id}")
    if form.validate_on_submit():
        try:
            return_service.receive_return(stock_return, form.freight_cost.data, form.restoration_cost.data)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Return received."), "success")
            return redirect(url_for("inventory_parts.returns"))
    return _returns_page(receive_forms={return_id: form}, status=422)


def _failures_query():
    stmt = select(PartFailure)
    if not request.args.get("all"):
        stmt = stmt.where(PartFailure.abnormal.is_(True))
    return stmt


@bp.route("/life")
@requires("inventory.life.view")
def life_report():
    """W5: parts that failed well before their normal service life."""
    return _life_page(FailureForm())


@bp.route("/life", methods=["POST"])
@requires("inventory.life.record")
def life_record():
    """Record a part failure (the report page's form)."""
    form = FailureForm()
    if form.validate_on_submit():
        try:
            part = part_by_number(form.part_number.data)
            life.record_failure(part, form.fitted_on.data, form.failed_on.data, form.serial.data,
                                form.reference.data)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Failure recorded."), "success")
            return redirect(url_for("inventory_parts.life_report", all=1))
    return _life_page(form, status=422)


def _life_page(form, status: int = 200):
    stmt = _failures_query()
    page = max(request.args.get("page", 1, type=int), 1)
    size = policy("core.page_size")
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    failures = db.session.scalars(stmt.order_by(PartFailure.failed_on.desc(), PartFailure.id.desc())
                                  .limit(size).offset((page - 1) * size)).all()
    return render_page("inventory_parts/life.html", form=form, failures=failures, total=total, page=page,
                       pages=max((total + size - 1) // size, 1), status=status,
                       ratio=policy("inventory_parts.abnormal_life_ratio"))


@bp.route("/life.csv")
@requires("inventory.life.view")
def life_export():
    failures = db.session.scalars(_failures_query().order_by(PartFailure.failed_on))
    return csv_response("abnormal-life.csv", ["part_number", "part", "serial", "fitted_on", "failed_on",
                                              "life_months", "normal_life_months", "abnormal", "reference"], (
        [f.part.number, f.part.name, f.serial, f.fitted_on, f.failed_on, f.life_months,
         f.normal_life_months or "", "yes" if f.abnormal else "no", f.reference] for f in failures
    ))
