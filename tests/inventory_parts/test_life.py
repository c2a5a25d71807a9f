"""Abnormally short service life (W5)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from core.errors import BusinessRuleError
from plugins.inventory_parts.services import life

from .helpers import part


def test_w5_failure_under_half_the_normal_life_is_abnormal(inv_app):
    item = part(life=24)
    early = life.record_failure(item, date(2025, 3, 1), date(2025, 12, 1))  # 9 months
    normal = life.record_failure(item, date(2024, 1, 1), date(2025, 6, 1))  # 17 months
    assert early.abnormal is True and early.life_months == Decimal("9.0")
    assert normal.abnormal is False


def test_w5_abnormal_ratio_is_a_policy(make_app):
    from core.extensions import db

    app = make_app(["inventory_parts"], POSTVENTA_POLICIES={"inventory_parts.abnormal_life_ratio": "0.8"})
    with app.app_context():
        item = part(life=24)
        assert life.record_failure(item, date(2024, 1, 1), date(2025, 6, 1)).abnormal is True
        db.session.remove()


def test_w5_part_without_normal_life_is_never_abnormal(inv_app):
    assert life.record_failure(part(life=None), date(2026, 1, 1), date(2026, 1, 5)).abnormal is False


def test_w5_failure_before_fitting_is_refused(inv_app):
    with pytest.raises(BusinessRuleError) as refused:
        life.record_failure(part(life=12), date(2026, 1, 5), date(2026, 1, 1))
    assert refused.value.field == "failed_on"
