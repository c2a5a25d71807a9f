"""Calendar arithmetic on dates (warranty terms and visit plans are counted in months)."""
from __future__ import annotations

import calendar
from datetime import date


def add_months(start: date, months: int) -> date:
    """``start`` moved by ``months`` calendar months; the 31st becomes the month's last day."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def add_years(start: date, years: int) -> date:
    return add_months(start, 12 * years)
