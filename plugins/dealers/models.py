"""The dealers plugin's tables: profiles, sales, tasks, claims, old parts, notices, ledger.

Every organisation-owned row carries ``dealer_id`` (the dealer organisation, or the
company for D16 work done by company staff); queries scope on it.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    JSON, Boolean, Date, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AppendOnly
from core.extensions import db
from core.models_base import UTCDateTime

MONEY = Numeric(12, 2)
ZERO = Decimal("0.00")


class DealerProfile(db.Model):
    """What the company knows about a dealer organisation beyond its core record."""

    __tablename__ = "dealers_dealer_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), unique=True)
    grade: Mapped[str] = mapped_column(String(10), default="B")
    service_area: Mapped[str] = mapped_column(String(300), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    contact_email: Mapped[str] = mapped_column(String(200), default="")
    last_trained_on = mapped_column(Date, nullable=True)

    organisation = relationship("Organisation")


class GradeChange(AppendOnly, db.Model):
    """One step of a dealer's grade history (D12): rewards and demotions."""

    __tablename__ = "dealers_grade_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    from_grade: Mapped[str] = mapped_column(String(10))
    to_grade: Mapped[str] = mapped_column(String(10))
    score: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(Text, default="")
    at = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)


class Sale(db.Model):
    """The three-guarantee receipt card of one sale (D7, D8)."""

    __tablename__ = "dealers_sale"

    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"))
    unit_id: Mapped[int] = mapped_column(Integer, index=True)  # the warranty plugin's unit
    serial: Mapped[str] = mapped_column(String(80), index=True)
    product_model: Mapped[str] = mapped_column(String(80))
    product_family: Mapped[str] = mapped_column(String(80), default="")
    customer_name: Mapped[str] = mapped_column(String(200))
    customer_phone: Mapped[str] = mapped_column(String(40), default="")
    customer_address: Mapped[str] = mapped_column(String(400), default="")
    sold_on = mapped_column(Date)
    received_on = mapped_column(Date)
    entitled: Mapped[bool] = mapped_column(Boolean, default=True)
    commitment: Mapped[str] = mapped_column(Text, default="")
    registered_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)

    dealer = relationship("Organisation", foreign_keys=[dealer_id])
    customer = relationship("Organisation", foreign_keys=[customer_id])


class TaskKind:
    """What the sales office takes in (D4)."""

    REQUEST = "request"
    OPINION = "opinion"
    COMPLAINT = "complaint"
    RETURN = "return"
    EXCHANGE = "exchange"
    ALL = (REQUEST, OPINION, COMPLAINT, RETURN, EXCHANGE)


class Assignee:
    """Who a task is dispatched to (D2, D3, D4)."""

    DEALER = "dealer"
    DEPARTMENT = "department"
    SALES_REP = "sales_rep"
    ALL = (DEALER, DEPARTMENT, SALES_REP)


class Task(db.Model):
    """A three-guarantee task the sales office took in and dispatched."""

    __tablename__ = "dealers_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    dealer_id: Mapped[int | None] = mapped_column(ForeignKey("core_organisation.id"), index=True, nullable=True)
    assignee_kind: Mapped[str] = mapped_column(String(20), default="")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_department.id"), nullable=True)
    sales_rep_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    subcontracted: Mapped[bool] = mapped_column(Boolean, default=False)
    fault_class: Mapped[str] = mapped_column(String(20), default="normal")
    emergency: Mapped[bool] = mapped_column(Boolean, default=False)
    dispatched_at = mapped_column(UTCDateTime, nullable=True)
    arranged_at = mapped_column(UTCDateTime, nullable=True)
    arrangement: Mapped[str] = mapped_column(Text, default="")
    user_notified_at = mapped_column(UTCDateTime, nullable=True)
    reported_at = mapped_column(UTCDateTime, nullable=True)
    checked_at = mapped_column(UTCDateTime, nullable=True)
    implemented: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    case = relationship("Case")
    dealer = relationship("Organisation", foreign_keys=[dealer_id])
    department = relationship("Department")
    sales_rep = relationship("User", foreign_keys=[sales_rep_id])


class Escalation(db.Model):
    """A task escalated to the company's leaders (S9); their queue. Once per case and reason."""

    __tablename__ = "dealers_escalation"
    __table_args__ = (UniqueConstraint("case_id", "policy", name="uq_dealers_escalation_case_policy"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), index=True)
    dealer_id: Mapped[int | None] = mapped_column(ForeignKey("core_organisation.id"), nullable=True)
    policy: Mapped[str] = mapped_column(String(80))
    raised_at = mapped_column(UTCDateTime)
    handled_at = mapped_column(UTCDateTime, nullable=True)
    handled_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)

    case = relationship("Case")


class ClaimState:
    """A claim's life (D14-D19). Old parts come back before appraisal (D15)."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    PARTS_RECEIVED = "parts_received"
    UNDER_APPRAISAL = "under_appraisal"
    APPROVED = "approved"
    REJECTED = "rejected"
    VERIFIED = "verified"
    ON_NOTICE = "on_notice"
    SETTLED = "settled"
    ALL = (DRAFT, SUBMITTED, PARTS_RECEIVED, UNDER_APPRAISAL, APPROVED, REJECTED, VERIFIED, ON_NOTICE, SETTLED)


class Remedy:
    """The three guarantees."""

    REPAIR = "repair"
    REPLACEMENT = "replacement"
    REFUND = "refund"
    ALL = (REPAIR, REPLACEMENT, REFUND)


class Claim(db.Model):
    """The three-guarantee maintenance record (D14), filed by a dealer or by company staff (D16)."""

    __tablename__ = "dealers_claim"
    __table_args__ = (Index("ix_dealers_claim_dealer_state", "dealer_id", "state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    dealer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"))
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), index=True)
    sale_id: Mapped[int | None] = mapped_column(ForeignKey("dealers_sale.id"), nullable=True, index=True)
    unit_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    serial: Mapped[str] = mapped_column(String(80), default="")
    product_model: Mapped[str] = mapped_column(String(80), default="")
    product_family: Mapped[str] = mapped_column(String(80), default="")
    state: Mapped[str] = mapped_column(String(20), default=ClaimState.DRAFT)
    fault_on = mapped_column(Date, nullable=True)
    fault: Mapped[str] = mapped_column(Text, default="")
    cause: Mapped[str] = mapped_column(String(30), default="")
    remedy: Mapped[str] = mapped_column(String(20), default=Remedy.REPAIR)
    labour_hours: Mapped[Decimal] = mapped_column(Numeric(8, 2), default=ZERO)
    travel_km: Mapped[Decimal] = mapped_column(Numeric(8, 1), default=ZERO)
    indirect_loss: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    served_user_name: Mapped[str] = mapped_column(String(200), default="")
    served_confirmed_at = mapped_column(UTCDateTime, nullable=True)
    signature: Mapped[str] = mapped_column(Text, default="")
    technician_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    flagged: Mapped[bool] = mapped_column(Boolean, default=False)
    flag_reasons: Mapped[list] = mapped_column(JSON, default=list)
    rejection_reason: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")
    parts_amount: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    labour_amount: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    travel_amount: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    verified_total: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    submitted_at = mapped_column(UTCDateTime, nullable=True)
    verified_at = mapped_column(UTCDateTime, nullable=True)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("dealers_fee_notice.id"), nullable=True, index=True)

    dealer = relationship("Organisation")
    case = relationship("Case")
    sale = relationship("Sale")
    technician = relationship("User")
    parts = relationship("ClaimPart", back_populates="claim", order_by="ClaimPart.id", cascade="all, delete-orphan")
    photos = relationship("ClaimPhoto", back_populates="claim", order_by="ClaimPhoto.id")

    @property
    def needs_parts(self) -> bool:
        return bool(self.parts)

    @property
    def all_parts_received(self) -> bool:
        return all(part.received_at is not None for part in self.parts)


class ClaimPart(db.Model):
    """A part replaced on a claim, with the old part that must come back (D15)."""

    __tablename__ = "dealers_claim_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("dealers_claim.id"), index=True)
    dealer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    part_number: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("1"))
    unit_price: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    old_part_number: Mapped[str] = mapped_column(String(80), default="")
    old_serial: Mapped[str] = mapped_column(String(80), default="")
    shipment_id: Mapped[int | None] = mapped_column(ForeignKey("dealers_part_shipment.id"), nullable=True, index=True)
    received_at = mapped_column(UTCDateTime, nullable=True)
    defect_confirmed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    usable: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    appraised_at = mapped_column(UTCDateTime, nullable=True)
    verified_price: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)

    claim = relationship("Claim", back_populates="parts")
    shipment = relationship("PartShipment", back_populates="parts")


class ClaimPhoto(db.Model):
    """A photo on a claim; its checksum finds the same photo reused on another claim."""

    __tablename__ = "dealers_claim_photo"

    id: Mapped[int] = mapped_column(primary_key=True)
    claim_id: Mapped[int] = mapped_column(ForeignKey("dealers_claim.id"), index=True)
    attachment_id: Mapped[int] = mapped_column(ForeignKey("core_attachment.id"))
    sha256: Mapped[str] = mapped_column(String(64), index=True)

    claim = relationship("Claim", back_populates="photos")
    attachment = relationship("Attachment")


class ShipmentMethod:
    """How old parts come back (D15)."""

    DEADLINE = "deadline"
    TRUCK = "truck"
    ALL = (DEADLINE, TRUCK)


class PartShipment(db.Model):
    """Old parts a dealer sends back; received by the technical department."""

    __tablename__ = "dealers_part_shipment"

    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    method: Mapped[str] = mapped_column(String(20), default=ShipmentMethod.DEADLINE)
    reference: Mapped[str] = mapped_column(String(80), default="")
    shipped_on = mapped_column(Date)
    due_on = mapped_column(Date)
    received_on = mapped_column(Date, nullable=True)

    dealer = relationship("Organisation")
    parts = relationship("ClaimPart", back_populates="shipment", order_by="ClaimPart.id")


class NoticeState:
    ISSUED = "issued"
    CONFIRMED = "confirmed"
    ALL = (ISSUED, CONFIRMED)


class FeeNotice(db.Model):
    """A fee verification notice: a dealer's verified claims of a period (D19)."""

    __tablename__ = "dealers_fee_notice"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    dealer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    period_start = mapped_column(Date)
    period_end = mapped_column(Date)
    claim_count: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    state: Mapped[str] = mapped_column(String(20), default=NoticeState.ISSUED)
    issued_at = mapped_column(UTCDateTime)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    confirmed_at = mapped_column(UTCDateTime, nullable=True)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)

    dealer = relationship("Organisation")
    claims = relationship("Claim", order_by="Claim.id", viewonly=True)


class LedgerKind:
    CHARGE = "charge"          # the dealer owes (parts sold, restoration, ...)
    FEE_CREDIT = "fee_credit"  # a confirmed fee notice deducted from receivables (D19)
    ALL = (CHARGE, FEE_CREDIT)


class LedgerEntry(AppendOnly, db.Model):
    """The dealer's receivables, append-only: the balance is the sum of the amounts.

    A positive amount is owed by the dealer; a credit is negative. One fee credit
    per notice at most: the unique constraint makes a second one impossible.
    """

    __tablename__ = "dealers_ledger_entry"
    __table_args__ = (UniqueConstraint("notice_id", "kind", name="uq_dealers_ledger_entry_notice_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    notice_id: Mapped[int | None] = mapped_column(ForeignKey("dealers_fee_notice.id"), nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    amount: Mapped[Decimal] = mapped_column(MONEY)
    reference: Mapped[str] = mapped_column(String(200), default="")
    at = mapped_column(UTCDateTime)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)


class ReturnReason:
    """Why dealer stock comes back to the factory (D13)."""

    QUALITY = "quality"
    DISMANTLED = "dismantled"
    UNSOLD = "unsold"
    ALL = (QUALITY, DISMANTLED, UNSOLD)


class StockReturn(db.Model):
    """Products from a dealer's stock returned to the factory, with who pays (D13)."""

    __tablename__ = "dealers_stock_return"

    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    product_model: Mapped[str] = mapped_column(String(80))
    serial: Mapped[str] = mapped_column(String(80), default="")
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    reason: Mapped[str] = mapped_column(String(20))
    delivered_on = mapped_column(Date)
    returned_on = mapped_column(Date)
    freight: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)
    freight_payer: Mapped[str] = mapped_column(String(20))
    restoration: Mapped[Decimal] = mapped_column(MONEY, default=ZERO)

    dealer = relationship("Organisation")


class SpotCheck(db.Model):
    """A sales representative's spot check of a dealer (D18)."""

    __tablename__ = "dealers_spot_check"

    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("dealers_claim.id"), nullable=True)
    checked_on = mapped_column(Date)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    outcome: Mapped[str] = mapped_column(String(20))
    findings: Mapped[str] = mapped_column(Text, default="")

    dealer = relationship("Organisation")
    claim = relationship("Claim")
    checked_by = relationship("User")


class DealerTraining(db.Model):
    """A training session the sales office gave a dealer (D5)."""

    __tablename__ = "dealers_training"

    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    held_on = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(200))
