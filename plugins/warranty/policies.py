"""Every number of the W, S, M, I and V rules, as a configurable policy (DOMAIN.md)."""
from __future__ import annotations

DEFAULTS = {
    # W1: the warranty runs two years from the signed acceptance.
    "warranty.term_months": 24,
    # Coverage per line for products without a policy of their own (W3).
    "warranty.covers_parts": True,
    "warranty.covers_labour": True,
    "warranty.covers_travel": True,
    "warranty.exclusions": ["Improper use or handling by the user"],
    # W5: a part that failed before this share of its normal life failed abnormally early.
    "warranty.w5_abnormal_life_percent": 50,
    # W6: after expiry spare parts are sold at cost plus this markup (when inventory has no price).
    "warranty.w6_preferential_markup_percent": 5,
    # W7: a maintenance contract runs this long unless agreed otherwise.
    "warranty.w7_contract_months": 12,
    # W8: the warranty card is issued within one month of completion.
    "warranty.w8_card_minutes": 30 * 24 * 60,
    "warranty.card_number_prefix": "GT",
    # S1-S3: emergency clocks.
    "warranty.s1_answer_minutes": 30,
    "warranty.s2_on_site_minutes": 120,
    "warranty.s3_resolved_minutes": 240,
    # S5: "leave immediately": the technician is on the way within this time.
    "warranty.s5_departure_minutes": 15,
    # S6: the complaint procedure's contact clock.
    "warranty.s6_contact_minutes": 24 * 60,
    # M12: the technician's conduct checklist at the customer's home.
    "warranty.m12_checklist": [
        "id_shown", "certificate_asked", "no_customer_materials", "floor_protected",
        "consent_for_facilities", "restored_and_cleaned", "precautions_explained",
    ],
    # I1: the delivery is agreed at least half a day ahead.
    "warranty.i1_confirm_hours_ahead": 12,
    # I5: the follow-up call after handover.
    "warranty.i5_followup_days": 7,
    # V1: at least two return visits per warranty year, the first within six months.
    "warranty.v1_visits_per_year": 2,
    "warranty.v1_first_visit_months": 6,
    # V5: periodic inspection of the equipment room.
    "warranty.v5_inspection_months": 3,
    # V4: warranty records are kept five years.
    "warranty.v4_retention_years": 5,
}
