"""Warranty records: the warranty card (W8) and the five-year retention of every record (V4)."""
from __future__ import annotations

from flask_babel import force_locale, format_date, gettext
from sqlalchemy import event, select
from sqlalchemy.orm import Session

from core.auth.services import company
from core.cases.timeline import record
from core.clock import as_utc, now
from core.errors import BusinessRuleError
from core.extensions import db
from core.pdf import Document
from core.policies import policy
from core.sequences import next_number

from .handover import installation_for_unit
from .models import MaintenanceCard, RegistrationForm, Unit, Visit, WarrantyCard
from .periods import add_years
from .services import entitlement, terms_for

LANGUAGES = ("es", "en")

# V4: the records kept five years, by the name used in URLs and on the command line.
RETAINED = {
    "card": WarrantyCard,
    "maintenance_card": MaintenanceCard,
    "visit_report": Visit,
    "registration_form": RegistrationForm,
}


# --- W8: the warranty card ------------------------------------------------------------------

def issue_card(unit: Unit, language: str = "es") -> WarrantyCard:
    """Issue the warranty card to the owner (W8); meets the installation case's one-month clock."""
    if language not in LANGUAGES:
        raise BusinessRuleError(gettext("Choose Spanish or English."), field="language")
    ent = entitlement(unit)
    if ent.starts_on is None:
        raise BusinessRuleError(gettext("The warranty has not started: record the acceptance first."),
                                field="language")
    at = now()
    card = WarrantyCard(number=next_number(policy("warranty.card_number_prefix"), at.year), unit_id=unit.id,
                        language=language, created_at=at)
    db.session.add(card)
    db.session.flush()
    installation = installation_for_unit(unit)
    if installation is not None:
        record(installation.case, "warranty.card_issued", {"number": card.number, "language": language})
    return card


def card_pdf(card: WarrantyCard) -> Document:
    """The card as a PDF in its language: the warranty's principles and purpose, and who is responsible."""
    unit = card.unit
    wp = unit.product.warranty_policy
    with force_locale(card.language):
        ent = entitlement(unit)
        doc = Document(gettext("Warranty card %(number)s", number=card.number), company().name,
                       footer_text=gettext("Keep this card: show it when you ask for service."))
        doc.heading(gettext("Equipment"))
        doc.fact(gettext("Product"), f"{unit.product.model} {unit.product.name}")
        doc.fact(gettext("Serial number"), unit.serial)
        doc.fact(gettext("Owner"), unit.customer.name)
        doc.fact(gettext("Site"), unit.site or "-")
        doc.heading(gettext("Warranty"))
        doc.fact(gettext("Starts"), format_date(ent.starts_on))
        doc.fact(gettext("Ends"), format_date(ent.ends_on))
        doc.fact(gettext("Term"), gettext("%(months)d months", months=terms_for(unit.product).term_months))
        doc.heading(gettext("Principles and purpose"))
        doc.paragraph(wp.principles if wp and wp.principles else gettext(
            "The warranty runs from the day the acceptance report is signed by both parties. Within it, "
            "repair, replacement and maintenance are free; damage from improper use or handling is not "
            "covered. Its purpose is to keep your equipment working safely and to answer every request quickly."))
        doc.heading(gettext("Responsible departments and people"))
        doc.paragraph(wp.responsible if wp and wp.responsible else gettext(
            "Customer service takes your call; the engineering department diagnoses the cause; the technical "
            "department carries out the repair."))
        doc.fact(gettext("Issued"), format_date(card.created_at))
    return doc


# --- V4: retention --------------------------------------------------------------------------

def kept_until(item):
    """The first day ``item`` may be deleted (V4)."""
    return add_years(as_utc(item.created_at).date(), int(policy("warranty.v4_retention_years")))


def ensure_deletable(item) -> None:
    """Refuse to delete a warranty record within the retention period (V4)."""
    until = kept_until(item)
    if now().date() < until:
        raise BusinessRuleError(gettext(
            "Warranty records are kept for %(years)s years: this one can be deleted from %(date)s.",
            years=policy("warranty.v4_retention_years"), date=format_date(until)), field="record")


def find_record(kind: str, record_id: int):
    model = RETAINED.get(kind)
    if model is None:
        raise BusinessRuleError(gettext("Unknown kind of record."), field="record")
    item = db.session.get(model, int(record_id))
    if item is None:
        raise BusinessRuleError(gettext("No such record."), field="record")
    return item


def delete_record(kind: str, record_id: int) -> None:
    """Delete a warranty record once its retention period is over (V4); refused before."""
    item = find_record(kind, record_id)
    ensure_deletable(item)
    if isinstance(item, MaintenanceCard):
        for visit in list(item.visits):
            ensure_deletable(visit)
            db.session.delete(visit)
    db.session.delete(item)
    db.session.flush()


@event.listens_for(Session, "before_flush")
def _keep_records(session, flush_context, instances):
    """Whatever path deletes it (a service, a script, the shell), a retained record stays (V4)."""
    for obj in session.deleted:
        if isinstance(obj, tuple(RETAINED.values())):
            ensure_deletable(obj)


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_deletes(state):
    """A bulk ``DELETE`` cannot be checked row by row, so it is never allowed on retained records (V4)."""
    if state.is_delete and state.bind_mapper is not None and state.bind_mapper.class_ in RETAINED.values():
        raise BusinessRuleError(gettext(
            "Warranty records are deleted one by one, after their retention period; bulk deletes are refused."),
            field="record")


def records_of(unit: Unit) -> list[tuple[str, object]]:
    """The unit's retained records, newest first."""
    rows: list[tuple[str, object]] = []
    rows += [("card", c) for c in db.session.scalars(select(WarrantyCard).where(WarrantyCard.unit_id == unit.id))]
    card = db.session.scalar(select(MaintenanceCard).where(MaintenanceCard.unit_id == unit.id))
    if card is not None:
        rows.append(("maintenance_card", card))
        rows += [("visit_report", v) for v in card.visits if v.done_on is not None]
    return sorted(rows, key=lambda row: as_utc(row[1].created_at), reverse=True)
