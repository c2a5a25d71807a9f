"""O&M manuals per project: outline review (T2), versions (T3), commissioning invitations (T5)."""
from __future__ import annotations

from flask import flash, redirect, url_for
from flask_babel import gettext
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from core.auth.models import OrganisationKind
from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404, scoped
from core.errors import BusinessRuleError
from core.extensions import db
from core.web import attach_error, render_page

from ..forms import ActionForm, AnswerForm, AttendanceForm, InvitationForm, ManualForm, ManualVersionForm, OutlineForm
from ..models import InvitationKind, Manual, ManualStatus
from ..services import invitations
from ..services import manuals as service
from . import bp
from .common import organisations_of_kind

MANUAL_PAGE = (joinedload(Manual.customer), selectinload(Manual.versions), selectinload(Manual.invitations))


def load_manual(manual_id) -> Manual:
    return get_scoped_or_404(Manual, manual_id, Manual.customer_org_id, options=MANUAL_PAGE)


@bp.route("/manuals", endpoint="manuals")
@requires("training.manuals")
def manual_list():
    manuals = db.session.scalars(
        scoped(select(Manual), Manual.customer_org_id).options(joinedload(Manual.customer)).order_by(Manual.id.desc())
    ).all()
    return render_page("training/manuals.html", manuals=manuals)


@bp.route("/manuals/new", methods=["GET", "POST"])
@requires("training.manuals")
def manual_new():
    form = ManualForm()
    form.customer_org_id.choices = organisations_of_kind(OrganisationKind.CUSTOMER)
    if form.validate_on_submit():
        try:
            manual = service.create_manual(form.customer_org_id.data, form.project.data, form.outline.data,
                                           form.on_site_testing_on.data, form.commissioning_on.data)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Manual created."), "success")
            return redirect(url_for("training.manual", manual_id=manual.id))
    return render_page("training/manual_form.html", form=form, status=422 if form.errors else 200)


def show_manual(manual: Manual, status: int = 200, **forms):
    latest = manual.versions[0] if manual.versions else None
    version_form = forms.get("version_form")
    if version_form is None:
        version_form = ManualVersionForm(obj=latest)
        if latest is not None:
            director = next((c for c in latest.contacts if c["role"] == service.MAKER_DIRECTOR), None)
            version_form.director_name.data = director["name"] if director else ""
            version_form.director_phone.data = director["phone"] if director else ""
            version_form.contacts.data = "\n".join(
                f'{c["role"]}; {c["name"]}; {c["phone"]}' for c in latest.contacts if c["role"] != service.MAKER_DIRECTOR)
    return render_page(
        "training/manual.html", manual=manual, latest=latest, status=status,
        missing=service.missing_for_issue(latest) if latest else [],
        section_label=service.section_label, sections=service.SECTIONS,
        installed=service.installed_equipment(manual.customer_org_id),
        outline_form=forms.get("outline_form") or OutlineForm(outline=manual.outline),
        version_form=version_form, action_form=forms.get("action_form") or ActionForm(),
        invitation_form=forms.get("invitation_form") or InvitationForm(kind=InvitationKind.OWNER_ENGINEER),
        attendance_form=AttendanceForm(), answer_form=AnswerForm(),
        commission_form=forms.get("commission_form") or ActionForm(),
        writable=manual.status in ManualStatus.WRITABLE,
    )


@bp.route("/manuals/<int:manual_id>")
@requires("training.manuals")
def manual(manual_id):
    return show_manual(load_manual(manual_id))


def _manual_action(manual_id: int, form, form_name: str, action, message: str):
    manual = load_manual(manual_id)
    if form.validate_on_submit():
        try:
            action(manual, form)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(message, "success")
            return redirect(url_for("training.manual", manual_id=manual_id))
    return show_manual(load_manual(manual_id), status=422, **{form_name: form})


@bp.route("/manuals/<int:manual_id>/outline", methods=["POST"])
@requires("training.manuals")
def manual_outline(manual_id):
    return _manual_action(manual_id, OutlineForm(), "outline_form",
                          lambda m, f: service.save_outline(m, f.outline.data), gettext("Outline saved."))


@bp.route("/manuals/<int:manual_id>/send", methods=["POST"])
@requires("training.manuals")
def manual_send(manual_id):
    return _manual_action(manual_id, OutlineForm(), "outline_form",
                          lambda m, f: (service.save_outline(m, f.outline.data), service.send_outline(m)),
                          gettext("Outline sent to the owner for review."))


@bp.route("/manuals/<int:manual_id>/answer", methods=["POST"])
@requires("training.review")
def manual_answer(manual_id):
    form = AnswerForm()
    manual = load_manual(manual_id)
    if form.validate_on_submit():
        try:
            service.answer_outline(manual, form.decision.data == "approve", form.comment.data)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
        else:
            flash(gettext("Your answer is recorded."), "success")
            return redirect(url_for("training.reviews"))
    return render_page("training/reviews.html", status=422, courses=[], manuals=[load_manual(manual_id)],
                       answer_form=form)


@bp.route("/manuals/<int:manual_id>/versions", methods=["POST"])
@requires("training.manuals")
def manual_version(manual_id):
    def save(manual, form):
        service.save_version(
            manual, director_name=form.director_name.data, director_phone=form.director_phone.data,
            contacts=form.contacts.data, extra_equipment=form.extra_equipment.data,
            **{name: form[name].data for name in service.SECTIONS})

    return _manual_action(manual_id, ManualVersionForm(), "version_form", save, gettext("New version saved."))


@bp.route("/manuals/<int:manual_id>/issue", methods=["POST"])
@requires("training.manuals")
def manual_issue(manual_id):
    return _manual_action(manual_id, ActionForm(), "action_form", lambda m, f: service.issue(m),
                          gettext("Manual issued to the owner."))


@bp.route("/manuals/<int:manual_id>/invite", methods=["POST"])
@requires("training.manuals")
def manual_invite(manual_id):
    return _manual_action(
        manual_id, InvitationForm(), "invitation_form",
        lambda m, f: invitations.invite(kind=f.kind.data, name=f.name.data, company=f.company.data,
                                        phone=f.phone.data, manual=m),
        gettext("Invitation recorded."))


@bp.route("/manuals/<int:manual_id>/commissioning", methods=["POST"])
@requires("training.manuals")
def manual_commissioning(manual_id):
    return _manual_action(manual_id, ActionForm(), "commission_form",
                          lambda m, f: service.hold_commissioning(m), gettext("Commissioning recorded."))
