"""The dealers plugin's configurable policies (every number of D1-D19, S7-S10).

Money defaults are strings so a deployment's JSON override and the default read
the same way: :func:`money_policy` turns either into a ``Decimal``.
"""
from __future__ import annotations

from decimal import Decimal

from core.policies import policy

DEFAULTS = {
    # D7: the receipt card reaches the company within 20 days of the sale.
    "dealers.registration_days": 20,
    # D9: the causes the company is liable for.
    "dealers.liable_causes": ["design", "technology", "manufacture", "quality"],
    # Causes a dealer may record (D9 refuses the ones not in liable_causes).
    "dealers.causes": ["design", "technology", "manufacture", "quality", "misuse", "accident", "wear", "other"],
    # D19: fee verification rates.
    "dealers.labour_rate": "35.00",
    "dealers.travel_rate_per_km": "0.35",
    "dealers.travel_max_amount": "150.00",
    # D10: paid service = travel + technicians' wages, never above this ceiling.
    "dealers.paid_service_ceiling": "600.00",
    # Duplicate checks: the same unit and part claimed twice within this window.
    "dealers.duplicate_window_days": 180,
    # D15: the company's two yearly return deadlines for old parts ("MM-DD").
    "dealers.part_return_deadlines": ["06-30", "12-31"],
    # T6 through the training plugin: refuse claims by uncertified technicians.
    "dealers.require_certified_technician": False,
    # S7, S8, S10, S9 response clocks (minutes).
    "dealers.s7_arrange_minutes": 120,
    "dealers.s8_arrange_minutes": 120,
    "dealers.s10_arrange_minutes": 120,
    "dealers.s10_report_minutes": 120,
    "dealers.s9_check_minutes": 240,
    # D2: where abnormal faults go.
    "dealers.technical_department": "Departamento técnico",
    # D3: product families the company subcontracts (handled by sales representatives).
    "dealers.subcontracted_families": [],
    # D13: a work cycle, and how many of them before unsold stock counts as sold.
    "dealers.work_cycle_days": 365,
    "dealers.unsold_cycles": 2,
    "dealers.restoration_fee_per_unit": "40.00",
    # D12: scorecard and grades.
    "dealers.scorecard_days": 365,
    "dealers.grades": ["A", "B", "C", "D"],
    "dealers.grade_min_scores": {"A": 90, "B": 75, "C": 50, "D": 0},
    "dealers.initial_grade": "B",
    "dealers.score_penalties": {
        "late_registration": 5, "task_late": 5, "claim_rejected": 2, "parts_late": 5,
        "duplicate_flagged": 10, "spot_check_failed": 15, "other": 5,
    },
    # D5: dealers are trained at least this often.
    "dealers.training_interval_days": 365,
    # Human numbers.
    "dealers.claim_prefix": "TG",
    "dealers.notice_prefix": "AVT",
    "dealers.shipment_prefix": "DP",
}


def money_policy(name: str) -> Decimal:
    """A money policy as an exact ``Decimal`` (never through float)."""
    return Decimal(str(policy(name))).quantize(Decimal("0.01"))
