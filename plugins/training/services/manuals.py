"""O&M manuals per project: the outline reviewed before on-site testing (T2), the
manual and its versions (T3) with the maker's technical director among the
contacts (T1), and the owner's engineers at commissioning (T5)."""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext
from sqlalchemy import func, select

from core.audit import current_actor_id
from core.auth.models import Organisation, OrganisationKind
from core.cases import services as cases
from core.cases.models import CaseChannel
from core.cases.timeline import record
from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db
from core.plugins import flatten
from core.policies import policy

from ..models import InvitationKind, Manual, ManualStatus, ManualVersion

# T3: the sections a manual must have before it is issued.
SECTIONS = ("system_description", "technical_description", "maintenance_procedures", "parts_replacement",
            "fault_list")
MAKER_DIRECTOR = "maker_technical_director"


def create_manual(customer_org_id, project: str, outline: str = "", on_site_testing_on=None,
                  commissioning_on=None) -> Manual:
    customer = db.session.get(Organisation, int(customer_org_id)) if customer_org_id else None
    if customer is None or customer.kind != OrganisationKind.CUSTOMER:
        raise BusinessRuleError(gettext("Choose the customer."), field="customer_org_id")
    if not (project or "").strip():
        raise BusinessRuleError(gettext("Name the project."), field="project")
    manual = Manual(customer_org_id=customer.id, project=project.strip()[:200], outline=outline or "",
                    on_site_testing_on=on_site_testing_on, commissioning_on=commissioning_on,
                    status=ManualStatus.OUTLINE_DRAFT, created_at=now())
    db.session.add(manual)
    db.session.flush()
    return manual


def save_outline(manual: Manual, outline: str) -> None:
    if manual.status not in ManualStatus.OUTLINE_EDITABLE:
        raise BusinessRuleError(gettext("The outline was sent: it cannot be changed now."), field="outline")
    manual.outline = outline or ""


def send_outline(manual: Manual) -> None:
    """Send the draft outline to the owner for review, before on-site testing (T2)."""
    if manual.status not in ManualStatus.OUTLINE_EDITABLE:
        raise BusinessRuleError(gettext("Only a draft outline can be sent."), field="outline")
    if not manual.outline.strip():
        raise BusinessRuleError(gettext("Write the outline first."), field="outline")
    if manual.case is None:
        manual.case = cases.open_case(gettext("O&M manual outline review: %(project)s", project=manual.project),
                                      manual.customer_org_id, channel=CaseChannel.PORTAL)
    manual.status = ManualStatus.OUTLINE_SENT
    late = bool(manual.on_site_testing_on and manual.on_site_testing_on <= now().date())
    record(manual.case, "training.outline_sent", {"manual_id": manual.id, "project": manual.project, "late": late})


def answer_outline(manual: Manual, approved: bool, comment: str = "") -> None:
    if manual.status != ManualStatus.OUTLINE_SENT:
        raise BusinessRuleError(gettext("This outline is not waiting for review."), field="comment")
    comment = (comment or "").strip()
    if not approved and not comment:
        raise BusinessRuleError(gettext("Say which changes you need."), field="comment")
    manual.status = ManualStatus.OUTLINE_APPROVED if approved else ManualStatus.OUTLINE_CHANGES
    event = "training.outline_approved" if approved else "training.outline_changes_requested"
    record(manual.case, event, {"manual_id": manual.id, "project": manual.project, "comment": comment})


def installed_equipment(customer_org_id: int) -> list[dict]:
    """The equipment list of T3 from the installed units (answered by the warranty plugin when enabled)."""
    units = flatten(current_app.extensions["postventa"].hook.postventa_installed_units(
        organisation_id=customer_org_id))
    return [{"maker": u.maker, "model": u.product_model, "serial": u.serial,
             "settings": ", ".join(f"{k}: {v}" for k, v in sorted((u.settings or {}).items()))} for u in units]


def parse_equipment(text: str) -> list[dict]:
    """Extra equipment lines typed as ``maker; model; serial; settings``."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) < 3 or not all(parts[:3]):
            raise BusinessRuleError(
                gettext("Line %(n)d: write maker; model; serial; settings.", n=number), field="extra_equipment")
        rows.append({"maker": parts[0], "model": parts[1], "serial": parts[2], "settings": "; ".join(parts[3:])})
    return rows


def parse_contacts(text: str) -> list[dict]:
    """Contact lines typed as ``role; name; phone``."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), 1):
        if not line.strip():
            continue
        parts = [part.strip() for part in line.split(";")]
        if len(parts) != 3 or not all(parts):
            raise BusinessRuleError(gettext("Line %(n)d: write role; name; phone.", n=number), field="contacts")
        rows.append({"role": parts[0], "name": parts[1], "phone": parts[2]})
    return rows


def save_version(manual: Manual, *, director_name: str, director_phone: str, contacts: str = "",
                 extra_equipment: str = "", **sections) -> ManualVersion:
    """Save the manual's content as a new version (older ones are kept).

    T2: only once the outline was approved. The equipment list is the
    customer's installed units at this moment plus any lines typed in.
    """
    if policy("training.outline_review_required") and manual.status not in ManualStatus.WRITABLE:
        raise BusinessRuleError(gettext("The outline must be approved before the manual is written."),
                                field="system_description")
    people = parse_contacts(contacts)
    if (director_name or "").strip() or (director_phone or "").strip():
        people.insert(0, {"role": MAKER_DIRECTOR, "name": (director_name or "").strip(),
                          "phone": (director_phone or "").strip()})
    number = (db.session.scalar(select(func.max(ManualVersion.number)).where(ManualVersion.manual_id == manual.id))
              or 0) + 1
    version = ManualVersion(
        manual_id=manual.id, number=number, created_at=now(), created_by_id=current_actor_id(),
        equipment=installed_equipment(manual.customer_org_id) + parse_equipment(extra_equipment),
        contacts=people, **{name: (sections.get(name) or "") for name in SECTIONS},
    )
    db.session.add(version)
    db.session.flush()
    if manual.case is not None:
        record(manual.case, "training.manual_version", {"manual_id": manual.id, "number": number})
    return version


def latest_version(manual: Manual) -> ManualVersion | None:
    return db.session.scalar(
        select(ManualVersion).where(ManualVersion.manual_id == manual.id).order_by(ManualVersion.number.desc()).limit(1)
    )


def missing_for_issue(version: ManualVersion) -> list[str]:
    """What the version lacks to be issued: T3 sections, an equipment list, the T1 contact."""
    missing = [name for name in SECTIONS if not getattr(version, name).strip()]
    if not version.equipment:
        missing.append("equipment")
    if policy("training.maker_director_contact_required") and not any(
            c["role"] == MAKER_DIRECTOR and c["phone"] for c in version.contacts):
        missing.append(MAKER_DIRECTOR)
    return missing


def issue(manual: Manual) -> ManualVersion:
    """Issue the latest version to the owner, once it is complete (T3, T1)."""
    latest = latest_version(manual)
    if latest is None:
        raise BusinessRuleError(gettext("Write the manual first."), field="system_description")
    missing = missing_for_issue(latest)
    if missing:
        labels = ", ".join(section_label(name) for name in missing)
        raise BusinessRuleError(gettext("The manual is incomplete: %(missing)s.", missing=labels),
                                field="system_description")
    manual.status = ManualStatus.ISSUED
    if manual.case is not None:
        record(manual.case, "training.manual_issued", {"manual_id": manual.id, "number": latest.number})
    return latest


def section_label(name: str) -> str:
    return {
        "system_description": gettext("System description"),
        "technical_description": gettext("Technical description"),
        "maintenance_procedures": gettext("Maintenance procedures"),
        "parts_replacement": gettext("Parts replacement"),
        "fault_list": gettext("Fault list"),
        "equipment": gettext("Equipment list"),
        MAKER_DIRECTOR: gettext("Maker's technical director's phone"),
    }[name]


def hold_commissioning(manual: Manual) -> None:
    """Record that commissioning took place, with the owner's engineers' attendance (T5)."""
    if manual.commissioning_held:
        raise BusinessRuleError(gettext("Commissioning is already recorded."), field="commissioning")
    engineers = [i for i in manual.invitations if i.kind == InvitationKind.OWNER_ENGINEER]
    if policy("training.owner_engineers_at_commissioning"):
        if not engineers:
            raise BusinessRuleError(gettext("Invite the owner's engineers to commissioning first."), field="commissioning")
        if any(i.attended is None for i in engineers):
            raise BusinessRuleError(gettext("Record whether each invited engineer attended."), field="commissioning")
    manual.commissioning_held = True
    if manual.case is not None:
        record(manual.case, "training.commissioning_held", {
            "manual_id": manual.id, "attended": [i.name for i in engineers if i.attended],
            "absent": [i.name for i in engineers if i.attended is False]})
