"""Login, profile and user-administration forms."""
from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Email, Length, Optional, Regexp, ValidationError


class LoginForm(FlaskForm):
    username = StringField(_l("User"), validators=[DataRequired(), Length(max=80)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


def valid_time_zone(form, field):
    try:
        ZoneInfo(field.data)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(_l("Unknown time zone (for example Europe/Madrid)."))


class ProfileForm(FlaskForm):
    full_name = StringField(_l("Full name"), validators=[Length(max=200)])
    locale = SelectField(_l("Language"), choices=[("", _l("Browser's")), ("es", "Español"), ("en", "English")])
    timezone = StringField(_l("Time zone"), validators=[DataRequired(), Length(max=60), valid_time_zone])


class UserForm(FlaskForm):
    username = StringField(
        _l("User"),
        validators=[DataRequired(), Length(min=3, max=80),
                    Regexp(r"^[A-Za-z0-9_.\-]+$", message=_l("Letters, digits, dot, dash and underscore only."))],
    )
    full_name = StringField(_l("Full name"), validators=[Length(max=200)])
    email = StringField(_l("Email"), validators=[Optional(), Email(), Length(max=200)])
    organisation_id = SelectField(_l("Organisation"), coerce=int, validators=[DataRequired()])
    roles = SelectMultipleField(_l("Roles"), coerce=int)
    password = PasswordField(_l("Password"), validators=[Optional(), Length(min=8, max=200)])
    active = BooleanField(_l("Active"), default=True)


class RoleForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)])
    permissions = SelectMultipleField(_l("Permissions"))


class OrganisationForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    kind = SelectField(
        _l("Kind"),
        choices=[("company", _l("Our company")), ("dealer", _l("Dealer")),
                 ("customer", _l("Customer")), ("supplier", _l("Supplier"))],
    )
    tax_id = StringField(_l("Tax id"), validators=[Length(max=40)])
    phone = StringField(_l("Phone"), validators=[Length(max=40)])
    email = StringField(_l("Email"), validators=[Optional(), Email(), Length(max=200)])
    address = StringField(_l("Address"), validators=[Length(max=400)])
