"""Organisations, departments, users and roles."""
from __future__ import annotations

from flask_login import UserMixin
from sqlalchemy import JSON, Boolean, ForeignKey, Integer, String, Table, Column
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from core.extensions import db
from core.models_base import UTCDateTime


class OrganisationKind:
    """The kinds of party Postventa knows. Only the company's staff see across parties."""

    COMPANY = "company"
    DEALER = "dealer"
    CUSTOMER = "customer"
    SUPPLIER = "supplier"
    ALL = (COMPANY, DEALER, CUSTOMER, SUPPLIER)


class Organisation(db.Model):
    __tablename__ = "core_organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), index=True)
    tax_id: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    address: Mapped[str] = mapped_column(String(400), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    departments = relationship("Department", back_populates="organisation", order_by="Department.name")

    @property
    def is_company(self) -> bool:
        return self.kind == OrganisationKind.COMPANY

    def __str__(self) -> str:
        return self.name


class Department(db.Model):
    """A department of the company (customer service, technical department, ...)."""

    __tablename__ = "core_department"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    name: Mapped[str] = mapped_column(String(120))

    organisation = relationship("Organisation", back_populates="departments")

    def __str__(self) -> str:
        return self.name


user_roles = Table(
    "core_user_role",
    db.metadata,
    Column("user_id", ForeignKey("core_user.id", ondelete="CASCADE"), primary_key=True),
    Column("role_id", ForeignKey("core_role.id", ondelete="CASCADE"), primary_key=True),
)


class Role(db.Model):
    """A named bundle of permissions (plugins declare defaults; admins edit)."""

    __tablename__ = "core_role"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    permissions: Mapped[list] = mapped_column(JSON, default=list)

    def __str__(self) -> str:
        return self.name


class User(UserMixin, db.Model):
    __tablename__ = "core_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("core_organisation.id"), index=True)
    department_id: Mapped[int | None] = mapped_column(ForeignKey("core_department.id"), nullable=True)
    locale: Mapped[str] = mapped_column(String(10), default="")
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/Madrid")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until = mapped_column(UTCDateTime, nullable=True)

    organisation = relationship("Organisation", lazy="joined")
    department = relationship("Department", foreign_keys=[department_id])
    roles = relationship("Role", secondary=user_roles, lazy="selectin", order_by="Role.name")

    def set_password(self, password: str, method: str | None = None) -> None:
        from flask import current_app

        self.password_hash = generate_password_hash(
            password, method=method or current_app.config["PASSWORD_HASH_METHOD"]
        )

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login: inactive users cannot log in
        return bool(self.active)

    @property
    def permissions(self) -> frozenset[str]:
        cached = self.__dict__.get("_permission_cache")
        if cached is None:
            cached = frozenset(p for role in self.roles for p in (role.permissions or ()))
            self.__dict__["_permission_cache"] = cached
        return cached

    def can(self, permission: str) -> bool:
        return permission in self.permissions

    @property
    def is_internal(self) -> bool:
        """Company staff; everyone else is scoped to their own organisation."""
        return self.organisation.is_company

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def __str__(self) -> str:
        return self.display_name
