"""The dealers plugin's forms. Choices that depend on the user are filled in the views."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField, DateField, DecimalField, HiddenField, IntegerField, SelectField, SelectMultipleField,
    StringField, TextAreaField, widgets,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from .models import Assignee, ReturnReason, ShipmentMethod, TaskKind

CAUSE_LABELS = {
    "design": _l("Design"), "technology": _l("Technology"), "manufacture": _l("Manufacture"),
    "quality": _l("Quality"), "misuse": _l("Improper use"), "accident": _l("Accident"),
    "wear": _l("Normal wear"), "other": _l("Other"),
}
REMEDY_LABELS = {"repair": _l("Repair"), "replacement": _l("Replacement"), "refund": _l("Refund")}
TASK_KIND_LABELS = {
    TaskKind.REQUEST: _l("Service request"), TaskKind.OPINION: _l("Opinion"), TaskKind.COMPLAINT: _l("Complaint"),
    TaskKind.RETURN: _l("Return"), TaskKind.EXCHANGE: _l("Exchange"),
}
ASSIGNEE_LABELS = {Assignee.DEALER: _l("Dealer"), Assignee.DEPARTMENT: _l("Department"),
                   Assignee.SALES_REP: _l("Sales representative")}
METHOD_LABELS = {ShipmentMethod.DEADLINE: _l("By the yearly return deadline"),
                 ShipmentMethod.TRUCK: _l("On the delivery truck")}
RETURN_LABELS = {ReturnReason.QUALITY: _l("Quality problem"), ReturnReason.DISMANTLED: _l("Parts dismantled by the dealer"),
                 ReturnReason.UNSOLD: _l("Unsold")}
OUTCOME_LABELS = {"ok": _l("In order"), "out_of_scope": _l("Claim outside scope"),
                  "mismatch": _l("Record or parts do not match")}
MONEY = dict(places=2, validators=[Optional(), NumberRange(min=0)])


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class DealerForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    tax_id = StringField(_l("Tax id"), validators=[Length(max=40)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    address = StringField(_l("Address"), validators=[Length(max=400)])
    service_area = StringField(_l("Service area"), validators=[Length(max=300)])
    contact_name = StringField(_l("Contact person"), validators=[Length(max=200)])
    contact_phone = StringField(_l("Contact phone"), validators=[Length(max=40)])
    contact_email = StringField(_l("Contact email"), validators=[Optional(), Email(), Length(max=200)])


class ProfileForm(FlaskForm):
    service_area = StringField(_l("Service area"), validators=[Length(max=300)])
    contact_name = StringField(_l("Contact person"), validators=[Length(max=200)])
    contact_phone = StringField(_l("Contact phone"), validators=[Length(max=40)])
    contact_email = StringField(_l("Contact email"), validators=[Optional(), Email(), Length(max=200)])


class TrainingForm(FlaskForm):
    held_on = DateField(_l("Held on"), validators=[InputRequired()])
    topic = StringField(_l("Topic"), validators=[DataRequired(), Length(max=200)])


class SaleForm(FlaskForm):
    dealer_id = SelectField(_l("Dealer"), coerce=int, validators=[Optional()])
    serial = StringField(_l("Serial number"), validators=[DataRequired(), Length(max=80)])
    product_model = StringField(_l("Product model"), validators=[DataRequired(), Length(max=80)])
    customer_name = StringField(_l("End customer"), validators=[DataRequired(), Length(max=200)])
    customer_phone = StringField(_l("Customer phone"), validators=[Length(max=40)])
    customer_address = StringField(_l("Customer address"), validators=[Length(max=400)])
    sold_on = DateField(_l("Sale date"), validators=[InputRequired()])
    received_on = DateField(_l("Card received on"), validators=[Optional()])
    commitment = TextAreaField(_l("Service commitment to the customer"), validators=[Length(max=2000)])
    scope_acknowledged = BooleanField(_l("I promised nothing beyond the company's three-guarantee scope"))


class ClaimStartForm(FlaskForm):
    dealer_id = SelectField(_l("Filed for"), coerce=int, validators=[Optional()])
    serial = StringField(_l("Serial number"), validators=[DataRequired(), Length(max=80)])


class ClaimForm(FlaskForm):
    """The three-guarantee maintenance record (D14); saved as a draft until submitted."""

    fault_on = DateField(_l("Fault date"), validators=[Optional()])
    fault = TextAreaField(_l("Fault"), validators=[Length(max=4000)])
    cause = SelectField(_l("Cause"), choices=[("", "—")] + list(CAUSE_LABELS.items()), validators=[Optional()])
    remedy = SelectField(_l("Remedy"), choices=list(REMEDY_LABELS.items()))
    labour_hours = DecimalField(_l("Labour hours"), **MONEY)
    travel_km = DecimalField(_l("Travel (km)"), places=1, validators=[Optional(), NumberRange(min=0)])
    indirect_loss = DecimalField(_l("Indirect losses claimed"), **MONEY)
    technician_id = SelectField(_l("Technician"), coerce=int, validators=[Optional()])
    served_user_name = StringField(_l("Served user's name (confirmation)"), validators=[Length(max=200)])
    signature = HiddenField(_l("Signature"))


class PartForm(FlaskForm):
    part_number = StringField(_l("Part number"), validators=[DataRequired(), Length(max=80)])
    quantity = DecimalField(_l("Quantity"), places=2, default=1, validators=[InputRequired(), NumberRange(min=0.01)])
    unit_price = DecimalField(_l("Unit price"), **MONEY)
    old_part_number = StringField(_l("Old part number"), validators=[Length(max=80)])
    old_serial = StringField(_l("Old part serial"), validators=[Length(max=80)])


class PhotoForm(FlaskForm):
    file = FileField(_l("Photo"), validators=[FileRequired()])


class PaidServiceForm(FlaskForm):
    price = DecimalField(_l("Agreed price"), places=2, validators=[InputRequired(), NumberRange(min=0)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=1000)])


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Review note"), validators=[Length(max=1000)])


class AppraiseForm(FlaskForm):
    defect_confirmed = BooleanField(_l("Defect confirmed"))
    usable = BooleanField(_l("Usable"))


class EmptyForm(FlaskForm):
    """A button that only needs the CSRF token."""


class ShipmentForm(FlaskForm):
    part_ids = MultiCheckboxField(_l("Old parts"), coerce=int, validators=[DataRequired()])
    method = SelectField(_l("Method"), choices=list(METHOD_LABELS.items()))
    shipped_on = DateField(_l("Shipped on"), validators=[Optional()])
    reference = StringField(_l("Reference"), validators=[Length(max=80)])


class NoticeIssueForm(FlaskForm):
    period_start = DateField(_l("From"), validators=[InputRequired()])
    period_end = DateField(_l("To"), validators=[InputRequired()])
    dealer_id = SelectField(_l("Dealer"), coerce=int, default=0, validators=[Optional()])


class ChargeForm(FlaskForm):
    dealer_id = SelectField(_l("Dealer"), coerce=int, validators=[DataRequired()])
    amount = DecimalField(_l("Amount"), places=2, validators=[InputRequired(), NumberRange(min=0.01)])
    reference = StringField(_l("Reference"), validators=[DataRequired(), Length(max=200)])


class TaskForm(FlaskForm):
    kind = SelectField(_l("Received"), choices=list(TASK_KIND_LABELS.items()))
    customer_id = SelectField(_l("Customer"), coerce=int, validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Length(max=4000)])
    emergency = BooleanField(_l("Emergency"))
    product_family = StringField(_l("Product family"), validators=[Length(max=80)])
    subcontracted = BooleanField(_l("Subcontracted product"))
    contact_name = StringField(_l("Contact"), validators=[Length(max=200)])
    contact_phone = StringField(_l("Phone"), validators=[Length(max=40)])
    site = StringField(_l("Site"), validators=[Length(max=300)])


class DispatchForm(FlaskForm):
    assignee_kind = SelectField(_l("Dispatch to"), choices=list(ASSIGNEE_LABELS.items()))
    dealer_id = SelectField(_l("Dealer"), coerce=int, default=0, validators=[Optional()])
    department_id = SelectField(_l("Department"), coerce=int, default=0, validators=[Optional()])
    sales_rep_id = SelectField(_l("Sales representative"), coerce=int, default=0, validators=[Optional()])


class ArrangeForm(FlaskForm):
    arrangement = TextAreaField(_l("Arrangement"), validators=[DataRequired(), Length(max=2000)])


class ClassifyForm(FlaskForm):
    fault_class = SelectField(_l("Fault"), choices=[("normal", _l("Normal fault")), ("abnormal", _l("Abnormal fault"))])


class ReportForm(FlaskForm):
    user_notified = BooleanField(_l("The user has been notified"))
    report = TextAreaField(_l("Report to the technical department"), validators=[DataRequired(), Length(max=2000)])


class CheckForm(FlaskForm):
    implemented = SelectField(_l("Implemented"), choices=[("yes", _l("Yes")), ("no", _l("No"))])
    note = StringField(_l("Note"), validators=[Length(max=1000)])


class StockReturnForm(FlaskForm):
    dealer_id = SelectField(_l("Dealer"), coerce=int, validators=[Optional()])
    product_model = StringField(_l("Product model"), validators=[DataRequired(), Length(max=80)])
    serial = StringField(_l("Serial number"), validators=[Length(max=80)])
    quantity = IntegerField(_l("Quantity"), default=1, validators=[InputRequired(), NumberRange(min=1)])
    reason = SelectField(_l("Reason"), choices=list(RETURN_LABELS.items()))
    delivered_on = DateField(_l("Delivered to the dealer on"), validators=[InputRequired()])
    freight = DecimalField(_l("Freight"), **MONEY)


class SpotCheckForm(FlaskForm):
    claim_id = IntegerField(_l("Claim id (optional)"), validators=[Optional()])
    outcome = SelectField(_l("Outcome"), choices=list(OUTCOME_LABELS.items()))
    findings = TextAreaField(_l("Findings"), validators=[Length(max=4000)])
