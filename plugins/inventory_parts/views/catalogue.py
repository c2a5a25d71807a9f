"""The parts catalogue: list, edit, CSV import and export."""
from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext
from sqlalchemy import func, or_, select

from core.auth.permissions import requires
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy
from core.web import attach_error, csv_response, render_page

from ..forms import KIND_LABELS, ImportForm, PartForm
from ..models import Part
from ..services import catalogue
from . import bp


def _parts_query():
    stmt = select(Part)
    term = (request.args.get("q") or "").strip()
    if term:
        like = f"%{term}%"
        stmt = stmt.where(or_(Part.number.ilike(like), Part.name.ilike(like), Part.fits.ilike(like)))
    kind = request.args.get("kind")
    if kind in KIND_LABELS:
        stmt = stmt.where(Part.kind == kind)
    return stmt


@bp.route("/", endpoint="parts")
@requires("inventory.catalogue.view")
def part_list():
    stmt = _parts_query()
    page = max(request.args.get("page", 1, type=int), 1)
    size = policy("core.page_size")
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    parts = db.session.scalars(stmt.order_by(Part.number).limit(size).offset((page - 1) * size)).all()
    return render_page("inventory_parts/parts.html", "inventory_parts/_parts_table.html", parts=parts,
                       total=total, page=page, pages=max((total + size - 1) // size, 1), kinds=KIND_LABELS,
                       preferential=catalogue.preferential_price)


@bp.route("/catalogue.csv")
@requires("inventory.catalogue.view")
def part_export():
    parts = db.session.scalars(_parts_query().order_by(Part.number))
    return csv_response("parts.csv", catalogue.CSV_COLUMNS + catalogue.CSV_OPTIONAL + ["preferential_price"], (
        [p.number, p.name, p.kind, p.unit, p.cost_price, p.list_price,
         "" if p.preferential_margin_pct is None else p.preferential_margin_pct,
         p.service_life_months or "", p.reorder_point, p.fits, catalogue.preferential_price(p)]
        for p in parts
    ))


def _save(form: PartForm, part: Part | None):
    if form.validate_on_submit():
        try:
            saved = catalogue.save_part({name: form[name].data for name in form._fields if name != "csrf_token"},
                                        part)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Part %(number)s saved.", number=saved.number), "success")
            return redirect(url_for("inventory_parts.parts", q=saved.number))
    return render_page("inventory_parts/part_form.html", form=form, part=part,
                       status=422 if form.errors else 200)


@bp.route("/new", methods=["GET", "POST"])
@requires("inventory.catalogue.manage")
def part_new():
    return _save(PartForm(), None)


@bp.route("/<int:part_id>/edit", methods=["GET", "POST"])
@requires("inventory.catalogue.manage")
def part_edit(part_id):
    part = db.get_or_404(Part, part_id)
    return _save(PartForm(obj=part), part)


@bp.route("/import", methods=["GET", "POST"])
@requires("inventory.catalogue.manage")
def part_import():
    form = ImportForm()
    report = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                report = catalogue.import_catalogue(form.file.data.read())
            except BusinessRuleError as error:
                db.session.rollback()
                attach_error(form, error)
            else:
                status = 200 if report.ok else 422
        if form.errors:
            status = 422
    return render_page("inventory_parts/import.html", "inventory_parts/_import_result.html", form=form,
                       report=report, columns=catalogue.CSV_COLUMNS + catalogue.CSV_OPTIONAL, status=status)
