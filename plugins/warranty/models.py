"""Warranty tables: the installed base, warranty terms, service requests and the records kept (V4)."""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models_base import UTCDateTime

MONEY = Numeric(12, 2)
QUANTITY = Numeric(12, 3)


# --- Installed base and warranty terms ----------------------------------------------

class WarrantyPolicy(db.Model):
    """The terms a product is sold with: term, coverage per line, exclusions, post-warranty rules."""

    __tablename__ = "warranty_policy"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    term_months: Mapped[int] = mapped_column(Integer)
    covers_parts: Mapped[bool] = mapped_column(Boolean, default=True)
    covers_labour: Mapped[bool] = mapped_column(Boolean, default=True)
    covers_travel: Mapped[bool] = mapped_column(Boolean, default=True)
    exclusions: Mapped[str] = mapped_column(Text, default="")  # one per line (W3)
    preferential_markup_percent = mapped_column(MONEY)  # W6: cost plus this
    principles: Mapped[str] = mapped_column(Text, default="")  # printed on the card (W8)
    responsible: Mapped[str] = mapped_column(Text, default="")  # departments and people (W8)

    parts = relationship("PolicyPart", back_populates="policy", order_by="PolicyPart.part_number",
                         cascade="all, delete-orphan")

    def __str__(self) -> str:
        return self.name


class PolicyPart(db.Model):
    """A part's normal service life under a policy: the W5 fallback when inventory is not running."""

    __tablename__ = "warranty_policy_part"
    __table_args__ = (UniqueConstraint("policy_id", "part_number", name="uq_warranty_policy_part"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    policy_id: Mapped[int] = mapped_column(ForeignKey("warranty_policy.id"), index=True)
    part_number: Mapped[str] = mapped_column(String(60))
    service_life_months: Mapped[int] = mapped_column(Integer)

    policy = relationship("WarrantyPolicy", back_populates="parts")


class Product(db.Model):
    """A product model the company sells and services."""

    __tablename__ = "warranty_product"

    id: Mapped[int] = mapped_column(primary_key=True)
    model: Mapped[str] = mapped_column(String(80), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    family: Mapped[str] = mapped_column(String(80), index=True)  # also the loaner "level" (S4)
    maker: Mapped[str] = mapped_column(String(120), default="")
    policy_id: Mapped[int | None] = mapped_column(ForeignKey("warranty_policy.id"), nullable=True)

    warranty_policy = relationship("WarrantyPolicy", lazy="joined")

    def __str__(self) -> str:
        return f"{self.model} {self.name}"


class Unit(db.Model):
    """One installed piece of equipment: serial (unique per product), customer, dates, acceptance."""

    __tablename__ = "warranty_unit"
    __table_args__ = (UniqueConstraint("product_id", "serial", name="uq_warranty_unit_product_serial"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(80), index=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("warranty_product.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    site: Mapped[str] = mapped_column(String(300), default="")
    delivered_on = mapped_column(Date, nullable=True)
    installed_on = mapped_column(Date, nullable=True)
    completed_on = mapped_column(Date, nullable=True)
    # The signed acceptance report (W1): signed by both parties, who and when, and its scan.
    accepted_on = mapped_column(Date, nullable=True)
    accepted_by_customer: Mapped[str] = mapped_column(String(200), default="")
    accepted_by_company: Mapped[str] = mapped_column(String(200), default="")
    acceptance_signed_at = mapped_column(UTCDateTime, nullable=True)
    acceptance_scan_name: Mapped[str] = mapped_column(String(255), default="")
    acceptance_scan_sha256: Mapped[str] = mapped_column(String(64), default="")
    project_director_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)  # M8

    product = relationship("Product", lazy="joined")
    customer = relationship("Organisation")
    project_director = relationship("User")

    @property
    def acceptance_signed(self) -> bool:
        """Both parties signed (W1)."""
        return bool(self.accepted_on and self.accepted_by_customer and self.accepted_by_company)

    def __str__(self) -> str:
        return f"{self.product.model} · {self.serial}"


# --- Service requests, emergencies and loaners ---------------------------------------

class ServiceRequest(db.Model):
    """The maintenance feedback form of a case (M1) and its cause classification (M2-M5)."""

    __tablename__ = "warranty_service_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("warranty_unit.id"), nullable=True, index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    owner_name: Mapped[str] = mapped_column(String(200))
    owner_phone: Mapped[str] = mapped_column(String(40))
    owner_address: Mapped[str] = mapped_column(String(300))
    content: Mapped[str] = mapped_column(Text)
    requirements: Mapped[str] = mapped_column(Text, default="")
    is_complaint: Mapped[bool] = mapped_column(Boolean, default=False)
    is_accident: Mapped[bool] = mapped_column(Boolean, default=False)  # S5
    cause: Mapped[str] = mapped_column(String(20), default="")  # M2
    cause_note: Mapped[str] = mapped_column(Text, default="")
    classified_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    classified_at = mapped_column(UTCDateTime, nullable=True)
    supplier_id: Mapped[int | None] = mapped_column(ForeignKey("core_organisation.id"), nullable=True)  # M3
    supplier_notified_at = mapped_column(UTCDateTime, nullable=True)
    supplier_visit_at = mapped_column(UTCDateTime, nullable=True)
    assistance_plan: Mapped[str] = mapped_column(Text, default="")  # M4
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    checked_in_at = mapped_column(UTCDateTime, nullable=True)
    resolved_at = mapped_column(UTCDateTime, nullable=True)

    case = relationship("Case")
    unit = relationship("Unit")
    supplier = relationship("Organisation", foreign_keys=[supplier_id])
    technician = relationship("User", foreign_keys=[technician_id])


class Loaner(db.Model):
    """Equipment of the same level lent free while an emergency stays unresolved (S4)."""

    __tablename__ = "warranty_loaner"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), unique=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("warranty_unit.id"), nullable=True)
    demanded_at = mapped_column(UTCDateTime)
    loaner_unit_id: Mapped[int | None] = mapped_column(ForeignKey("warranty_unit.id"), nullable=True)
    issued_at = mapped_column(UTCDateTime, nullable=True)
    returned_at = mapped_column(UTCDateTime, nullable=True)

    case = relationship("Case")
    unit = relationship("Unit", foreign_keys=[unit_id])
    loaner_unit = relationship("Unit", foreign_keys=[loaner_unit_id])

    @property
    def missing(self) -> bool:
        return self.issued_at is None


# --- Fees (W3-W7) ------------------------------------------------------------------------

class FeeLine(db.Model):
    """One line of work on a case, priced by rule before work starts (W3-W6)."""

    __tablename__ = "warranty_fee_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # parts, labour, travel
    description: Mapped[str] = mapped_column(String(300))
    part_number: Mapped[str] = mapped_column(String(60), default="")
    quantity = mapped_column(QUANTITY)
    unit_price = mapped_column(MONEY)  # what the line would cost at the price used
    charge = mapped_column(MONEY)  # what the customer pays
    rule: Mapped[str] = mapped_column(String(30))  # w3_free, w3_improper_use, w4_cost, w5_free, w6_preferential
    reason: Mapped[str] = mapped_column(String(300))
    improper_use: Mapped[bool] = mapped_column(Boolean, default=False)
    part_fitted_on = mapped_column(Date, nullable=True)  # W5
    abnormal_life_confirmed_by: Mapped[str] = mapped_column(String(200), default="")  # W5
    consumed_at = mapped_column(UTCDateTime, nullable=True)

    def total(self) -> Decimal:
        return (self.charge or Decimal("0")) * (self.quantity or Decimal("0"))


class FeeAcceptance(db.Model):
    """The customer accepted the priced lines before work started (W4)."""

    __tablename__ = "warranty_fee_acceptance"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), unique=True)
    accepted_by: Mapped[str] = mapped_column(String(200))
    accepted_at = mapped_column(UTCDateTime)
    total = mapped_column(MONEY)


class MaintenanceContract(db.Model):
    """A post-warranty maintenance contract (W7)."""

    __tablename__ = "warranty_contract"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("warranty_unit.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    starts_on = mapped_column(Date)
    ends_on = mapped_column(Date)
    visits_per_year: Mapped[int] = mapped_column(Integer)
    price = mapped_column(MONEY)
    renewed_from_id: Mapped[int | None] = mapped_column(ForeignKey("warranty_contract.id"), nullable=True)

    unit = relationship("Unit")
    renewed_from = relationship("MaintenanceContract", remote_side=[id])


# --- The company-cause branch (M5) and the maintenance task book (M6-M9) -------------------

class ServiceForm(db.Model):
    """The maintenance service form of a company-caused problem (M5)."""

    __tablename__ = "warranty_service_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), unique=True)
    contract_budget = mapped_column(MONEY)
    change_orders = mapped_column(MONEY)
    status: Mapped[str] = mapped_column(String(20), default="draft")  # draft, reviewed, sent
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    reviewed_at = mapped_column(UTCDateTime, nullable=True)
    sent_at = mapped_column(UTCDateTime, nullable=True)

    items = relationship("ServiceFormItem", back_populates="form", order_by="ServiceFormItem.id",
                         cascade="all, delete-orphan")

    def total(self) -> Decimal:
        return sum((item.total() for item in self.items), Decimal("0"))


class ServiceFormItem(db.Model):
    __tablename__ = "warranty_service_form_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    form_id: Mapped[int] = mapped_column(ForeignKey("warranty_service_form.id"), index=True)
    description: Mapped[str] = mapped_column(String(300))
    quantity = mapped_column(QUANTITY)
    method: Mapped[str] = mapped_column(String(300))
    labour_cost = mapped_column(MONEY)
    material_cost = mapped_column(MONEY)

    form = relationship("ServiceForm", back_populates="items")

    def total(self) -> Decimal:
        return (self.labour_cost or Decimal("0")) + (self.material_cost or Decimal("0"))


class TaskBook(db.Model):
    """The maintenance task book of a defect (M6-M9)."""

    __tablename__ = "warranty_task_book"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("warranty_unit.id"), nullable=True)
    notified_on = mapped_column(Date)
    repair_content: Mapped[str] = mapped_column(Text)
    agreed_via: Mapped[str] = mapped_column(String(20))  # on_site, phone
    root_causes: Mapped[str] = mapped_column(Text)
    measures: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="draft", index=True)
    returned_reason: Mapped[str] = mapped_column(Text, default="")
    reviewed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    responsible_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    responsible_kind: Mapped[str] = mapped_column(String(20), default="")  # project_director, dedicated
    due_on = mapped_column(Date, nullable=True)
    completed_at = mapped_column(UTCDateTime, nullable=True)
    confirmed_by: Mapped[str] = mapped_column(String(200), default="")
    confirmed_at = mapped_column(UTCDateTime, nullable=True)
    created_at = mapped_column(UTCDateTime)

    case = relationship("Case")
    unit = relationship("Unit")
    responsible = relationship("User", foreign_keys=[responsible_id])


class RegistrationForm(db.Model):
    """The maintenance registration form sent to production and finance (M7, M9); kept 5 years (V4)."""

    __tablename__ = "warranty_registration_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_book_id: Mapped[int] = mapped_column(ForeignKey("warranty_task_book.id"), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), index=True)
    summary: Mapped[str] = mapped_column(Text)
    created_at = mapped_column(UTCDateTime)

    task_book = relationship("TaskBook")


# --- Technician visits (M12) ---------------------------------------------------------------

class VisitRecord(db.Model):
    """The technician's visit on a case with the conduct checklist and the customer's confirmation (M12)."""

    __tablename__ = "warranty_visit_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), index=True)
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    checklist: Mapped[list] = mapped_column(JSON, default=list)  # the items done
    work_done: Mapped[str] = mapped_column(Text, default="")
    confirmed_by: Mapped[str] = mapped_column(String(200))
    confirmed_at = mapped_column(UTCDateTime)
    signature: Mapped[str] = mapped_column(Text, default="")  # optional drawn signature (data URL)

    technician = relationship("User")


# --- Delivery to handover (I1-I5) ----------------------------------------------------------

class Installation(db.Model):
    """A unit's way from delivery to handover, on a case of its own (I1-I5, W8)."""

    __tablename__ = "warranty_installation"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("warranty_unit.id"), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), unique=True)
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    delivery_at = mapped_column(UTCDateTime, nullable=True)
    delivery_confirmed_at = mapped_column(UTCDateTime, nullable=True)
    installed_with: Mapped[str] = mapped_column(String(200), default="")  # I2: the customer's person
    commissioned_at = mapped_column(UTCDateTime, nullable=True)
    handover_signed_by: Mapped[str] = mapped_column(String(200), default="")
    handover_at = mapped_column(UTCDateTime, nullable=True)
    followup_due_on = mapped_column(Date, nullable=True)  # I5
    followup_done_at = mapped_column(UTCDateTime, nullable=True)

    unit = relationship("Unit")
    case = relationship("Case")
    issues = relationship("CommissioningIssue", back_populates="installation", order_by="CommissioningIssue.id")


class CommissioningIssue(db.Model):
    """A problem found at installation or commissioning: fixed or escalated before handover (I3, M11)."""

    __tablename__ = "warranty_commissioning_issue"

    id: Mapped[int] = mapped_column(primary_key=True)
    installation_id: Mapped[int] = mapped_column(ForeignKey("warranty_installation.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    product_defect: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open, fixed, escalated
    resolution: Mapped[str] = mapped_column(Text, default="")

    installation = relationship("Installation", back_populates="issues")


# --- Records kept five years (V2, V4, W8) ----------------------------------------------------

class WarrantyCard(db.Model):
    """The warranty card issued to the owner (W8)."""

    __tablename__ = "warranty_card"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("warranty_unit.id"), index=True)
    language: Mapped[str] = mapped_column(String(5))
    created_at = mapped_column(UTCDateTime)

    unit = relationship("Unit")


class MaintenanceCard(db.Model):
    """The project maintenance card with its visit plan (V2)."""

    __tablename__ = "warranty_maintenance_card"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("warranty_unit.id"), unique=True)
    created_at = mapped_column(UTCDateTime)

    unit = relationship("Unit")
    visits = relationship("Visit", back_populates="card", order_by="Visit.due_on")


class Visit(db.Model):
    """A planned return visit (V1) or periodic inspection (V5), and its report (V3)."""

    __tablename__ = "warranty_visit"

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("warranty_maintenance_card.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # return, inspection
    due_on = mapped_column(Date, index=True)
    done_on = mapped_column(Date, nullable=True)
    opinions: Mapped[str] = mapped_column(Text, default="")
    defects: Mapped[str] = mapped_column(Text, default="")
    corrective_measure: Mapped[str] = mapped_column(Text, default="")
    supervisor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("core_case.id"), nullable=True)
    created_at = mapped_column(UTCDateTime)

    card = relationship("MaintenanceCard", back_populates="visits")
    supervisor = relationship("User")
