"""Fee verification notices, their PDF and confirmation, and the receivables ledger (D19)."""
from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.orm import joinedload

from core.auth.models import Organisation, OrganisationKind
from core.auth.permissions import requires
from core.auth.scoping import get_scoped_or_404, parse_id
from core.errors import BusinessRuleError
from core.extensions import db
from core.web import attach_error, render_page

from ..forms import ChargeForm, EmptyForm, NoticeIssueForm
from ..models import Claim, FeeNotice
from ..services import profiles, settlement
from .blueprint import bp


def load_notice(notice_id) -> FeeNotice:
    return get_scoped_or_404(FeeNotice, notice_id, FeeNotice.dealer_id, options=(joinedload(FeeNotice.dealer),))


def notices_page(form=None, status=200):
    form = form or NoticeIssueForm()
    form.dealer_id.choices = [(0, gettext("All dealers"))] + profiles.dealer_choices()
    rows = db.session.scalars(
        settlement.visible_notices().options(joinedload(FeeNotice.dealer)).order_by(FeeNotice.id.desc()).limit(200)
    ).all()
    return render_page("dealers/notices.html", status=status, notices=rows, form=form)


@bp.route("/notices", endpoint="notices")
@requires("dealers.ledger.view")
def notice_list():
    return notices_page()


@bp.route("/notices/issue", methods=["POST"], endpoint="notice_issue")
@requires("dealers.notice.issue")
def notice_issue():
    form = NoticeIssueForm()
    form.dealer_id.choices = [(0, "")] + profiles.dealer_choices()
    if not form.validate_on_submit():
        return notices_page(form, 422)
    try:
        issued = settlement.issue_notices(form.period_start.data, form.period_end.data,
                                          [form.dealer_id.data] if form.dealer_id.data else None)
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        attach_error(form, error)
        return notices_page(form, 422)
    flash(gettext("%(count)d notices issued.", count=len(issued)), "success")
    return redirect(url_for("dealers.notices"))


@bp.route("/notices/<int:notice_id>", endpoint="notice_show")
@requires("dealers.ledger.view")
def notice_show(notice_id):
    notice = load_notice(notice_id)
    rows = db.session.scalars(db.select(Claim).where(Claim.notice_id == notice.id).order_by(Claim.number)).all()
    return render_page("dealers/notice.html", notice=notice, claims=rows, form=EmptyForm())


@bp.route("/notices/<int:notice_id>.pdf", endpoint="notice_pdf")
@requires("dealers.ledger.view")
def notice_pdf(notice_id):
    notice = load_notice(notice_id)
    language = request.args.get("lang") or current_user.locale or "es"
    try:
        document = settlement.notice_pdf(notice, language)
    except BusinessRuleError:
        abort(404)
    return document.response(f"{notice.number}.pdf")


@bp.route("/notices/<int:notice_id>/confirm", methods=["POST"], endpoint="notice_confirm")
@requires("dealers.notice.confirm")
def notice_confirm(notice_id):
    notice = load_notice(notice_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        credited = settlement.confirm_notice(notice, current_user)
        db.session.commit()
    except BusinessRuleError as error:
        db.session.rollback()
        flash(error.message, "error")
        return redirect(url_for("dealers.notice_show", notice_id=notice_id))
    flash(gettext("Notice confirmed: %(total)s credited to your account.", total=notice.total) if credited
          else gettext("This notice was already confirmed."), "success")
    return redirect(url_for("dealers.notice_show", notice_id=notice_id))


def ledger_dealer_id() -> int | None:
    """The dealer whose ledger is shown: a dealer's user always sees their own (any other id is 404)."""
    requested = request.args.get("dealer_id", type=int)
    if not current_user.is_internal:
        if requested not in (None, current_user.organisation_id):
            abort(404)
        return current_user.organisation_id
    return requested


@bp.route("/ledger", endpoint="ledger")
@requires("dealers.ledger.view")
def ledger():
    dealer_id = ledger_dealer_id()
    dealer = get_scoped_or_404(Organisation, dealer_id, Organisation.id) if dealer_id else None
    if dealer is not None and dealer.kind != OrganisationKind.DEALER:
        abort(404)
    form = ChargeForm(dealer_id=dealer_id)
    form.dealer_id.choices = profiles.dealer_choices()
    return render_page("dealers/ledger.html", dealer=dealer, dealers=profiles.visible_dealers(),
                       lines=settlement.statement(dealer.id) if dealer else [],
                       balance=settlement.balance(dealer.id) if dealer else None, form=form)


@bp.route("/ledger/charge", methods=["POST"], endpoint="ledger_charge")
@requires("dealers.ledger.post")
def ledger_charge():
    form = ChargeForm()
    form.dealer_id.choices = profiles.dealer_choices()
    if form.validate_on_submit():
        try:
            settlement.post_charge(form.dealer_id.data, form.amount.data, form.reference.data)
            db.session.commit()
            flash(gettext("Charge booked."), "success")
            return redirect(url_for("dealers.ledger", dealer_id=form.dealer_id.data))
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
    dealer_id = parse_id(form.dealer_id.data)
    dealer = db.session.get(Organisation, dealer_id) if dealer_id else None
    return render_page("dealers/ledger.html", status=422, dealer=dealer, dealers=profiles.visible_dealers(),
                       lines=settlement.statement(dealer.id) if dealer else [],
                       balance=settlement.balance(dealer.id) if dealer else None, form=form)
