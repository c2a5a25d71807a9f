"""Invitations: the maker to operation training (T1), the owner's engineers to commissioning (T5)."""
from __future__ import annotations

from flask_babel import gettext

from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db

from ..models import Invitation, InvitationKind


def invite(*, kind: str, name: str, company: str = "", phone: str = "", session=None, manual=None) -> Invitation:
    """Invite someone to a session or to a project's commissioning."""
    if kind not in InvitationKind.ALL:
        raise BusinessRuleError(gettext("Choose who is invited."), field="kind")
    if not (name or "").strip():
        raise BusinessRuleError(gettext("Give the name of the person invited."), field="name")
    invitation = Invitation(kind=kind, name=name.strip()[:200], company=(company or "").strip()[:200],
                            phone=(phone or "").strip()[:40], invited_at=now(),
                            session_id=session.id if session else None, manual_id=manual.id if manual else None)
    db.session.add(invitation)
    db.session.flush()
    return invitation


def record_attendance(invitation: Invitation, attended: bool) -> None:
    invitation.attended = bool(attended)
