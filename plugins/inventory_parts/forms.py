"""Forms of the spare-parts plugin. Services re-check every rule; forms catch typing errors early."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import DateField, DecimalField, FieldList, Form, FormField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .models import LineDecision, LocationKind, MoveKind, PartKind, ReturnReason

KIND_LABELS = {
    PartKind.THREE_GUARANTEE: _l("Three-guarantee part"),
    PartKind.WEAR: _l("Wear part"),
    PartKind.OTHER: _l("Other"),
}
LOCATION_KIND_LABELS = {
    LocationKind.COMPANY: _l("Company warehouse"),
    LocationKind.DEALER: _l("Dealer stock"),
    LocationKind.OLD_USABLE: _l("Old parts, usable"),
    LocationKind.OLD_UNUSABLE: _l("Old parts, unusable"),
}
MOVE_KIND_LABELS = {
    MoveKind.RECEIPT: _l("Receipt"),
    MoveKind.ISSUE: _l("Issue"),
    MoveKind.TRANSFER: _l("Transfer"),
    MoveKind.RETURN: _l("Return"),
    MoveKind.ADJUSTMENT: _l("Adjustment"),
}
RETURN_REASON_LABELS = {
    ReturnReason.QUALITY: _l("Quality problem"),
    ReturnReason.DISMANTLED: _l("Dismantled by the dealer"),
    ReturnReason.UNSOLD: _l("Unsold"),
}
DECISION_LABELS = {
    LineDecision.APPROVED: _l("Approve"),
    LineDecision.CHANGED: _l("Change quantity"),
    LineDecision.REJECTED: _l("Reject"),
}
MONEY = dict(places=2, validators=[InputRequired(), NumberRange(min=0)])


class PartForm(FlaskForm):
    number = StringField(_l("Part number"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=list(KIND_LABELS.items()))
    unit = StringField(_l("Unit"), default="ud", validators=[Length(max=20)])
    cost_price = DecimalField(_l("Cost price"), **MONEY)
    list_price = DecimalField(_l("List price"), **MONEY)
    preferential_margin_pct = DecimalField(_l("Post-warranty margin over cost (%)"), places=2,
                                           validators=[Optional(), NumberRange(min=0)])
    service_life_months = IntegerField(_l("Normal service life (months)"),
                                       validators=[Optional(), NumberRange(min=1)])
    reorder_point = DecimalField(_l("Reorder point"), places=2, validators=[Optional(), NumberRange(min=0)])
    fits = StringField(_l("Fits (models or families, separated by |)"), validators=[Length(max=500)])


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])


class LocationForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(_l("Kind"), choices=list(LOCATION_KIND_LABELS.items()))
    owner_org_id = SelectField(_l("Owner"), coerce=int)


class MoveForm(FlaskForm):
    kind = SelectField(_l("Move"), choices=[(k, MOVE_KIND_LABELS[k])
                                            for k in (MoveKind.RECEIPT, MoveKind.ADJUSTMENT, MoveKind.TRANSFER)])
    part_number = StringField(_l("Part number"), validators=[DataRequired(), Length(max=40)])
    location_id = SelectField(_l("Location"), coerce=int)
    target_id = SelectField(_l("To (transfers)"), coerce=int, validators=[Optional()])
    quantity = DecimalField(_l("Quantity (negative to reduce)"), places=2, validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[Length(max=300)])


class OrderLineForm(Form):
    part_number = StringField(_l("Part number"), validators=[Optional(), Length(max=40)])
    quantity = DecimalField(_l("Quantity"), places=2, validators=[Optional(), NumberRange(min=0.01)])


class OrderForm(FlaskForm):
    dealer_org_id = SelectField(_l("Dealer"), coerce=int, validators=[Optional()])
    lines = FieldList(FormField(OrderLineForm), min_entries=5, max_entries=30)
    notes = TextAreaField(_l("Notes"), validators=[Length(max=2000)])


class PaymentForm(FlaskForm):
    amount = DecimalField(_l("Amount collected"), places=2, validators=[InputRequired(), NumberRange(min=0)])
    reference = StringField(_l("Receipt reference"), validators=[Length(max=120)])


class SignedNoteForm(FlaskForm):
    file = FileField(_l("Signed and stamped delivery note"), validators=[FileRequired()])


class SeasonForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    opens_on = DateField(_l("Opens on"), validators=[InputRequired()])
    closes_on = DateField(_l("Closes on"), validators=[InputRequired()])


class PlanForm(FlaskForm):
    dealer_org_id = SelectField(_l("Dealer"), coerce=int, validators=[Optional()])
    season_id = SelectField(_l("Season"), coerce=int, validators=[InputRequired()])


class AddLineForm(FlaskForm):
    part_number = StringField(_l("Part number"), validators=[DataRequired(), Length(max=40)])
    quantity = DecimalField(_l("Quantity"), places=2, validators=[InputRequired(), NumberRange(min=0.01)])


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class DecideLineForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=list(DECISION_LABELS.items()))
    quantity = DecimalField(_l("Approved quantity"), places=2, validators=[Optional(), NumberRange(min=0)])
    note = StringField(_l("Note"), validators=[Length(max=300)])


class ReturnForm(FlaskForm):
    order_id = SelectField(_l("Delivered order"), coerce=int)
    part_number = StringField(_l("Part number"), validators=[DataRequired(), Length(max=40)])
    quantity = DecimalField(_l("Quantity"), places=2, validators=[InputRequired(), NumberRange(min=0.01)])
    reason = SelectField(_l("Why it comes back"), choices=list(RETURN_REASON_LABELS.items()))


class ReceiveReturnForm(FlaskForm):
    freight_cost = DecimalField(_l("Freight cost"), places=2, validators=[InputRequired(), NumberRange(min=0)])
    restoration_cost = DecimalField(_l("Restoration cost"), places=2, default=0,
                                    validators=[Optional(), NumberRange(min=0)])


class FailureForm(FlaskForm):
    part_number = StringField(_l("Part number"), validators=[DataRequired(), Length(max=40)])
    serial = StringField(_l("Serial"), validators=[Length(max=80)])
    fitted_on = DateField(_l("Fitted on"), validators=[InputRequired()])
    failed_on = DateField(_l("Failed on"), validators=[InputRequired()])
    reference = StringField(_l("Reference"), validators=[Length(max=120)])
