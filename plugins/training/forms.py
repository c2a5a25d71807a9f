"""Forms of the training plugin (choices are filled by the views, scoped to the user)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (DateField, DateTimeLocalField, DecimalField, IntegerField, SelectField, SelectMultipleField,
                     StringField, TextAreaField)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from .models import Audience, InvitationKind

AUDIENCE_LABELS = {
    Audience.DEALER_TECHNICIANS: _l("Dealer technicians"),
    Audience.OWNER_ENGINEERS: _l("The owner's engineers"),
    Audience.OWN_STAFF: _l("Our own staff"),
}
INVITATION_LABELS = {InvitationKind.MAKER: _l("Equipment maker"), InvitationKind.OWNER_ENGINEER: _l("Owner's engineer")}
YES_NO = [("1", _l("Yes")), ("0", _l("No"))]


class CourseForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=30)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    hours = DecimalField(_l("Training time (hours)"), places=1, validators=[InputRequired(), NumberRange(min=0.5, max=1000)])
    audience = SelectField(_l("Audience"), choices=list(AUDIENCE_LABELS.items()))
    owner_org_id = SelectField(_l("Owner who reviews the plan"), coerce=int, default=0)
    product_family = StringField(_l("Product family"), validators=[Length(max=80)])
    syllabus = TextAreaField(_l("Syllabus (one topic per line, in order)"), validators=[DataRequired()])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])
    required_roles = SelectMultipleField(_l("Roles the students must hold (any)"), validators=[Optional()])
    prerequisite_ids = SelectMultipleField(_l("Courses the students must have passed"), coerce=int,
                                           validators=[Optional()])
    validity_months = IntegerField(_l("Certificate validity (months)"), validators=[Optional(), NumberRange(min=1, max=240)])


class MaterialForm(FlaskForm):
    file = FileField(_l("Instructor material"), validators=[FileRequired()])


class AnswerForm(FlaskForm):
    decision = SelectField(_l("Answer"), choices=[("approve", _l("Approve")), ("changes", _l("Request changes"))])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000)])


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""


class SessionForm(FlaskForm):
    starts_at = DateTimeLocalField(_l("Starts at"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    place = StringField(_l("Place"), validators=[DataRequired(), Length(max=300)])
    capacity = IntegerField(_l("Capacity"), validators=[InputRequired(), NumberRange(min=1, max=1000)])
    instructor_id = SelectField(_l("Instructor"), coerce=int, default=0)


class EnrolForm(FlaskForm):
    user_id = SelectField(_l("Person"), coerce=int, validators=[DataRequired()])


class AttendanceForm(FlaskForm):
    attended = SelectField(_l("Attended"), choices=YES_NO)


class AssessmentForm(FlaskForm):
    score = DecimalField(_l("Score (0-100)"), places=1, validators=[InputRequired(), NumberRange(min=0, max=100)])


class InvitationForm(FlaskForm):
    kind = SelectField(_l("Who"), choices=list(INVITATION_LABELS.items()))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    company = StringField(_l("Company"), validators=[Length(max=200)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])


class DealerPlanForm(FlaskForm):
    dealer_org_id = SelectField(_l("Dealer"), coerce=int, validators=[DataRequired()])
    course_id = SelectField(_l("Course"), coerce=int, validators=[DataRequired()])
    interval_months = IntegerField(_l("Every (months)"), validators=[Optional(), NumberRange(min=1, max=120)])
    notes = StringField(_l("Notes"), validators=[Length(max=500)])


class ManualForm(FlaskForm):
    customer_org_id = SelectField(_l("Customer"), coerce=int, validators=[DataRequired()])
    project = StringField(_l("Project"), validators=[DataRequired(), Length(max=200)])
    on_site_testing_on = DateField(_l("On-site testing on"), validators=[Optional()])
    commissioning_on = DateField(_l("Commissioning on"), validators=[Optional()])
    outline = TextAreaField(_l("Draft outline"), validators=[Length(max=20000)])


class OutlineForm(FlaskForm):
    outline = TextAreaField(_l("Draft outline"), validators=[DataRequired(), Length(max=20000)])


class ManualVersionForm(FlaskForm):
    system_description = TextAreaField(_l("System description"), validators=[Length(max=50000)])
    technical_description = TextAreaField(_l("Technical description"), validators=[Length(max=50000)])
    maintenance_procedures = TextAreaField(_l("Maintenance procedures"), validators=[Length(max=50000)])
    parts_replacement = TextAreaField(_l("Parts replacement"), validators=[Length(max=50000)])
    fault_list = TextAreaField(_l("Fault list"), validators=[Length(max=50000)])
    extra_equipment = TextAreaField(_l("More equipment (maker; model; serial; settings per line)"),
                                    validators=[Length(max=20000)])
    director_name = StringField(_l("Maker's technical director"), validators=[Length(max=200)])
    director_phone = StringField(_l("Maker's technical director's phone"), validators=[Length(max=40)])
    contacts = TextAreaField(_l("Other contacts (role; name; phone per line)"), validators=[Length(max=5000)])
