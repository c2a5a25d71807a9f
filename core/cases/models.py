"""The case, its timeline, its attachments, and the case-number sequence."""
from __future__ import annotations

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AppendOnly
from core.extensions import db
from core.models_base import UTCDateTime


class CaseStatus:
    """Where a case stands. Plugins move cases through these with their own events."""

    NEW = "new"
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    RESOLVED = "resolved"
    CLOSED = "closed"
    ALL = (NEW, OPEN, IN_PROGRESS, WAITING, RESOLVED, CLOSED)
    FINISHED = (RESOLVED, CLOSED)


class CaseChannel:
    """How the customer reached us (M10)."""

    CALL = "call"
    LETTER = "letter"
    VISIT = "visit"
    PORTAL = "portal"
    EMAIL = "email"
    ALL = (CALL, LETTER, VISIT, PORTAL, EMAIL)


class CasePriority:
    NORMAL = "normal"
    EMERGENCY = "emergency"
    ALL = (NORMAL, EMERGENCY)


class Case(db.Model):
    """A customer's problem: the record every plugin links its own records to."""

    __tablename__ = "core_case"
    __table_args__ = (
        Index("ix_core_case_status_opened", "status", "opened_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    customer_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    # The outside organisation (a dealer) working the case, whose users may see it.
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("core_organisation.id"), index=True, nullable=True)
    site: Mapped[str] = mapped_column(String(300), default="")
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    channel: Mapped[str] = mapped_column(String(20), default=CaseChannel.CALL)
    priority: Mapped[str] = mapped_column(String(20), default=CasePriority.NORMAL, index=True)
    status: Mapped[str] = mapped_column(String(20), default=CaseStatus.NEW, index=True)
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), index=True, nullable=True)
    opened_at = mapped_column(UTCDateTime, index=True)
    closed_at = mapped_column(UTCDateTime, nullable=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)

    customer = relationship("Organisation", foreign_keys=[customer_id])
    partner = relationship("Organisation", foreign_keys=[partner_id])
    assignee = relationship("User", foreign_keys=[assignee_id])
    opened_by = relationship("User", foreign_keys=[opened_by_id])

    @property
    def is_emergency(self) -> bool:
        return self.priority == CasePriority.EMERGENCY

    @property
    def is_open(self) -> bool:
        return self.status not in CaseStatus.FINISHED

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class TimelineEvent(AppendOnly, db.Model):
    """One typed fact on a case's timeline. Written once, never changed."""

    __tablename__ = "core_timeline_event"
    __table_args__ = (Index("ix_core_timeline_case_time", "case_id", "occurred_at", "id"),)

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"))
    type: Mapped[str] = mapped_column(String(80), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    occurred_at = mapped_column(UTCDateTime)
    payload: Mapped[dict] = mapped_column(JSON, default=dict)

    actor = relationship("User")
    case = relationship("Case")


class Attachment(db.Model):
    """A photo or document on a case. The bytes live on disk, named by checksum."""

    __tablename__ = "core_attachment"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("core_case.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    uploaded_at = mapped_column(UTCDateTime)

    uploaded_by = relationship("User")


class Sequence(db.Model):
    """Counters for human numbers (``PV-2026-000123``), one row per name and year.

    Incremented with a single ``UPDATE ... RETURNING``: the row lock serialises
    concurrent writers, so two cases never get the same number.
    """

    __tablename__ = "core_sequence"
    __table_args__ = (UniqueConstraint("name", "year", name="uq_core_sequence_name_year"),)
    __audit__ = False

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    year: Mapped[int] = mapped_column(Integer)
    last_value: Mapped[int] = mapped_column(Integer, default=0)
