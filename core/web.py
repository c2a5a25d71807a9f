"""What plugins add to core pages: menu entries, panels, and form helpers."""
from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from flask import Response, current_app, render_template, request, url_for
from flask_login import current_user
from markupsafe import Markup

from core.plugins import flatten


@dataclass(frozen=True)
class MenuItem:
    """A navigation entry.

    :param label: translatable label.
    :param endpoint: the Flask endpoint it links to.
    :param permission: shown only to users holding it (``None``: every user).
    :param order: position; lower comes first.
    :param section: ``"main"`` (top bar) or ``"admin"``.
    :param internal_only: hidden from dealers' and customers' users.
    """

    label: object
    endpoint: str
    permission: str | None = None
    order: int = 100
    section: str = "main"
    internal_only: bool = False
    url_values: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return url_for(self.endpoint, **self.url_values)

    @property
    def active(self) -> bool:
        return request.endpoint == self.endpoint


@dataclass(frozen=True)
class Panel:
    """A block of HTML a plugin adds to a core page."""

    title: object
    html: Markup
    order: int = 100
    id: str = ""


def menu_for(user, section: str = "main") -> list[MenuItem]:
    """The menu entries ``user`` may use, sorted."""
    if not getattr(user, "is_authenticated", False):
        return []
    items = flatten(current_app.extensions["postventa"].hook.postventa_menu_items(user=user))
    visible = [
        item for item in items
        if item.section == section
        and (item.permission is None or user.can(item.permission))
        and (not item.internal_only or user.is_internal)
    ]
    return sorted(visible, key=lambda item: (item.order, str(item.label)))


def sorted_panels(results) -> list[Panel]:
    return sorted(flatten(results), key=lambda panel: (panel.order, str(panel.title)))


def render_page(template: str, fragment: str | None = None, status: int = 200, **context):
    """Render the full page, or only ``fragment`` when htmx asks for it.

    An htmx request (``request.htmx``, from htmx-flask) gets the fragment it will
    swap in; a plain request (no JavaScript, a reload) gets the whole page.
    """
    name = fragment if (fragment and request.htmx and not request.htmx.boosted) else template
    return render_template(name, **context), status


def form_errors_status(form) -> int:
    """422 when a submitted form has errors: the browser keeps what was typed."""
    return 422 if form.errors else 200


def current_user_can(permission: str) -> bool:
    return bool(getattr(current_user, "is_authenticated", False) and current_user.can(permission))


def attach_error(form, error) -> None:
    """Show a service's :class:`~core.errors.BusinessRuleError` next to the field it names.

    When it names no field of the form, it goes next to the form's first visible
    field, so the message is always on screen; a form of buttons only (no
    visible field) gets it in ``form.form_errors``, which ``_forms.html`` shows.
    """
    visible = [name for name, field in form._fields.items() if field.type not in ("CSRFTokenField", "HiddenField")]
    name = error.field if error.field in visible else (visible[0] if visible else None)
    if name is None:
        form.form_errors.append(error.message)
    else:
        form[name].errors = [*(form[name].errors or []), error.message]


def csv_response(filename: str, header: list[str], rows) -> Response:
    """A CSV download of ``rows`` under ``header`` (lists export the same way everywhere)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows(rows)
    return Response(buffer.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
