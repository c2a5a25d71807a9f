"""Forms of the warranty pages and case panels (every error is shown next to its field)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (BooleanField, DateField, DateTimeLocalField, DecimalField, HiddenField, IntegerField,
                     SelectField, SelectMultipleField, StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, ListWidget

CAUSE_LABELS = [("supplier", _l("Material supplier's product")), ("company", _l("Company's own workmanship")),
                ("customer", _l("Customer's own problem")), ("other", _l("Other"))]
LINE_LABELS = [("parts", _l("Parts")), ("labour", _l("Labour")), ("travel", _l("Travel"))]
CHECKLIST_LABELS = {
    "id_shown": _l("Identification shown"),
    "certificate_asked": _l("Warranty certificate asked for"),
    "no_customer_materials": _l("No tools or materials bought by the customer"),
    "floor_protected": _l("Floor protected"),
    "consent_for_facilities": _l("Consent asked before using facilities"),
    "restored_and_cleaned": _l("Things restored and cleaned"),
    "precautions_explained": _l("Precautions explained"),
}


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class LookupForm(FlaskForm):
    serial = StringField(_l("Serial number"), validators=[DataRequired(), Length(max=80)])
    model = StringField(_l("Product model"), validators=[Optional(), Length(max=80)])


class ProductForm(FlaskForm):
    model = StringField(_l("Model"), validators=[DataRequired(), Length(max=80)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    family = StringField(_l("Family (loaner level)"), validators=[DataRequired(), Length(max=80)])
    maker = StringField(_l("Maker"), validators=[Optional(), Length(max=120)])
    policy_id = SelectField(_l("Warranty policy"), coerce=int, default=0)


class UnitForm(FlaskForm):
    product_id = SelectField(_l("Product"), coerce=int, validators=[DataRequired()])
    serial = StringField(_l("Serial number"), validators=[DataRequired(), Length(max=80)])
    customer_id = SelectField(_l("Customer"), coerce=int, validators=[DataRequired()])
    site = StringField(_l("Site"), validators=[Optional(), Length(max=300)])
    delivered_on = DateField(_l("Delivered on"), validators=[Optional()])
    installed_on = DateField(_l("Installed on"), validators=[Optional()])
    completed_on = DateField(_l("Completed on"), validators=[Optional()])


class AcceptanceForm(FlaskForm):
    accepted_on = DateField(_l("Acceptance report signed on"), validators=[InputRequired()])
    accepted_by_customer = StringField(_l("Signed for the customer by"), validators=[DataRequired(), Length(max=200)])
    accepted_by_company = StringField(_l("Signed for the company by"), validators=[DataRequired(), Length(max=200)])
    scan = FileField(_l("Scan of the signed report"))


class ImportForm(FlaskForm):
    file = FileField(_l("CSV file"), validators=[FileRequired()])


class ServiceRequestForm(FlaskForm):
    """M1: the maintenance feedback form."""

    customer_id = SelectField(_l("Customer"), coerce=int, validators=[DataRequired()])
    serial = StringField(_l("Serial number"), validators=[Optional(), Length(max=80)])
    certificate_shown = BooleanField(_l("The customer can show the warranty certificate"), default=True)
    owner_name = StringField(_l("Owner's name"), validators=[DataRequired(), Length(max=200)])
    owner_phone = StringField(_l("Phone"), validators=[DataRequired(), Length(max=40)])
    owner_address = StringField(_l("Address"), validators=[DataRequired(), Length(max=300)])
    content = TextAreaField(_l("What happens"), validators=[DataRequired(), Length(max=5000)])
    requirements = TextAreaField(_l("Requirements"), validators=[Optional(), Length(max=2000)])
    emergency = BooleanField(_l("Emergency"))
    complaint = BooleanField(_l("Complaint"))
    accident = BooleanField(_l("Emergency repair accident"))


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[DataRequired(), Length(max=2000)])


class TechnicianForm(FlaskForm):
    technician_id = SelectField(_l("Technician"), coerce=int, validators=[DataRequired()])


class ContactForm(FlaskForm):
    summary = TextAreaField(_l("What was agreed"), validators=[DataRequired(), Length(max=2000)])


class LoanerForm(FlaskForm):
    loaner_unit_id = SelectField(_l("Loaner unit"), coerce=int, validators=[DataRequired()])


class EmptyForm(FlaskForm):
    """A button with only the CSRF token."""


class ClassifyForm(FlaskForm):
    cause = SelectField(_l("Cause"), choices=CAUSE_LABELS)
    note = TextAreaField(_l("Findings"), validators=[Optional(), Length(max=2000)])
    confirmed_in_person = BooleanField(_l("Inspected and confirmed in person"))


class SupplierForm(FlaskForm):
    supplier_id = SelectField(_l("Supplier"), coerce=int, validators=[DataRequired()])
    visit_at = DateTimeLocalField(_l("Agreed visit"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])


class AssistanceForm(FlaskForm):
    plan = TextAreaField(_l("Assistance plan"), validators=[DataRequired(), Length(max=2000)])


class ServiceItemForm(FlaskForm):
    description = StringField(_l("Item"), validators=[DataRequired(), Length(max=300)])
    quantity = DecimalField(_l("Quantity"), places=3, validators=[InputRequired(), NumberRange(min=0)])
    method = StringField(_l("Method"), validators=[DataRequired(), Length(max=300)])
    labour_cost = DecimalField(_l("Labour cost"), places=2, validators=[InputRequired(), NumberRange(min=0)])
    material_cost = DecimalField(_l("Material cost"), places=2, validators=[InputRequired(), NumberRange(min=0)])
    contract_budget = DecimalField(_l("Contract budget"), places=2, validators=[Optional(), NumberRange(min=0)])
    change_orders = DecimalField(_l("Change orders"), places=2, validators=[Optional(), NumberRange(min=0)])


class FeeLineForm(FlaskForm):
    kind = SelectField(_l("Line"), choices=LINE_LABELS)
    description = StringField(_l("Description"), validators=[DataRequired(), Length(max=300)])
    part_number = StringField(_l("Part number"), validators=[Optional(), Length(max=60)])
    quantity = DecimalField(_l("Quantity"), places=3, validators=[InputRequired(), NumberRange(min=0)])
    unit_price = DecimalField(_l("Cost price"), places=2, validators=[Optional(), NumberRange(min=0)])
    improper_use = BooleanField(_l("Damage from improper use"))
    part_fitted_on = DateField(_l("Part fitted on"), validators=[Optional()])
    abnormal_life_confirmed_by = StringField(_l("Short life confirmed by (department)"),
                                             validators=[Optional(), Length(max=200)])


class AcceptFeesForm(FlaskForm):
    accepted_by = StringField(_l("Accepted by (name)"), validators=[DataRequired(), Length(max=200)])


class TaskBookForm(FlaskForm):
    notified_on = DateField(_l("Notified on"), validators=[InputRequired()])
    agreed_via = SelectField(_l("Repair agreed"), choices=[("on_site", _l("On site")), ("phone", _l("By phone"))])
    repair_content = TextAreaField(_l("Repair content"), validators=[DataRequired(), Length(max=5000)])
    root_causes = TextAreaField(_l("Root causes"), validators=[DataRequired(), Length(max=5000)])
    measures = TextAreaField(_l("Measures"), validators=[DataRequired(), Length(max=5000)])


class DecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[("approve", _l("Pass on")), ("return", _l("Send back"))])
    reason = TextAreaField(_l("Reason for sending back"), validators=[Optional(), Length(max=2000)])


class ResubmitForm(FlaskForm):
    root_causes = TextAreaField(_l("Root causes"), validators=[DataRequired(), Length(max=5000)])
    measures = TextAreaField(_l("Measures"), validators=[DataRequired(), Length(max=5000)])


class PlanForm(FlaskForm):
    due_on = DateField(_l("Completion date"), validators=[InputRequired()])
    director_available = BooleanField(_l("The project director is available"), default=True)
    responsible_id = SelectField(_l("Dedicated maintenance staff"), coerce=int, default=0)


class CompleteForm(FlaskForm):
    confirmed_by = StringField(_l("Confirmed by (owner or project management)"),
                               validators=[DataRequired(), Length(max=200)])


class VisitRecordForm(FlaskForm):
    checklist = MultiCheckboxField(_l("Conduct checklist"), choices=list(CHECKLIST_LABELS.items()))
    work_done = TextAreaField(_l("Work done"), validators=[DataRequired(), Length(max=2000)])
    confirmed_by = StringField(_l("Customer's name (confirmation)"), validators=[DataRequired(), Length(max=200)])
    signature = HiddenField()


class DeliveryForm(FlaskForm):
    contact_name = StringField(_l("Contact person"), validators=[DataRequired(), Length(max=200)])
    delivery_at = DateTimeLocalField(_l("Delivery"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])


class InstalledForm(FlaskForm):
    installed_on = DateField(_l("Installed on"), validators=[InputRequired()])
    customer_person = StringField(_l("With the customer's"), validators=[DataRequired(), Length(max=200)])


class IssueForm(FlaskForm):
    description = TextAreaField(_l("Problem found"), validators=[DataRequired(), Length(max=2000)])
    product_defect = BooleanField(_l("Product defect (report to production)"))


class HandleIssueForm(FlaskForm):
    issue_id = HiddenField(validators=[DataRequired()])
    outcome = SelectField(_l("Outcome"), choices=[("fixed", _l("Fixed")), ("escalated", _l("Escalated"))])
    resolution = StringField(_l("What was done"), validators=[DataRequired(), Length(max=2000)])


class HandoverForm(FlaskForm):
    handover_signed_by = StringField(_l("Signed by the customer"), validators=[DataRequired(), Length(max=200)])
    company_signatory = StringField(_l("Signed for the company"), validators=[DataRequired(), Length(max=200)])


class FollowUpForm(FlaskForm):
    summary = TextAreaField(_l("What the customer said"), validators=[DataRequired(), Length(max=2000)])


class CardForm(FlaskForm):
    language = SelectField(_l("Language"), choices=[("es", _l("Spanish")), ("en", _l("English"))])


class ContractForm(FlaskForm):
    starts_on = DateField(_l("Starts on"), validators=[InputRequired()])
    visits_per_year = IntegerField(_l("Visits per year"), validators=[InputRequired(), NumberRange(min=1, max=52)])
    price = DecimalField(_l("Price"), places=2, validators=[InputRequired(), NumberRange(min=0)])


class RenewForm(FlaskForm):
    price = DecimalField(_l("New price"), places=2, validators=[Optional(), NumberRange(min=0)])


class VisitReportForm(FlaskForm):
    done_on = DateField(_l("Visited on"), validators=[InputRequired()])
    opinions = TextAreaField(_l("Owner's opinions"), validators=[DataRequired(), Length(max=5000)])
    defects = TextAreaField(_l("Defects found"), validators=[Optional(), Length(max=5000)])
    corrective_measure = TextAreaField(_l("Corrective measure (leave empty to open a case)"),
                                       validators=[Optional(), Length(max=5000)])
    supervisor_id = SelectField(_l("Supervisor"), coerce=int, validators=[DataRequired()])
