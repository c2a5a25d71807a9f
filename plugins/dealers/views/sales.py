"""Sale registration: the three-guarantee receipt card (D7)."""
from __future__ import annotations

from flask import url_for
from flask_babel import gettext, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import joinedload

from core.auth.permissions import requires
from core.extensions import db
from core.policies import policy
from core.web import render_page

from ..forms import SaleForm
from ..models import Sale
from ..services import sales
from .blueprint import bp
from .common import new_record_owner, owner_choices, run_form


@bp.route("/sales", endpoint="sales")
@requires("dealers.portal")
def sale_list():
    rows = db.session.scalars(
        sales.visible_sales().options(joinedload(Sale.dealer)).order_by(Sale.sold_on.desc(), Sale.id.desc()).limit(200)
    ).all()
    return render_page("dealers/sales.html", sales=rows, days=policy("dealers.registration_days"))


@bp.route("/sales/new", methods=["GET", "POST"], endpoint="sale_new")
@requires("dealers.sale.register")
def sale_new():
    form = SaleForm()
    owner_choices(form)
    if not current_user.is_internal:
        del form.received_on  # a dealer's card is received the day it reaches the company (D7)

    def action(form):
        sale = sales.register_sale(
            new_record_owner(form), serial=form.serial.data, product_model=form.product_model.data,
            customer_name=form.customer_name.data, customer_phone=form.customer_phone.data,
            customer_address=form.customer_address.data, sold_on=form.sold_on.data,
            received_on=form.received_on.data if current_user.is_internal else None,
            commitment=form.commitment.data, scope_acknowledged=form.scope_acknowledged.data,
        )
        if sale.entitled:
            return gettext("Sale of %(serial)s registered.", serial=sale.serial)
        return gettext("Sale of %(serial)s registered late: no three-guarantee service for it.", serial=sale.serial)

    return run_form(form, action, lambda: url_for("dealers.sales"), "dealers/form.html",
                    title=_l("Register a sale"), submit=_l("Register"), form_id="sale-form")
