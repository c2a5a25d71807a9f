"""The training plugin's configurable policies (every number of T1-T7 and D5)."""
from __future__ import annotations

DEFAULTS = {
    # T4: instructor materials are stored like core's attachments, within these limits.
    "training.material_max_bytes": 20 * 1024 * 1024,
    "training.material_types": [
        "application/pdf", "text/plain", "image/jpeg", "image/png", "video/mp4",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ],
    # T4: sessions are scheduled only for plans the owner (or, without owner, our staff) approved.
    "training.plan_review_required": True,
    # Assessment and certificates.
    "training.pass_mark": 70,
    "training.attendance_required_for_certificate": True,
    "training.certificate_validity_months": 24,
    "training.certificate_number_prefix": "FC",
    "training.certificate_reminder_days": 60,
    "training.reminder_job_minutes": 24 * 60,
    # T6: who must hold a valid certificate before doing the work.
    "training.key_roles": ["technician"],
    "training.certified_work_kinds": [],
    "training.certified_product_families": [],
    # D5/T7: dealers' staff retrain every so many months; "due soon" this many days ahead.
    "training.dealer_training_interval_months": 12,
    "training.dealer_due_soon_days": 30,
    # T1: the maker is invited to operation training; its technical director's phone is in the manual.
    "training.maker_invited_to_operation_training": True,
    "training.maker_director_contact_required": True,
    # T2: the manual is written only after its outline was approved.
    "training.outline_review_required": True,
    # T5: the owner's engineers are invited to commissioning and their attendance recorded.
    "training.owner_engineers_at_commissioning": True,
}
