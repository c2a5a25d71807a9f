"""Dealer parts orders: order, ship with a delivery note, collect cash on delivery, close (D6)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, send_file, url_for
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404, owner_for_new_record, scoped
from core.auth.services import company
from core.errors import BusinessRuleError
from core.extensions import db
from core.pdf import Document
from core.policies import policy
from core.web import attach_error, csv_response, render_page

from ..forms import OrderForm, PaymentForm, SignedNoteForm
from ..models import OrderState, PartsOrder, PartsOrderLine
from ..services import orders as order_service
from ..services.stock import part_by_number
from . import bp
from .common import dealer_choices, requested_dealer



def _orders_query():
    stmt = scoped(select(PartsOrder), PartsOrder.dealer_org_id)
    state = request.args.get("state")
    if state in OrderState.ALL:
        stmt = stmt.where(PartsOrder.state == state)
    if request.args.get("unpaid"):
        stmt = stmt.where(PartsOrder.state == OrderState.SHIPPED, PartsOrder.paid_at.is_(None))
    return stmt


@bp.route("/orders")
@requires("inventory.order.view")
def orders():
    stmt = _orders_query()
    page = max(request.args.get("page", 1, type=int), 1)
    size = policy("core.page_size")
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    listed = db.session.scalars(
        stmt.options(selectinload(PartsOrder.lines)).order_by(PartsOrder.created_at.desc(), PartsOrder.id.desc())
        .limit(size).offset((page - 1) * size)
    ).all()
    return render_page("inventory_parts/orders.html", orders=listed, total=total, page=page,
                       pages=max((total + size - 1) // size, 1), states=OrderState.ALL)


@bp.route("/orders.csv")
@requires("inventory.order.view")
def orders_export():
    listed = db.session.scalars(_orders_query().options(selectinload(PartsOrder.lines))
                                .order_by(PartsOrder.created_at))
    return csv_response("parts-orders.csv", ["number", "dealer", "state", "total", "delivery_note", "paid_amount",
                                             "signed_note_returned", "created_at", "closed_at"], (
        [o.number, o.dealer.name, o.state, o.total, o.delivery_note_number or "",
         "" if o.paid_amount is None else o.paid_amount, "yes" if o.has_signed_note else "no",
         o.created_at.isoformat(), o.closed_at.isoformat() if o.closed_at else ""]
        for o in listed
    ))


@bp.route("/orders/new", methods=["GET", "POST"])
@requires("inventory.order.create")
def order_new():
    form = OrderForm()
    form.dealer_org_id.choices = [(0, "—")] + dealer_choices()
    if form.validate_on_submit():
        try:
            dealer_id = owner_for_new_record(requested_dealer(form.dealer_org_id.data or None),
                                             field="dealer_org_id")
            lines = [(part_by_number(entry.part_number.data, field="lines"), entry.quantity.data)
                     for entry in form.lines if entry.part_number.data and entry.quantity.data]
            order = order_service.create_order(dealer_id, lines, form.notes.data)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Order %(number)s submitted.", number=order.number), "success")
            return redirect(url_for("inventory_parts.order", order_id=order.id))
    return render_page("inventory_parts/order_form.html", form=form, status=422 if form.errors else 200)


def load_order(order_id) -> PartsOrder:
    return get_scoped_or_404(PartsOrder, order_id, PartsOrder.dealer_org_id,
                             options=(selectinload(PartsOrder.lines).joinedload(PartsOrderLine.part),))


def _page(order: PartsOrder, status: int = 200, **forms):
    return render_page(
        "inventory_parts/order.html", "inventory_parts/_order_body.html", status=status, order=order,
        payment_form=forms.get("payment_form") or PaymentForm(amount=order.total),
        note_form=forms.get("note_form") or SignedNoteForm(),
        action_error=forms.get("action_error"),
    )


@bp.route("/orders/<int:order_id>")
@requires("inventory.order.view")
def order(order_id):
    return _page(load_order(order_id))


def _act(order_id: int, action, form=None, form_name: str = ""):
    """Run one action on an order; answer the refreshed order or the form with its error (422)."""
    order = load_order(order_id)
    if form is not None and not form.validate_on_submit():
        return _page(order, 422, **{form_name: form})
    try:
        message = action(order)
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        order = load_order(order_id)
        if form is not None:
            attach_error(form, error)
            return _page(order, 422, **{form_name: form})
        return _page(order, 422, action_error=error.message)
    if not request.htmx:
        flash(message, "success")
        return redirect(url_for("inventory_parts.order", order_id=order_id))
    db.session.expire_all()
    return _page(load_order(order_id))


@bp.route("/orders/<int:order_id>/ship", methods=["POST"])
@requires("inventory.order.ship")
def order_ship(order_id):
    def action(order):
        order_service.ship_order(order)
        return gettext("Shipped with delivery note %(number)s.", number=order.delivery_note_number)

    return _act(order_id, action)


@bp.route("/orders/<int:order_id>/payment", methods=["POST"])
@requires("inventory.order.payment")
def order_payment(order_id):
    form = PaymentForm()

    def action(order):
        order_service.record_payment(order, form.amount.data, form.reference.data)
        return gettext("Cash payment recorded.")

    return _act(order_id, action, form, "payment_form")


@bp.route("/orders/<int:order_id>/signed-note", methods=["POST"])
@requires("inventory.order.note")
def order_signed_note(order_id):
    form = SignedNoteForm()

    def action(order):
        upload = form.file.data
        order_service.attach_signed_note(order, upload.filename, upload.mimetype, upload.read())
        return gettext("Signed delivery note received.")

    return _act(order_id, action, form, "note_form")


@bp.route("/orders/<int:order_id>/signed-note")
@requires("inventory.order.view")
def order_signed_note_file(order_id):
    order = load_order(order_id)
    if not order.has_signed_note:
        abort(404)
    return send_file(order_service.signed_note_path(order), mimetype=order.signed_note_type,
                     download_name=order.signed_note_filename)


@bp.route("/orders/<int:order_id>/close", methods=["POST"])
@requires("inventory.order.ship")
def order_close(order_id):
    def action(order):
        order_service.close_delivery(order)
        return gettext("Delivery closed: the parts are in the dealer's stock.")

    return _act(order_id, action)


@bp.route("/orders/<int:order_id>/cancel", methods=["POST"])
@requires("inventory.order.cancel")
def order_cancel(order_id):
    def action(order):
        order_service.cancel_order(order)
        return gettext("Order cancelled.")

    return _act(order_id, action)


@bp.route("/orders/<int:order_id>/delivery-note.pdf")
@requires("inventory.order.view")
def order_delivery_note(order_id):
    order = load_order(order_id)
    if not order.delivery_note_number:
        abort(404)
    doc = Document(gettext("Sales delivery note %(number)s", number=order.delivery_note_number), company().name)
    doc.fact(gettext("Dealer"), order.dealer.name)
    doc.fact(gettext("Order"), order.number)
    doc.fact(gettext("Payment"), gettext("Cash on delivery"))
    doc.table([gettext("Part"), gettext("Name"), gettext("Quantity"), gettext("Price"), gettext("Amount")],
              [[line.part.number, line.part.name, line.quantity, line.unit_price, line.amount]
               for line in order.lines], [30, 75, 25, 25, 30])
    doc.fact(gettext("Total"), f"{order.total} EUR")
    doc.ln(12)
    doc.paragraph(gettext("Received in good order. Signature and stamp of the dealer:"))
    return doc.response(f"{order.delivery_note_number}.pdf")
