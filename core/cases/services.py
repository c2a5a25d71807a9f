"""Everything that changes a case goes through here, and lands on its timeline."""
from __future__ import annotations

import hashlib
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l

from core.audit import current_actor_id
from core.auth.models import Organisation
from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db
from core.policies import policy
from core.sequences import next_number

from .models import Attachment, Case, CaseChannel, CasePriority, CaseStatus
from .timeline import record

SERVICE_LOG_KINDS = ("call", "letter", "visit", "accident")


def open_case(
    title: str,
    customer_id: int,
    *,
    channel: str = CaseChannel.CALL,
    priority: str = CasePriority.NORMAL,
    description: str = "",
    site: str = "",
    contact_name: str = "",
    contact_phone: str = "",
    partner_id: int | None = None,
    assignee_id: int | None = None,
    payload: dict | None = None,
) -> Case:
    """Open a case with the next number and a ``case.opened`` event.

    ``payload`` is added to the opened event, so plugins reacting to it (the
    emergency clocks, say) see what the form carried.
    """
    title = (title or "").strip()
    if not title:
        raise BusinessRuleError(str(_l("A title is required.")), field="title")
    if channel not in CaseChannel.ALL:
        raise BusinessRuleError(str(_l("Unknown channel.")), field="channel")
    if priority not in CasePriority.ALL:
        raise BusinessRuleError(str(_l("Unknown priority.")), field="priority")
    if db.session.get(Organisation, customer_id) is None:
        raise BusinessRuleError(str(_l("Unknown customer.")), field="customer_id")
    opened = now()
    case = Case(
        number=next_number(policy("core.case_number_prefix"), opened.year),
        title=title[:200],
        description=description or "",
        customer_id=customer_id,
        partner_id=partner_id,
        site=site or "",
        contact_name=contact_name or "",
        contact_phone=contact_phone or "",
        channel=channel,
        priority=priority,
        status=CaseStatus.NEW,
        assignee_id=assignee_id,
        opened_at=opened,
        opened_by_id=current_actor_id(),
    )
    db.session.add(case)
    db.session.flush()
    record(case, "case.opened", {"channel": channel, "priority": priority, **(payload or {})}, at=opened)
    return case


def change_status(case: Case, status: str, note: str = "") -> None:
    """Move ``case`` to ``status`` (closing stamps ``closed_at``; reopening clears it)."""
    if status not in CaseStatus.ALL:
        raise BusinessRuleError(str(_l("Unknown status.")), field="status")
    if status == case.status:
        raise BusinessRuleError(str(_l("The case already has this status.")), field="status")
    previous = case.status
    case.status = status
    case.closed_at = now() if status == CaseStatus.CLOSED else None
    record(case, "case.status_changed", {"from": previous, "to": status, "note": note or ""})
    if status == CaseStatus.CLOSED:
        record(case, "case.closed", {"note": note or ""})


def assign(case: Case, user) -> None:
    """Give ``case`` to ``user`` (or to nobody)."""
    previous = case.assignee.display_name if case.assignee else ""
    case.assignee_id = user.id if user else None
    record(
        case,
        "case.assigned",
        {"from": previous, "to": user.display_name if user else "", "to_id": user.id if user else None},
    )


def add_comment(case: Case, text: str) -> None:
    text = (text or "").strip()
    if not text:
        raise BusinessRuleError(str(_l("Write a comment first.")), field="text")
    if len(text) > policy("core.comment_max_chars"):
        raise BusinessRuleError(str(_l("The comment is too long.")), field="text")
    record(case, "case.comment", {"text": text})


def add_service_log(case: Case, kind: str, summary: str, result: str = "") -> None:
    """Log a call, letter, visit or accident handling and its result (M10)."""
    if kind not in SERVICE_LOG_KINDS:
        raise BusinessRuleError(str(_l("Choose call, letter, visit or accident.")), field="kind")
    summary = (summary or "").strip()
    if not summary:
        raise BusinessRuleError(str(_l("Say what happened.")), field="summary")
    record(case, "case.service_log", {"kind": kind, "summary": summary[:2000], "result": (result or "")[:2000]})


def store_attachment(case: Case, filename: str, content_type: str, data: bytes) -> Attachment:
    """Keep a photo or document for ``case``: on disk by checksum, described in the database.

    Refuses empty files, files over ``core.attachment_max_bytes`` and types not in
    ``core.attachment_types``; the same bytes uploaded twice are stored once.
    """
    filename = Path(filename or "").name[:255]
    if not filename or not data:
        raise BusinessRuleError(str(_l("Choose a file to upload.")), field="file")
    if len(data) > policy("core.attachment_max_bytes"):
        raise BusinessRuleError(str(_l("The file is too large.")), field="file")
    if content_type not in policy("core.attachment_types"):
        raise BusinessRuleError(str(_l("This type of file is not accepted.")), field="file")
    digest = hashlib.sha256(data).hexdigest()
    folder = Path(current_app.config["UPLOAD_FOLDER"]) / digest[:2]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / digest
    if not target.exists():
        temporary = target.with_suffix(".part")
        temporary.write_bytes(data)
        temporary.replace(target)  # atomic: a reader never sees half a file
    attachment = Attachment(
        case_id=case.id,
        filename=filename,
        content_type=content_type,
        size=len(data),
        sha256=digest,
        uploaded_by_id=current_actor_id(),
        uploaded_at=now(),
    )
    db.session.add(attachment)
    db.session.flush()
    record(case, "case.attachment", {"attachment_id": attachment.id, "filename": filename,
                                     "size": len(data), "content_type": content_type})
    return attachment


def attachment_path(attachment: Attachment) -> Path:
    return Path(current_app.config["UPLOAD_FOLDER"]) / attachment.sha256[:2] / attachment.sha256
