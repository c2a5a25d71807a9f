"""Stock by location, the ledger, manual moves and locations."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import func, select

from core.auth.models import Organisation, OrganisationKind
from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404, scoped
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy
from core.web import attach_error, csv_response, render_page

from ..forms import LOCATION_KIND_LABELS, MOVE_KIND_LABELS, LocationForm, MoveForm
from ..models import Location, StockMove
from ..services import reports, stock
from . import bp
from .common import location_choices


@bp.route("/stock", endpoint="stock")
@requires("inventory.stock.view")
def stock_list():
    location_id = request.args.get("location", type=int)
    if location_id:
        get_scoped_or_404(Location, location_id, Location.owner_org_id)
    rows = reports.stock_by_location(location_id)
    return render_page("inventory_parts/stock.html", rows=rows, locations=location_choices(),
                       location_id=location_id, kinds=LOCATION_KIND_LABELS)


@bp.route("/stock.csv")
@requires("inventory.stock.view")
def stock_export():
    location_id = request.args.get("location", type=int)
    if location_id:
        get_scoped_or_404(Location, location_id, Location.owner_org_id)
    rows = reports.stock_by_location(location_id)
    return csv_response("stock.csv", ["location", "part_number", "part", "on_hand", "reserved", "available"], (
        [r["location"].code, r["part"].number, r["part"].name, r["on_hand"], r["reserved"], r["available"]]
        for r in rows
    ))


def _scoped_moves():
    return scoped(select(StockMove).join(Location, Location.id == StockMove.location_id), Location.owner_org_id)


@bp.route("/ledger")
@requires("inventory.stock.view")
def ledger():
    stmt = _scoped_moves()
    location_id = request.args.get("location", type=int)
    if location_id:
        stmt = stmt.where(StockMove.location_id == location_id)
    page = max(request.args.get("page", 1, type=int), 1)
    size = policy("core.page_size")
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    moves = db.session.scalars(stmt.order_by(StockMove.at.desc(), StockMove.id.desc())
                               .limit(size).offset((page - 1) * size)).all()
    return render_page("inventory_parts/ledger.html", moves=moves, total=total, page=page,
                       pages=max((total + size - 1) // size, 1), kinds=MOVE_KIND_LABELS,
                       locations=location_choices(), location_id=location_id)


@bp.route("/moves/new", methods=["GET", "POST"])
@requires("inventory.stock.move")
def move_new():
    form = MoveForm()
    choices = location_choices()
    form.location_id.choices = choices
    form.target_id.choices = [(0, "—")] + choices
    if form.validate_on_submit():
        try:
            location = get_scoped_or_404(Location, form.location_id.data, Location.owner_org_id)
            target = (get_scoped_or_404(Location, form.target_id.data, Location.owner_org_id)
                      if form.target_id.data else None)
            part = stock.part_by_number(form.part_number.data)
            stock.record_manual_move(part, location, form.kind.data, form.quantity.data, form.reason.data, target)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Stock move recorded."), "success")
            return redirect(url_for("inventory_parts.ledger", location=form.location_id.data))
    return render_page("inventory_parts/move_form.html", form=form, status=422 if form.errors else 200)


@bp.route("/locations", methods=["GET", "POST"])
@requires("inventory.catalogue.manage")
def locations():
    if not current_user.is_internal:  # locations of every owner are listed here
        abort(403)
    form = LocationForm()
    owners = db.session.execute(
        select(Organisation.id, Organisation.name)
        .where(Organisation.kind.in_([OrganisationKind.COMPANY, OrganisationKind.DEALER]))
        .order_by(Organisation.kind, Organisation.name)
    ).all()
    form.owner_org_id.choices = [(o.id, o.name) for o in owners]
    if form.validate_on_submit():
        try:
            _create_location(form)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Location created."), "success")
            return redirect(url_for("inventory_parts.locations"))
    listed = db.session.scalars(select(Location).order_by(Location.code)).all()
    return render_page("inventory_parts/locations.html", form=form, locations=listed, kinds=LOCATION_KIND_LABELS,
                       status=422 if form.errors else 200)


def _create_location(form: LocationForm) -> Location:
    code = (form.code.data or "").strip()
    if db.session.scalar(select(Location.id).where(Location.code == code)) is not None:
        raise BusinessRuleError(gettext("A location with this code exists."), field="code")
    owner = db.session.get(Organisation, form.owner_org_id.data)
    if owner is None:
        raise BusinessRuleError(gettext("Choose an owner."), field="owner_org_id")
    wants_dealer = form.kind.data == "dealer"
    if wants_dealer != (owner.kind == OrganisationKind.DEALER):
        raise BusinessRuleError(gettext("Dealer stock belongs to a dealer; the other kinds to the company."),
                                field="owner_org_id")
    location = Location(code=code, name=(form.name.data or "").strip(), kind=form.kind.data, owner_org_id=owner.id)
    db.session.add(location)
    db.session.flush()
    return location
