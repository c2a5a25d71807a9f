"""Tables of the spare-parts plugin: catalogue, locations, the stock ledger,
dealer parts orders, seasonal reserve plans, dealer returns and part failures.

The ledger (:class:`StockMove`) is the truth; :class:`StockBalance` is the
on-hand quantity per part and location kept in the same transaction as every
move, so that a conditional ``UPDATE`` can refuse a move that would take the
stock below zero even when two requests issue the same part at once.
"""
from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    Boolean, CheckConstraint, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AppendOnly
from core.extensions import db
from core.models_base import UTCDateTime

QUANTITY = Numeric(12, 2)
MONEY = Numeric(12, 2)


class PartKind:
    THREE_GUARANTEE = "three_guarantee"
    WEAR = "wear"
    OTHER = "other"
    ALL = (THREE_GUARANTEE, WEAR, OTHER)
    RESERVE = (THREE_GUARANTEE, WEAR)  # what a reserve plan stocks (D11)


class Part(db.Model):
    """A catalogue entry: prices, normal service life (W5) and the products it fits."""

    __tablename__ = "inventory_part"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=PartKind.OTHER, index=True)
    unit: Mapped[str] = mapped_column(String(20), default="ud")
    cost_price: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    list_price: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    # W6: the post-warranty price is cost plus this margin (percent); empty = the policy default.
    preferential_margin_pct: Mapped[Decimal | None] = mapped_column(Numeric(6, 2), nullable=True)
    service_life_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    reorder_point: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal("0"))
    # Product models or families the part fits, separated by "|".
    fits: Mapped[str] = mapped_column(String(500), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    @property
    def fits_list(self) -> list[str]:
        return [item.strip() for item in (self.fits or "").split("|") if item.strip()]

    def __str__(self) -> str:
        return f"{self.number} {self.name}"


class LocationKind:
    COMPANY = "company"
    DEALER = "dealer"
    OLD_USABLE = "old_usable"
    OLD_UNUSABLE = "old_unusable"
    ALL = (COMPANY, DEALER, OLD_USABLE, OLD_UNUSABLE)


class Location(db.Model):
    """A warehouse or stock location, owned by the company or by one dealer."""

    __tablename__ = "inventory_location"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    owner_org_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)

    owner = relationship("Organisation", lazy="joined")

    def __str__(self) -> str:
        return f"{self.code} · {self.name}"


class StockBalance(db.Model):
    """On-hand quantity of one part at one location; always the sum of its moves."""

    __tablename__ = "inventory_stock_balance"
    __table_args__ = (
        UniqueConstraint("part_id", "location_id", name="uq_inventory_stock_balance_part_location"),
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
    )
    __audit__ = False  # its history is the ledger itself

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("inventory_part.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("inventory_location.id"), index=True)
    on_hand: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal("0"))

    part = relationship("Part", lazy="joined")
    location = relationship("Location", lazy="joined")


class MoveKind:
    RECEIPT = "receipt"
    ISSUE = "issue"
    TRANSFER = "transfer"
    RETURN = "return"
    ADJUSTMENT = "adjustment"
    ALL = (RECEIPT, ISSUE, TRANSFER, RETURN, ADJUSTMENT)


class StockMove(AppendOnly, db.Model):
    """One line of the append-only stock ledger: a signed quantity at a location."""

    __tablename__ = "inventory_stock_move"
    __audit__ = False  # append-only: the row is its own audit record

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("inventory_part.id"), index=True)
    location_id: Mapped[int] = mapped_column(ForeignKey("inventory_location.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    serial: Mapped[str] = mapped_column(String(80), default="", index=True)
    reason: Mapped[str] = mapped_column(String(300), default="")
    reference: Mapped[str] = mapped_column(String(120), default="")
    case_id: Mapped[int | None] = mapped_column(ForeignKey("core_case.id"), nullable=True, index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("inventory_parts_order.id"), nullable=True, index=True)
    at = mapped_column(UTCDateTime, index=True, nullable=False)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)

    part = relationship("Part", lazy="joined")
    location = relationship("Location", lazy="joined")


class OrderState:
    SUBMITTED = "submitted"
    SHIPPED = "shipped"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    ALL = (SUBMITTED, SHIPPED, CLOSED, CANCELLED)


class PartsOrder(db.Model):
    """A dealer's parts order, shipped with a sales delivery note, paid cash on delivery (D6)."""

    __tablename__ = "inventory_parts_order"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    dealer_org_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=OrderState.SUBMITTED, index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("inventory_reserve_plan.id"), nullable=True, index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    created_at = mapped_column(UTCDateTime, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    delivery_note_number: Mapped[str | None] = mapped_column(String(30), unique=True, nullable=True)
    shipped_at = mapped_column(UTCDateTime, nullable=True)
    paid_amount: Mapped[Decimal | None] = mapped_column(MONEY, nullable=True)
    paid_at = mapped_column(UTCDateTime, nullable=True)
    payment_reference: Mapped[str] = mapped_column(String(120), default="")
    signed_note_filename: Mapped[str] = mapped_column(String(255), default="")
    signed_note_type: Mapped[str] = mapped_column(String(100), default="")
    signed_note_sha256: Mapped[str] = mapped_column(String(64), default="")
    signed_note_at = mapped_column(UTCDateTime, nullable=True)
    closed_at = mapped_column(UTCDateTime, nullable=True)

    dealer = relationship("Organisation", lazy="joined")
    lines = relationship("PartsOrderLine", back_populates="order", order_by="PartsOrderLine.id",
                         cascade="all, delete-orphan")

    @property
    def total(self) -> Decimal:
        return sum((line.amount for line in self.lines), Decimal("0"))

    @property
    def is_paid(self) -> bool:
        return self.paid_at is not None

    @property
    def has_signed_note(self) -> bool:
        return bool(self.signed_note_sha256)


class PartsOrderLine(db.Model):
    __tablename__ = "inventory_parts_order_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("inventory_parts_order.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("inventory_part.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_price: Mapped[Decimal] = mapped_column(MONEY)

    order = relationship("PartsOrder", back_populates="lines")
    part = relationship("Part", lazy="joined")

    @property
    def amount(self) -> Decimal:
        return (self.quantity * self.unit_price).quantize(Decimal("0.01"))


class Season(db.Model):
    """A sales season; a dealer's reserve plan is due before it opens (D11)."""

    __tablename__ = "inventory_season"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    opens_on = mapped_column(Date, index=True, nullable=False)
    closes_on = mapped_column(Date, nullable=False)

    def __str__(self) -> str:
        return self.name


class PlanState:
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    DECLINED = "declined"
    ALL = (DRAFT, SUBMITTED, APPROVED, REJECTED, DECLINED)


class ReservePlan(db.Model):
    """A dealer's spare-parts reserve plan for one season (D11)."""

    __tablename__ = "inventory_reserve_plan"
    __table_args__ = (
        UniqueConstraint("dealer_org_id", "season_id", name="uq_inventory_reserve_plan_dealer_season"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_org_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    season_id: Mapped[int] = mapped_column(ForeignKey("inventory_season.id"), index=True)
    state: Mapped[str] = mapped_column(String(20), default=PlanState.DRAFT, index=True)
    created_at = mapped_column(UTCDateTime)
    submitted_at = mapped_column(UTCDateTime, nullable=True)
    submitted_on = mapped_column(Date, nullable=True)
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    late_accepted_at = mapped_column(UTCDateTime, nullable=True)
    late_accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    late_reason: Mapped[str] = mapped_column(String(500), default="")
    decline_reason: Mapped[str] = mapped_column(String(500), default="")
    decided_at = mapped_column(UTCDateTime, nullable=True)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)

    dealer = relationship("Organisation", lazy="joined")
    season = relationship("Season", lazy="joined")
    late_accepted_by = relationship("User", foreign_keys=[late_accepted_by_id])
    lines = relationship("ReservePlanLine", back_populates="plan", order_by="ReservePlanLine.id",
                         cascade="all, delete-orphan")

    @property
    def awaits_late_acceptance(self) -> bool:
        return self.late and self.late_accepted_at is None and self.state == PlanState.SUBMITTED


class LineDecision:
    PENDING = "pending"
    APPROVED = "approved"
    CHANGED = "changed"
    REJECTED = "rejected"
    ALL = (PENDING, APPROVED, CHANGED, REJECTED)


class ReservePlanLine(db.Model):
    __tablename__ = "inventory_reserve_plan_line"
    __table_args__ = (
        UniqueConstraint("plan_id", "part_id", name="uq_inventory_reserve_plan_line_plan_part"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("inventory_reserve_plan.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("inventory_part.id"), index=True)
    fitted_units: Mapped[int] = mapped_column(Integer, default=0)
    suggested_quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal("0"))
    proposed_quantity: Mapped[Decimal] = mapped_column(QUANTITY, default=Decimal("0"))
    decision: Mapped[str] = mapped_column(String(20), default=LineDecision.PENDING)
    approved_quantity: Mapped[Decimal | None] = mapped_column(QUANTITY, nullable=True)
    decision_note: Mapped[str] = mapped_column(String(300), default="")

    plan = relationship("ReservePlan", back_populates="lines")
    part = relationship("Part", lazy="joined")


class ReturnReason:
    QUALITY = "quality"
    DISMANTLED = "dismantled"
    UNSOLD = "unsold"
    ALL = (QUALITY, DISMANTLED, UNSOLD)


class ReturnState:
    REQUESTED = "requested"
    RECEIVED = "received"
    REFUSED = "refused"


class StockReturn(db.Model):
    """Stock a dealer sends back; who pays freight and restoration follows D13."""

    __tablename__ = "inventory_stock_return"

    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_org_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("inventory_parts_order.id"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("inventory_part.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    reason: Mapped[str] = mapped_column(String(20))
    state: Mapped[str] = mapped_column(String(20), default=ReturnState.REQUESTED, index=True)
    freight_cost: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    restoration_cost: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    freight_payer: Mapped[str] = mapped_column(String(20), default="")
    dealer_charge: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    requested_at = mapped_column(UTCDateTime)
    received_at = mapped_column(UTCDateTime, nullable=True)

    dealer = relationship("Organisation", lazy="joined")
    part = relationship("Part", lazy="joined")
    order = relationship("PartsOrder")


class PartFailure(db.Model):
    """A part that failed in service, with its life against the normal life (W5)."""

    __tablename__ = "inventory_part_failure"

    id: Mapped[int] = mapped_column(primary_key=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("inventory_part.id"), index=True)
    serial: Mapped[str] = mapped_column(String(80), default="")
    fitted_on = mapped_column(Date, nullable=False)
    failed_on = mapped_column(Date, nullable=False)
    life_months: Mapped[Decimal] = mapped_column(Numeric(8, 1))
    normal_life_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    abnormal: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    reference: Mapped[str] = mapped_column(String(120), default="")
    recorded_at = mapped_column(UTCDateTime)

    part = relationship("Part", lazy="joined")
