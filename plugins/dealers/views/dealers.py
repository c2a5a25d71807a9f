"""The portal home, dealer profiles and scorecards (D5, D12), spot checks (D18),
stock returns (D13) and the leadership queue (S9)."""
from __future__ import annotations

from flask import abort, flash, redirect, url_for
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from core.auth.models import Organisation, OrganisationKind
from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404
from core.errors import BusinessRuleError
from core.extensions import db
from core.web import attach_error, render_page

from ..forms import DealerForm, EmptyForm, ProfileForm, SpotCheckForm, StockReturnForm, TrainingForm
from ..models import Claim, DealerProfile, Escalation, FeeNotice, NoticeState, StockReturn
from ..services import claims, grading, parts_return, profiles, settlement, spot_checks, stock, tasks
from .blueprint import bp
from .common import new_record_owner, owner_choices, run_form


@bp.route("/", endpoint="home")
@requires("dealers.portal")
def home():
    """A dealer's day: claims by state, parts to send back, notices to confirm, balance."""
    counts = dict(db.session.execute(
        claims.visible_claims().with_only_columns(Claim.state, func.count(Claim.id)).group_by(Claim.state)
    ).all())
    to_confirm = db.session.scalars(
        settlement.visible_notices().where(FeeNotice.state == NoticeState.ISSUED).order_by(FeeNotice.id)
    ).all()
    own = None if current_user.is_internal else current_user.organisation_id
    return render_page("dealers/home.html", counts=counts, state_label=claims.state_label,
                       awaiting=len(parts_return.awaiting_return()), to_confirm=to_confirm,
                       balance=settlement.balance(own) if own and current_user.can("dealers.ledger.view") else None,
                       profile=profiles.profile_for(own) if own else None)


def load_dealer(dealer_id) -> Organisation:
    org = get_scoped_or_404(Organisation, dealer_id, Organisation.id)
    if org.kind != OrganisationKind.DEALER:
        abort(404)
    return org


@bp.route("/dealers", endpoint="dealers")
@requires("dealers.grade")
def dealer_list():
    rows = db.session.scalars(
        select(DealerProfile).options(joinedload(DealerProfile.organisation)).join(DealerProfile.organisation)
        .order_by(Organisation.name)
    ).all()
    due = {p.dealer_id for p in profiles.dealers_due_for_training()}
    return render_page("dealers/dealers.html", profiles=rows, due=due)


@bp.route("/dealers/new", methods=["GET", "POST"], endpoint="dealer_new")
@requires("dealers.manage")
def dealer_new():
    form = DealerForm()
    created = {}

    def action(form):
        created["profile"] = profiles.create_dealer(
            form.name.data, service_area=form.service_area.data, contact_name=form.contact_name.data,
            contact_phone=form.contact_phone.data, contact_email=form.contact_email.data or "",
            tax_id=form.tax_id.data or "", phone=form.phone.data or "", address=form.address.data or "")
        return gettext("Dealer created.")

    return run_form(form, action, lambda: url_for("dealers.dealer_show", dealer_id=created["profile"].dealer_id),
                    "dealers/form.html", title=_l("New dealer"), submit=_l("Create"), form_id="dealer-form")


def dealer_page(org: Organisation, status=200, **forms):
    profile = profiles.profile_for(org.id)
    return render_page(
        "dealers/dealer.html", status=status, org=org, profile=profile, card=grading.scorecard(org.id),
        history=grading.grade_history(org.id),
        profile_form=forms.get("profile_form") or ProfileForm(obj=profile),
        training_form=forms.get("training_form") or TrainingForm(),
        spot_form=forms.get("spot_form") or SpotCheckForm(), empty_form=EmptyForm(),
        checks=db.session.scalars(spot_checks.visible_spot_checks().where(spot_checks.SpotCheck.dealer_id == org.id)
                                  .order_by(spot_checks.SpotCheck.id.desc()).limit(20)).all(),
    )


@bp.route("/dealers/<int:dealer_id>", endpoint="dealer_show")
@requires("dealers.grade")
def dealer_show(dealer_id):
    return dealer_page(load_dealer(dealer_id))


def dealer_action(dealer_id, form, form_name, action):
    org = load_dealer(dealer_id)
    if form.validate_on_submit():
        try:
            message = action(org, form)
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("dealers.dealer_show", dealer_id=dealer_id))
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
    return dealer_page(load_dealer(dealer_id), 422, **{form_name: form})


@bp.route("/dealers/<int:dealer_id>/profile", methods=["POST"], endpoint="dealer_profile")
@requires("dealers.manage")
def dealer_profile(dealer_id):
    def action(org, form):
        profiles.update_profile(profiles.profile_for(org.id), **{k: form[k].data for k in
                                                                 ("service_area", "contact_name", "contact_phone", "contact_email")})
        return gettext("Profile saved.")

    return dealer_action(dealer_id, ProfileForm(), "profile_form", action)


@bp.route("/dealers/<int:dealer_id>/training", methods=["POST"], endpoint="dealer_training")
@requires("dealers.manage")
def dealer_training(dealer_id):
    def action(org, form):
        profiles.record_training(org.id, form.held_on.data, form.topic.data)
        return gettext("Training recorded.")

    return dealer_action(dealer_id, TrainingForm(), "training_form", action)


@bp.route("/dealers/<int:dealer_id>/regrade", methods=["POST"], endpoint="dealer_regrade")
@requires("dealers.grade")
def dealer_regrade(dealer_id):
    def action(org, form):
        change = grading.regrade(org.id)
        return (gettext("Grade changed from %(old)s to %(new)s.", old=change.from_grade, new=change.to_grade)
                if change else gettext("The grade stays as it is."))

    return dealer_action(dealer_id, EmptyForm(), "empty_form", action)


@bp.route("/dealers/<int:dealer_id>/spot-checks", methods=["POST"], endpoint="dealer_spot_check")
@requires("dealers.spot_check")
def dealer_spot_check(dealer_id):
    def action(org, form):
        claim = None
        if form.claim_id.data:
            claim = db.session.scalar(claims.visible_claims().where(Claim.id == form.claim_id.data,
                                                                     Claim.dealer_id == org.id))
            if claim is None:
                raise BusinessRuleError(gettext("No claim of this dealer has this id."), field="claim_id")
        spot_checks.record_spot_check(org.id, form.outcome.data, form.findings.data, claim)
        return gettext("Spot check recorded.")

    return dealer_action(dealer_id, SpotCheckForm(), "spot_form", action)


@bp.route("/stock-returns", methods=["GET", "POST"], endpoint="stock_returns")
@requires("dealers.stock.return")
def stock_returns():
    form = StockReturnForm()
    owner_choices(form)

    def action(form):
        item = stock.return_stock(new_record_owner(form), product_model=form.product_model.data,
                                  serial=form.serial.data, quantity=form.quantity.data, reason=form.reason.data,
                                  delivered_on=form.delivered_on.data, freight=form.freight.data)
        return gettext("Return recorded; freight paid by the %(payer)s.",
                       payer=gettext("company") if item.freight_payer == "company" else gettext("dealer"))

    returns = db.session.scalars(stock.visible_returns().options(joinedload(StockReturn.dealer))
                                 .order_by(StockReturn.id.desc()).limit(100)).all()
    return run_form(form, action, lambda: url_for("dealers.stock_returns"), "dealers/stock_returns.html",
                    returns=returns)


@bp.route("/escalations", endpoint="escalations")
@requires("dealers.escalations")
def escalation_list():
    return render_page("dealers/escalations.html", escalations=tasks.open_escalations(), form=EmptyForm())


@bp.route("/escalations/<int:escalation_id>/handle", methods=["POST"], endpoint="escalation_handle")
@requires("dealers.escalations")
def escalation_handle(escalation_id):
    escalation = get_scoped_or_404(Escalation, escalation_id, Escalation.dealer_id)
    if EmptyForm().validate_on_submit():
        try:
            tasks.handle_escalation(escalation, current_user)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            flash(error.message, "error")
    return redirect(url_for("dealers.escalations"))
