"""Administration pages. Every change lands in the audit log (core/audit.py)."""
from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from core.audit import AuditLog
from core.auth.forms import OrganisationForm, RoleForm, UserForm
from core.auth.models import Organisation, Role, User
from core.auth.permissions import requires
from core.auth.services import all_permission_names
from core.errors import BusinessRuleError
from core.extensions import db
from core import plugin_state
from core.policies import policy

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.route("/users")
@requires("admin.users")
def users():
    rows = db.session.scalars(select(User).options(joinedload(User.organisation)).order_by(User.username)).all()
    return render_template("admin/users.html", users=rows)


def _user_form(user=None) -> UserForm:
    form = UserForm(obj=user)
    form.organisation_id.choices = [(o.id, o.name) for o in db.session.scalars(select(Organisation).order_by(Organisation.name))]
    form.roles.choices = [(r.id, r.name) for r in db.session.scalars(select(Role).order_by(Role.name))]
    if user is not None and request.method == "GET":
        form.roles.data = [r.id for r in user.roles]
    return form


@bp.route("/users/new", methods=["GET", "POST"], defaults={"user_id": None})
@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@requires("admin.users")
def user_edit(user_id):
    user = db.session.get(User, user_id) if user_id else None
    if user_id and user is None:
        return render_template("error.html", status=404, message=gettext("No such user.")), 404
    form = _user_form(user)
    if form.validate_on_submit():
        taken = db.session.scalar(select(User.id).where(User.username == form.username.data))
        if taken and (user is None or taken != user.id):
            form.username.errors.append(gettext("This user name is taken."))
        elif user is None and not form.password.data:
            form.password.errors.append(gettext("A new user needs a password."))
        else:
            user = user or User()
            user.username = form.username.data
            user.full_name = form.full_name.data
            user.email = form.email.data or ""
            user.organisation_id = form.organisation_id.data
            user.active = form.active.data
            user.roles = list(db.session.scalars(select(Role).where(Role.id.in_(form.roles.data or []))))
            if form.password.data:
                user.set_password(form.password.data)
            db.session.add(user)
            db.session.commit()
            flash(gettext("User saved."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_edit.html", form=form, user=user), 422 if form.errors else 200


@bp.route("/roles")
@requires("admin.roles")
def roles():
    rows = db.session.scalars(select(Role).order_by(Role.name)).all()
    return render_template("admin/roles.html", roles=rows, permissions=current_app.extensions["postventa"].permissions)


@bp.route("/roles/new", methods=["GET", "POST"], defaults={"role_id": None})
@bp.route("/roles/<int:role_id>", methods=["GET", "POST"])
@requires("admin.roles")
def role_edit(role_id):
    role = db.session.get(Role, role_id) if role_id else None
    if role_id and role is None:
        return render_template("error.html", status=404, message=gettext("No such role.")), 404
    form = RoleForm(obj=role)
    declared = current_app.extensions["postventa"].permissions
    form.permissions.choices = [(name, f"{name}: {declared[name].label}") for name in all_permission_names()]
    if form.validate_on_submit():
        taken = db.session.scalar(select(Role.id).where(Role.name == form.name.data))
        if taken and (role is None or taken != role.id):
            form.name.errors.append(gettext("This role exists already."))
        else:
            role = role or Role()
            role.name = form.name.data
            # Grants of plugins that are disabled now are kept for when they return.
            kept = [p for p in (role.permissions or []) if p not in declared]
            role.permissions = sorted(set(form.permissions.data or []) | set(kept))
            db.session.add(role)
            db.session.commit()
            flash(gettext("Role saved."), "success")
            return redirect(url_for("admin.roles"))
    return render_template("admin/role_edit.html", form=form, role=role), 422 if form.errors else 200


@bp.route("/organisations")
@requires("admin.organisations")
def organisations():
    rows = db.session.scalars(select(Organisation).order_by(Organisation.kind, Organisation.name)).all()
    return render_template("admin/organisations.html", organisations=rows)


@bp.route("/organisations/new", methods=["GET", "POST"], defaults={"org_id": None})
@bp.route("/organisations/<int:org_id>", methods=["GET", "POST"])
@requires("admin.organisations")
def organisation_edit(org_id):
    org = db.session.get(Organisation, org_id) if org_id else None
    if org_id and org is None:
        return render_template("error.html", status=404, message=gettext("No such organisation.")), 404
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        org = org or Organisation()
        form.populate_obj(org)
        org.email = org.email or ""
        db.session.add(org)
        db.session.commit()
        flash(gettext("Organisation saved."), "success")
        return redirect(url_for("admin.organisations"))
    return render_template("admin/organisation_edit.html", form=form, org=org), 422 if form.errors else 200


@bp.route("/plugins")
@requires("admin.plugins")
def plugins():
    registry = current_app.extensions["postventa"].registry
    return render_template(
        "admin/plugins.html",
        installed=registry.installed.values(),
        running=set(registry.enabled_names),
        chosen=plugin_state.chosen_enabled(),
        pinned=registry.pinned,
    )


@bp.route("/plugins/<name>/<any(enable, disable):action>", methods=["POST"])
@requires("admin.plugins")
def plugin_switch(name, action):
    try:
        if action == "enable":
            switched = plugin_state.enable(name)
            flash(gettext("Enabled: %(names)s. It takes effect when the workers restart.",
                          names=", ".join(switched) or name), "success")
        else:
            plugin_state.disable(name)
            flash(gettext("Disabled: %(name)s. It takes effect when the workers restart.", name=name), "success")
    except BusinessRuleError as error:
        db.session.rollback()
        flash(error.message, "error")
    return redirect(url_for("admin.plugins"))


@bp.route("/audit")
@requires("admin.audit")
def audit():
    page = max(request.args.get("page", 1, type=int), 1)
    size = policy("core.page_size")
    stmt = select(AuditLog)
    table = request.args.get("table")
    if table:
        stmt = stmt.where(AuditLog.table == table)
    total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
    rows = db.session.scalars(stmt.order_by(AuditLog.id.desc()).limit(size).offset((page - 1) * size)).all()
    actors = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({r.actor_id for r in rows if r.actor_id})))}
    return render_template("admin/audit.html", rows=rows, actors=actors, page=page,
                           pages=max((total + size - 1) // size, 1), table=table)
