"""Forms of the case list and the case page."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.widgets import HiddenInput
from wtforms.validators import DataRequired, Length, Optional

from .models import CaseChannel, CasePriority, CaseStatus

# "Open" the state, not "open" the verb: statuses carry their own context for translators.
STATUS_LABELS = {
    CaseStatus.NEW: lazy_pgettext("case status", "New"),
    CaseStatus.OPEN: lazy_pgettext("case status", "Open"),
    CaseStatus.IN_PROGRESS: lazy_pgettext("case status", "In progress"),
    CaseStatus.WAITING: lazy_pgettext("case status", "Waiting"),
    CaseStatus.RESOLVED: lazy_pgettext("case status", "Resolved"),
    CaseStatus.CLOSED: lazy_pgettext("case status", "Closed"),
}
CHANNEL_LABELS = {
    CaseChannel.CALL: _l("Call"),
    CaseChannel.LETTER: _l("Letter"),
    CaseChannel.VISIT: _l("Visit"),
    CaseChannel.PORTAL: _l("Portal"),
    CaseChannel.EMAIL: _l("Email"),
}
PRIORITY_LABELS = {CasePriority.NORMAL: _l("Normal"), CasePriority.EMERGENCY: _l("Emergency")}
LOG_KIND_LABELS = {"call": _l("Call"), "letter": _l("Letter"), "visit": _l("Visit"), "accident": _l("Accident handling")}


class CaseFilterForm(FlaskForm):
    q = StringField(_l("Search"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Status"), choices=[("", _l("Open cases"))] + list(STATUS_LABELS.items()),
                         validators=[Optional()])
    priority = SelectField(_l("Priority"), choices=[("", _l("All"))] + list(PRIORITY_LABELS.items()),
                           validators=[Optional()])
    # A name to search, not a list of every customer: there may be thousands.
    customer = StringField(_l("Customer"), validators=[Optional(), Length(max=100)])
    customer_id = IntegerField(widget=HiddenInput(), validators=[Optional()])
    assignee = SelectField(_l("Assignee"), coerce=int, default=0, validators=[Optional()])
    overdue = BooleanField(_l("Overdue only"))
    include_closed = BooleanField(_l("Include closed"))


class CaseForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    customer_id = SelectField(_l("Customer"), coerce=int, validators=[DataRequired()])
    channel = SelectField(_l("Channel"), choices=list(CHANNEL_LABELS.items()), default=CaseChannel.CALL)
    priority = SelectField(_l("Priority"), choices=list(PRIORITY_LABELS.items()), default=CasePriority.NORMAL)
    site = StringField(_l("Site"), validators=[Length(max=300)])
    contact_name = StringField(_l("Contact"), validators=[Length(max=200)])
    contact_phone = StringField(_l("Phone"), validators=[Length(max=40)])
    description = TextAreaField(_l("Description"), validators=[Length(max=5000)])


class CommentForm(FlaskForm):
    text = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=5000)])


class ServiceLogForm(FlaskForm):
    kind = SelectField(_l("Kind"), choices=list(LOG_KIND_LABELS.items()))
    summary = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=2000)])
    result = StringField(_l("Result"), validators=[Length(max=2000)])


class StatusForm(FlaskForm):
    status = SelectField(_l("Status"), choices=list(STATUS_LABELS.items()))
    note = StringField(_l("Note"), validators=[Length(max=500)])


class AssignForm(FlaskForm):
    assignee_id = SelectField(_l("Assignee"), coerce=int)


class AttachmentForm(FlaskForm):
    file = FileField(_l("File"), validators=[FileRequired()])
