"""Login, logout and the user's own profile."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user, login_user, logout_user
from urllib.parse import urlsplit

from core.auth.forms import LoginForm, ProfileForm
from core.auth.permissions import login_only, public
from core.auth.services import authenticate
from core.extensions import db

bp = Blueprint("auth", __name__)


def _safe_next(target: str | None) -> str:
    """Only follow ``next`` to a path on this site (no open redirects)."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("home.index")


@bp.route("/login", methods=["GET", "POST"])
@public
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user, problem = authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        if problem == "locked":
            form.username.errors.append(gettext("Too many failed attempts: this account is locked for a while."))
        else:
            form.password.errors.append(gettext("Wrong user or password."))
        status = 401
    elif form.errors:
        status = 422
    return render_template("auth/login.html", form=form), status


@bp.route("/logout", methods=["POST"])
@login_only
def logout():
    logout_user()
    flash(gettext("You have logged out."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/profile", methods=["GET", "POST"])
@login_only
def profile():
    form = ProfileForm(obj=current_user)
    if form.validate_on_submit():
        current_user.full_name = form.full_name.data
        current_user.locale = form.locale.data
        current_user.timezone = form.timezone.data
        db.session.commit()
        flash(gettext("Profile saved."), "success")
        return redirect(url_for("auth.profile"))
    return render_template("auth/profile.html", form=form), 422 if form.errors else 200
