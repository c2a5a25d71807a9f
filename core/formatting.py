"""Jinja filters: times in the user's zone, money as Decimal, durations."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from flask_babel import format_datetime, format_decimal, gettext


def money(value) -> str:
    if value is None:
        return ""
    return format_decimal(Decimal(value).quantize(Decimal("0.01")), format="#,##0.00")


def duration(value: timedelta | None) -> str:
    """``1 h 05 min`` left, or ``-0 h 10 min`` when overdue."""
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    hours, rest = divmod(seconds, 3600)
    return gettext("%(sign)s%(hours)d h %(minutes)02d min", sign=sign, hours=hours, minutes=rest // 60)


def register_filters(app) -> None:
    app.jinja_env.filters["datetime"] = lambda value, fmt="short": format_datetime(value, fmt) if value else ""
    app.jinja_env.filters["money"] = money
    app.jinja_env.filters["duration"] = duration
