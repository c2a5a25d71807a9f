"""What every dealers view shares: who owns a new record, and running a form's action."""
from __future__ import annotations

from flask import flash, redirect, request
from flask_login import current_user

from core.auth.scoping import owner_for_new_record
from core.errors import BusinessRuleError
from core.extensions import db
from core.web import attach_error, render_page

from ..services import profiles


def owner_choices(form, allow_company: bool = False) -> None:
    """Fill ``form.dealer_id``: every dealer for staff, only their own for a dealer's user."""
    if current_user.is_internal:
        choices = profiles.dealer_choices()
        if allow_company:
            choices = [(current_user.organisation_id, current_user.organisation.name)] + choices
        form.dealer_id.choices = choices
    else:
        form.dealer_id.choices = [(current_user.organisation_id, current_user.organisation.name)]
        if request.method == "GET":
            form.dealer_id.data = current_user.organisation_id


def new_record_owner(form) -> int:
    """The dealer a new record belongs to; a dealer naming another dealer is refused."""
    return owner_for_new_record(form.dealer_id.data or None, field="dealer_id")


def run_form(form, action, success_url, template: str, **context):
    """Validate ``form``, run ``action(form)`` and commit, then go to ``success_url()``.

    On any refusal answer 422 with the page and what was typed (nothing is lost).
    """
    status = 200
    if form.validate_on_submit():
        try:
            message = action(form)
            db.session.commit()
        except BusinessRuleError as error:
            db.session.rollback()
            attach_error(form, error)
            status = 422
        else:
            if message:
                flash(message, "success")
            return redirect(success_url())
    elif request.method == "POST":
        status = 422
    return render_page(template, status=status, form=form, **context)
