"""Training tables: courses and their plans, sessions, enrolments, certificates,
dealer training plans, O&M manuals and invitations (all prefixed ``training_``)."""
from __future__ import annotations

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.audit import AppendOnly
from core.extensions import db
from core.models_base import UTCDateTime


class Audience:
    """Who a course is for (T4, T7)."""

    DEALER_TECHNICIANS = "dealer_technicians"
    OWNER_ENGINEERS = "owner_engineers"
    OWN_STAFF = "own_staff"
    ALL = (DEALER_TECHNICIANS, OWNER_ENGINEERS, OWN_STAFF)


class PlanStatus:
    """Where a course plan stands in the owner's review (T4)."""

    DRAFT = "draft"
    SENT = "sent"
    APPROVED = "approved"
    CHANGES_REQUESTED = "changes_requested"
    ALL = (DRAFT, SENT, APPROVED, CHANGES_REQUESTED)
    EDITABLE = (DRAFT, CHANGES_REQUESTED)


course_prerequisites = db.Table(
    "training_course_prerequisite",
    db.metadata,
    db.Column("course_id", ForeignKey("training_course.id", ondelete="CASCADE"), primary_key=True),
    db.Column("required_course_id", ForeignKey("training_course.id", ondelete="CASCADE"), primary_key=True),
)


class Course(db.Model):
    """A training course and its plan: syllabus, materials, hours, audience, requirements."""

    __tablename__ = "training_course"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    hours = mapped_column(Numeric(6, 1))
    audience: Mapped[str] = mapped_column(String(30), default=Audience.OWN_STAFF)
    product_family: Mapped[str] = mapped_column(String(80), default="", index=True)
    # Roles a student must hold (any one of them); empty: anybody.
    required_roles: Mapped[list] = mapped_column(JSON, default=list)
    validity_months: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The customer organisation whose review the plan needs; None for our own or dealers' courses.
    owner_org_id: Mapped[int | None] = mapped_column(ForeignKey("core_organisation.id"), index=True, nullable=True)
    plan_status: Mapped[str] = mapped_column(String(20), default=PlanStatus.DRAFT, index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("core_case.id"), nullable=True)
    created_at = mapped_column(UTCDateTime)

    owner = relationship("Organisation")
    case = relationship("Case")
    syllabus = relationship("SyllabusItem", order_by="SyllabusItem.position", cascade="all, delete-orphan",
                            back_populates="course")
    materials = relationship("Material", order_by="Material.id", back_populates="course")
    prerequisites = relationship(
        "Course", secondary=course_prerequisites,
        primaryjoin=lambda: Course.id == course_prerequisites.c.course_id,
        secondaryjoin=lambda: Course.id == course_prerequisites.c.required_course_id,
        order_by="Course.code",
    )

    @property
    def is_approved(self) -> bool:
        return self.plan_status == PlanStatus.APPROVED

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class SyllabusItem(db.Model):
    """One line of a course's ordered outline."""

    __tablename__ = "training_syllabus_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_course.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    topic: Mapped[str] = mapped_column(String(300))

    course = relationship("Course", back_populates="syllabus")


class Material(db.Model):
    """An instructor's material: the bytes live on disk, named by checksum (as core's attachments)."""

    __tablename__ = "training_material"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_course.id"), index=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(100))
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    uploaded_at = mapped_column(UTCDateTime)

    course = relationship("Course", back_populates="materials")


class SessionStatus:
    SCHEDULED = "scheduled"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    ALL = (SCHEDULED, COMPLETED, CANCELLED)


class TrainingSession(db.Model):
    """One delivery of a course: when, where, by whom, for how many."""

    __tablename__ = "training_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_course.id"), index=True)
    starts_at = mapped_column(UTCDateTime, index=True)
    place: Mapped[str] = mapped_column(String(300))
    instructor_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    capacity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(20), default=SessionStatus.SCHEDULED, index=True)

    course = relationship("Course")
    instructor = relationship("User")
    enrolments = relationship("Enrolment", back_populates="session", order_by="Enrolment.requested_at, Enrolment.id")
    invitations = relationship("Invitation", back_populates="session", order_by="Invitation.id")


class EnrolmentStatus:
    ENROLLED = "enrolled"
    WAITING = "waiting"
    CANCELLED = "cancelled"
    ALL = (ENROLLED, WAITING, CANCELLED)


class Enrolment(db.Model):
    """A person's seat (or place on the waiting list) in a session, and how it went."""

    __tablename__ = "training_enrolment"
    __table_args__ = (UniqueConstraint("session_id", "user_id", name="uq_training_enrolment_session_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_session.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    # The trainee's organisation: a dealer's users see only their own dealer's enrolments.
    org_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), index=True)
    requested_at = mapped_column(UTCDateTime)
    attended: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    score = mapped_column(Numeric(5, 1), nullable=True)
    passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    session = relationship("TrainingSession", back_populates="enrolments")
    user = relationship("User")
    certificate = relationship("Certificate", back_populates="enrolment", uselist=False)


class Certificate(db.Model):
    """Proof that a person passed a course, valid for a period (T6)."""

    __tablename__ = "training_certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(30), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("core_user.id"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_course.id"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("training_enrolment.id"), unique=True, nullable=True)
    issued_on = mapped_column(Date)
    valid_until = mapped_column(Date, index=True)
    reminded_on = mapped_column(Date, nullable=True)

    user = relationship("User")
    organisation = relationship("Organisation")
    course = relationship("Course")
    enrolment = relationship("Enrolment", back_populates="certificate")

    def is_valid_on(self, day) -> bool:
        return self.issued_on <= day < self.valid_until


class DealerPlan(db.Model):
    """A line of a dealer's periodic training plan: this course, every so many months (D5, T7)."""

    __tablename__ = "training_dealer_plan"
    __table_args__ = (UniqueConstraint("dealer_org_id", "course_id", name="uq_training_dealer_plan_course"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dealer_org_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("training_course.id"), index=True)
    interval_months: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(String(500), default="")

    dealer = relationship("Organisation")
    course = relationship("Course")


class ManualStatus:
    """An O&M manual: outline reviewed first (T2), then written and issued (T3)."""

    OUTLINE_DRAFT = "outline_draft"
    OUTLINE_SENT = "outline_sent"
    OUTLINE_CHANGES = "outline_changes_requested"
    OUTLINE_APPROVED = "outline_approved"
    ISSUED = "issued"
    ALL = (OUTLINE_DRAFT, OUTLINE_SENT, OUTLINE_CHANGES, OUTLINE_APPROVED, ISSUED)
    OUTLINE_EDITABLE = (OUTLINE_DRAFT, OUTLINE_CHANGES)
    WRITABLE = (OUTLINE_APPROVED, ISSUED)


class Manual(db.Model):
    """The operation and maintenance manual of one customer project."""

    __tablename__ = "training_manual"

    id: Mapped[int] = mapped_column(primary_key=True)
    customer_org_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    project: Mapped[str] = mapped_column(String(200))
    outline: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(30), default=ManualStatus.OUTLINE_DRAFT, index=True)
    on_site_testing_on = mapped_column(Date, nullable=True)
    commissioning_on = mapped_column(Date, nullable=True)
    commissioning_held: Mapped[bool] = mapped_column(Boolean, default=False)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("core_case.id"), nullable=True)
    created_at = mapped_column(UTCDateTime)

    customer = relationship("Organisation")
    case = relationship("Case")
    versions = relationship("ManualVersion", order_by="ManualVersion.number.desc()", back_populates="manual")
    invitations = relationship("Invitation", back_populates="manual", order_by="Invitation.id")


class ManualVersion(AppendOnly, db.Model):
    """One saved version of a manual's content (T3); versions are kept, never changed."""

    __tablename__ = "training_manual_version"
    __table_args__ = (UniqueConstraint("manual_id", "number", name="uq_training_manual_version_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    manual_id: Mapped[int] = mapped_column(ForeignKey("training_manual.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    created_at = mapped_column(UTCDateTime)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("core_user.id"), nullable=True)
    system_description: Mapped[str] = mapped_column(Text, default="")
    technical_description: Mapped[str] = mapped_column(Text, default="")
    maintenance_procedures: Mapped[str] = mapped_column(Text, default="")
    parts_replacement: Mapped[str] = mapped_column(Text, default="")
    fault_list: Mapped[str] = mapped_column(Text, default="")
    # [{"maker", "model", "serial", "settings"}]: the installed units when the version was saved.
    equipment: Mapped[list] = mapped_column(JSON, default=list)
    # [{"role", "name", "phone"}]; role "maker_technical_director" is the T1 contact.
    contacts: Mapped[list] = mapped_column(JSON, default=list)

    manual = relationship("Manual", back_populates="versions")
    created_by = relationship("User")


class InvitationKind:
    MAKER = "maker"
    OWNER_ENGINEER = "owner_engineer"
    ALL = (MAKER, OWNER_ENGINEER)


class Invitation(db.Model):
    """Someone invited to an operation-training session (the maker, T1) or to a
    project's commissioning (the owner's engineers, T5), and whether they came."""

    __tablename__ = "training_invitation"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("training_session.id"), index=True, nullable=True)
    manual_id: Mapped[int | None] = mapped_column(ForeignKey("training_manual.id"), index=True, nullable=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    invited_at = mapped_column(UTCDateTime)
    attended: Mapped[bool | None] = mapped_column(Boolean, nullable=True)

    session = relationship("TrainingSession", back_populates="invitations")
    manual = relationship("Manual", back_populates="invitations")
