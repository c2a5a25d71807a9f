"""Claims (the three-guarantee maintenance record) and the return of old parts."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload, selectinload

from core.auth.models import User
from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404, scoped
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy
from core.web import attach_error, render_page

from ..forms import (
    AppraiseForm, ClaimForm, ClaimStartForm, EmptyForm, NoteForm, PaidServiceForm, PartForm, PhotoForm,
    ReasonForm, ShipmentForm,
)
from ..models import Claim, ClaimPart, ClaimPhoto, ClaimState, PartShipment
from ..services import claims, parts_return
from .blueprint import bp
from .common import new_record_owner, owner_choices, run_form

CLAIM_OPTIONS = (joinedload(Claim.dealer), joinedload(Claim.sale), joinedload(Claim.case),
                 selectinload(Claim.parts), selectinload(Claim.photos).joinedload(ClaimPhoto.attachment))


def load_claim(claim_id) -> Claim:
    return get_scoped_or_404(Claim, claim_id, Claim.dealer_id, options=CLAIM_OPTIONS)


def technician_choices(claim: Claim) -> list[tuple[int, str]]:
    """The filing organisation's people (a dealer's staff, or the company's for D16 work)."""
    people = db.session.scalars(
        select(User).where(User.organisation_id == claim.dealer_id, User.active.is_(True)).order_by(User.full_name)
    ).all()
    return [(0, "—")] + [(u.id, u.display_name) for u in people]


def claim_form(claim: Claim, data=None) -> ClaimForm:
    form = ClaimForm(obj=claim) if data is None else ClaimForm()
    form.technician_id.choices = technician_choices(claim)
    if data is None:
        form.technician_id.data = claim.technician_id or 0
    return form


def claim_context(claim: Claim, **forms) -> dict:
    return dict(
        claim=claim,
        form=forms.get("form") or claim_form(claim),
        part_form=forms.get("part_form") or PartForm(),
        photo_form=forms.get("photo_form") or PhotoForm(),
        paid_form=forms.get("paid_form") or PaidServiceForm(),
        reason_form=forms.get("reason_form") or ReasonForm(),
        note_form=forms.get("note_form") or NoteForm(),
        appraise_form=AppraiseForm(),
        empty_form=EmptyForm(),
        state_label=claims.state_label,
        quote=claims.quote_paid_service(claim.labour_hours, claim.travel_km),
    )


def claim_action(claim_id: int, form, form_name: str, action):
    """Run one action on the claim; answer the refreshed claim body, or the form with its error (422)."""
    claim = load_claim(claim_id)
    status = 200
    if form.validate_on_submit():
        try:
            message = action(claim, form)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
            status = 422
        else:
            if not request.htmx:
                flash(message, "success")
                return redirect(url_for("dealers.claim_show", claim_id=claim_id))
            form = None
    else:
        status = 422
    claim = load_claim(claim_id)
    forms = {form_name: form} if form is not None else {}
    return render_page("dealers/claim.html", "dealers/_claim_body.html", status=status, **claim_context(claim, **forms))


@bp.route("/claims", endpoint="claims")
@requires("dealers.portal")
def claim_list():
    state = request.args.get("state") or None
    stmt = claims.visible_claims().options(joinedload(Claim.dealer)).order_by(Claim.id.desc())
    if state in ClaimState.ALL:
        stmt = stmt.where(Claim.state == state)
    page = max(request.args.get("page", 1, type=int), 1)
    size = policy("core.page_size")
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    rows = db.session.scalars(stmt.limit(size).offset((page - 1) * size)).all()
    return render_page("dealers/claims.html", claims=rows, state=state, states=ClaimState.ALL,
                       state_label=claims.state_label, page=page, pages=max((total + size - 1) // size, 1),
                       total=total)


@bp.route("/claims/new", methods=["GET", "POST"], endpoint="claim_new")
@requires("dealers.claim.file")
def claim_new():
    form = ClaimStartForm()
    owner_choices(form, allow_company=True)
    started = {}

    def action(form):
        started["claim"] = claims.start_claim(new_record_owner(form), form.serial.data)
        return gettext("Draft claim %(number)s opened.", number=started["claim"].number)

    return run_form(form, action, lambda: url_for("dealers.claim_show", claim_id=started["claim"].id),
                    "dealers/form.html", title=_l("New claim"), submit=_l("Open the claim"), form_id="claim-start-form")


@bp.route("/claims/<int:claim_id>", endpoint="claim_show")
@requires("dealers.portal")
def claim_show(claim_id):
    claim = load_claim(claim_id)
    return render_page("dealers/claim.html", **claim_context(claim))


@bp.route("/claims/<int:claim_id>/draft", methods=["POST"], endpoint="claim_save")
@requires("dealers.claim.file")
def claim_save(claim_id):
    """Save the draft; with ``submit`` also file it. A refused submission keeps the saved draft."""
    claim = load_claim(claim_id)
    form = claim_form(claim, data=request.form)
    if not form.validate_on_submit():
        return render_page("dealers/claim.html", "dealers/_claim_body.html", status=422,
                           **claim_context(claim, form=form))
    try:
        claims.save_draft(claim, **{name: form[name].data for name in claims.DRAFT_FIELDS if name in form._fields
                                    and name != "technician_id"}, technician_id=form.technician_id.data or None)
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        attach_error(form, error)
        return render_page("dealers/claim.html", "dealers/_claim_body.html", status=422,
                           **claim_context(load_claim(claim_id), form=form))
    message = gettext("Draft saved.")
    if "submit" in request.form:
        try:
            claims.submit(claim, current_user)
            db.session.commit()
            message = gettext("Claim %(number)s submitted.", number=claim.number)
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
            return render_page("dealers/claim.html", "dealers/_claim_body.html", status=422,
                               **claim_context(load_claim(claim_id), form=form))
    if not request.htmx:
        flash(message, "success")
        return redirect(url_for("dealers.claim_show", claim_id=claim_id))
    return render_page("dealers/claim.html", "dealers/_claim_body.html", **claim_context(load_claim(claim_id)))


@bp.route("/claims/<int:claim_id>/parts", methods=["POST"], endpoint="claim_add_part")
@requires("dealers.claim.file")
def claim_add_part(claim_id):
    def action(claim, form):
        claims.add_part(claim, form.part_number.data, form.quantity.data, form.unit_price.data,
                        form.old_part_number.data, form.old_serial.data)
        return gettext("Part added.")

    return claim_action(claim_id, PartForm(), "part_form", action)


@bp.route("/claims/<int:claim_id>/parts/<int:part_id>/remove", methods=["POST"], endpoint="claim_remove_part")
@requires("dealers.claim.file")
def claim_remove_part(claim_id, part_id):
    def action(claim, form):
        claims.remove_part(claim, _part_of(claim, part_id))
        return gettext("Part removed.")

    return claim_action(claim_id, EmptyForm(), "empty_form", action)


def _part_of(claim: Claim, part_id: int) -> ClaimPart:
    part = next((p for p in claim.parts if p.id == part_id), None)
    if part is None:
        abort(404)
    return part


@bp.route("/claims/<int:claim_id>/photos", methods=["POST"], endpoint="claim_photo")
@requires("dealers.claim.file")
def claim_photo(claim_id):
    def action(claim, form):
        upload = form.file.data
        claims.add_photo(claim, upload.filename, upload.mimetype, upload.read())
        return gettext("Photo added.")

    return claim_action(claim_id, PhotoForm(), "photo_form", action)


@bp.route("/claims/<int:claim_id>/paid-service", methods=["POST"], endpoint="claim_paid_service")
@requires("dealers.claim.file")
def claim_paid_service(claim_id):
    def action(claim, form):
        claims.charge_paid_service(claim, form.price.data)
        return gettext("Recorded as paid service.")

    return claim_action(claim_id, PaidServiceForm(), "paid_form", action)


@bp.route("/claims/<int:claim_id>/appraisal", methods=["POST"], endpoint="claim_start_appraisal")
@requires("dealers.claim.appraise")
def claim_start_appraisal(claim_id):
    def action(claim, form):
        claims.start_appraisal(claim)
        return gettext("Appraisal started.")

    return claim_action(claim_id, EmptyForm(), "empty_form", action)


@bp.route("/claims/<int:claim_id>/parts/<int:part_id>/appraise", methods=["POST"], endpoint="claim_appraise_part")
@requires("dealers.claim.appraise")
def claim_appraise_part(claim_id, part_id):
    def action(claim, form):
        claims.appraise_part(_part_of(claim, part_id), form.defect_confirmed.data, form.usable.data)
        return gettext("Part appraised.")

    return claim_action(claim_id, AppraiseForm(), "appraise_form", action)


@bp.route("/claims/<int:claim_id>/approve", methods=["POST"], endpoint="claim_approve")
@requires("dealers.claim.appraise")
def claim_approve(claim_id):
    def action(claim, form):
        claims.approve(claim, form.note.data)
        return gettext("Claim approved.")

    return claim_action(claim_id, NoteForm(), "note_form", action)


@bp.route("/claims/<int:claim_id>/reject", methods=["POST"], endpoint="claim_reject")
@requires("dealers.claim.appraise")
def claim_reject(claim_id):
    def action(claim, form):
        claims.reject(claim, form.reason.data)
        return gettext("Claim rejected.")

    return claim_action(claim_id, ReasonForm(), "reason_form", action)


@bp.route("/claims/<int:claim_id>/override", methods=["POST"], endpoint="claim_override")
@requires("dealers.claim.override")
def claim_override(claim_id):
    def action(claim, form):
        claims.override_registration(claim, form.reason.data)
        return gettext("Late registration accepted.")

    return claim_action(claim_id, ReasonForm(), "reason_form", action)


@bp.route("/claims/<int:claim_id>/verify", methods=["POST"], endpoint="claim_verify")
@requires("dealers.claim.verify")
def claim_verify(claim_id):
    def action(claim, form):
        total = claims.verify(claim)
        return gettext("Verified: %(total)s.", total=total)

    return claim_action(claim_id, EmptyForm(), "empty_form", action)


# --- Old parts ---------------------------------------------------------------------

def shipment_page(form, status=200):
    waiting = parts_return.awaiting_return()
    form.part_ids.choices = [(p.id, f"{p.claim.number} · {p.old_part_number} {p.old_serial}") for p in waiting]
    shipments = db.session.scalars(
        parts_return.visible_shipments().options(joinedload(PartShipment.dealer), selectinload(PartShipment.parts))
        .order_by(PartShipment.id.desc()).limit(100)
    ).all()
    return render_page("dealers/shipments.html", status=status, form=form, shipments=shipments,
                       empty_form=EmptyForm())


@bp.route("/shipments", endpoint="shipments")
@requires("dealers.portal")
def shipment_list():
    return shipment_page(ShipmentForm())


@bp.route("/shipments/new", methods=["POST"], endpoint="shipment_new")
@requires("dealers.parts.ship")
def shipment_new():
    form = ShipmentForm()
    waiting = parts_return.awaiting_return()
    form.part_ids.choices = [(p.id, p.old_part_number) for p in waiting]
    if not form.validate_on_submit():
        return shipment_page(form, 422)
    parts = db.session.scalars(
        scoped(select(ClaimPart).where(ClaimPart.id.in_(form.part_ids.data)), ClaimPart.dealer_id)
        .options(joinedload(ClaimPart.claim))
    ).all()
    owners = {p.dealer_id for p in parts}
    try:
        if len(parts) != len(set(form.part_ids.data)) or len(owners) != 1:
            raise BusinessRuleError(gettext("Send the parts of one dealer at a time."), field="part_ids")
        shipment = parts_return.ship_parts(owners.pop(), parts, form.method.data, form.shipped_on.data,
                                           form.reference.data)
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        attach_error(form, error)
        return shipment_page(form, 422)
    flash(gettext("Shipment %(ref)s recorded; due by %(due)s.", ref=shipment.reference, due=shipment.due_on), "success")
    return redirect(url_for("dealers.shipments"))


@bp.route("/shipments/<int:shipment_id>/receive", methods=["POST"], endpoint="shipment_receive")
@requires("dealers.claim.appraise")
def shipment_receive(shipment_id):
    shipment = get_scoped_or_404(PartShipment, shipment_id, PartShipment.dealer_id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            parts_return.receive_shipment(shipment)
            db.session.commit()
            flash(gettext("Shipment received."), "success")
        except BusinessRuleError as error:
            db.session.rollback()
            flash(error.message, "error")
            return shipment_page(ShipmentForm(), 422)
    return redirect(url_for("dealers.shipments"))
