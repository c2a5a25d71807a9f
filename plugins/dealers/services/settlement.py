"""Fee verification notices and the dealer's receivables ledger (D19).

Settling is set-based: one conditional ``UPDATE`` moves a dealer's verified
claims onto its notice, whatever their number. Confirmation claims the notice
with ``UPDATE ... WHERE state = 'issued'``; only the transaction that wins
writes the ledger credit, and the unique (notice_id, kind) constraint makes a
second credit impossible even if that guard were bypassed.
"""
from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal

from flask_babel import force_locale, format_date, gettext
from sqlalchemy import func, select, update

from core.audit import current_actor_id
from core.auth.scoping import scoped
from core.auth.services import company
from core.cases.timeline import record_many
from core.clock import now
from core.errors import BusinessRuleError
from core.extensions import db
from core.formatting import money
from core.pdf import Document
from core.policies import policy
from core.sequences import next_number

from ..models import ZERO, Claim, ClaimState, FeeNotice, LedgerEntry, LedgerKind, NoticeState


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.utc)


def issue_notices(period_start: date, period_end: date, dealer_ids: list[int] | None = None) -> list[FeeNotice]:
    """Gather each dealer's verified claims of the period into a numbered notice (D19).

    Set-based (a few statements per dealer, none per claim), so settling 10,000
    verified claims is quick. A claim verified in the period and on no notice
    yet lands on exactly one notice, even with two finance clerks issuing at once.
    """
    if period_start is None or period_end is None or period_end < period_start:
        raise BusinessRuleError(gettext("Give a period whose end is not before its start."), field="period_end")
    in_period = (
        Claim.state == ClaimState.VERIFIED, Claim.notice_id.is_(None),
        Claim.verified_at >= _day_start(period_start), Claim.verified_at < _day_start(period_end + timedelta(days=1)),
    )
    stmt = select(Claim.dealer_id).where(*in_period).group_by(Claim.dealer_id).order_by(Claim.dealer_id)
    if dealer_ids is not None:
        stmt = stmt.where(Claim.dealer_id.in_(dealer_ids))
    at = now()
    notices = []
    for dealer_id in db.session.scalars(stmt).all():
        notice = FeeNotice(number=next_number(policy("dealers.notice_prefix"), at.year), dealer_id=dealer_id,
                           period_start=period_start, period_end=period_end, state=NoticeState.ISSUED,
                           issued_at=at, issued_by_id=current_actor_id())
        db.session.add(notice)
        db.session.flush()
        db.session.execute(
            update(Claim).where(*in_period, Claim.dealer_id == dealer_id)
            .values(notice_id=notice.id, state=ClaimState.ON_NOTICE).execution_options(synchronize_session=False)
        )
        count, total = db.session.execute(
            select(func.count(Claim.id), func.coalesce(func.sum(Claim.verified_total), 0)).where(Claim.notice_id == notice.id)
        ).one()
        if not count:
            db.session.delete(notice)  # a concurrent clerk gathered these claims first
            continue
        notice.claim_count, notice.total = count, Decimal(total).quantize(Decimal("0.01"))
        _record_on_claims(notice.id, "dealers.claim_on_notice", {"notice": notice.number})
        notices.append(notice)
    _expire_loaded_claims()
    db.session.flush()
    return notices


def confirm_notice(notice: FeeNotice, user) -> bool:
    """The dealer confirms the notice: its amount is credited to the receivables exactly once.

    :return: True when this call credited it; False when it was already confirmed
        (a retry, a double click, a concurrent confirmation): nothing changes then.
    """
    if not user.is_internal and user.organisation_id != notice.dealer_id:
        raise BusinessRuleError(gettext("This notice is not yours."), field="notice")
    at = now()
    claimed = db.session.execute(
        update(FeeNotice).where(FeeNotice.id == notice.id, FeeNotice.state == NoticeState.ISSUED)
        .values(state=NoticeState.CONFIRMED, confirmed_at=at, confirmed_by_id=user.id)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not claimed:
        return False
    db.session.add(LedgerEntry(dealer_id=notice.dealer_id, notice_id=notice.id, kind=LedgerKind.FEE_CREDIT,
                               amount=-notice.total, reference=notice.number, at=at, actor_id=user.id))
    db.session.execute(
        update(Claim).where(Claim.notice_id == notice.id, Claim.state == ClaimState.ON_NOTICE)
        .values(state=ClaimState.SETTLED).execution_options(synchronize_session=False)
    )
    _record_on_claims(notice.id, "dealers.claim_settled", {"notice": notice.number})
    _expire_loaded_claims()
    db.session.flush()
    db.session.refresh(notice)
    return True


def _expire_loaded_claims() -> None:
    """Claims already loaded in this session re-read their state after a set-based UPDATE."""
    for obj in list(db.session.identity_map.values()):
        if isinstance(obj, Claim):
            db.session.expire(obj)


def _record_on_claims(notice_id: int, event_type: str, payload: dict) -> None:
    """One timeline event on every claim of the notice, in one INSERT (set-based settlement)."""
    rows = db.session.execute(select(Claim.case_id, Claim.number).where(Claim.notice_id == notice_id)).all()
    record_many(event_type, [(case_id, {"claim": number, **payload}) for case_id, number in rows])


def post_charge(dealer_id: int, amount, reference: str) -> LedgerEntry:
    """Finance books an amount the dealer owes (parts delivered, freight, restoration)."""
    amount = Decimal(amount or 0).quantize(Decimal("0.01"))
    if amount <= 0:
        raise BusinessRuleError(gettext("The amount must be more than zero."), field="amount")
    reference = (reference or "").strip()
    if not reference:
        raise BusinessRuleError(gettext("Give a reference."), field="reference")
    entry = LedgerEntry(dealer_id=dealer_id, kind=LedgerKind.CHARGE, amount=amount, reference=reference[:200],
                        at=now(), actor_id=current_actor_id())
    db.session.add(entry)
    db.session.flush()
    return entry


def balance(dealer_id: int) -> Decimal:
    """What the dealer owes the company (negative: the company owes the dealer)."""
    total = db.session.scalar(select(func.coalesce(func.sum(LedgerEntry.amount), 0)).where(LedgerEntry.dealer_id == dealer_id))
    return Decimal(total).quantize(Decimal("0.01"))


def statement(dealer_id: int) -> list[tuple[LedgerEntry, Decimal]]:
    """The ledger entries in order, each with the running balance."""
    running = ZERO
    lines = []
    for entry in db.session.scalars(
        select(LedgerEntry).where(LedgerEntry.dealer_id == dealer_id).order_by(LedgerEntry.at, LedgerEntry.id)
    ):
        running += entry.amount
        lines.append((entry, running))
    return lines


def visible_notices(user=None):
    return scoped(select(FeeNotice), FeeNotice.dealer_id, user=user)


def notice_pdf(notice: FeeNotice, language: str) -> Document:
    """The written fee verification notice, in Spanish or English (D19)."""
    if language not in ("es", "en"):
        raise BusinessRuleError(gettext("Choose Spanish or English."), field="lang")
    claims = db.session.scalars(select(Claim).where(Claim.notice_id == notice.id).order_by(Claim.number)).all()
    with force_locale(language):
        document = Document(gettext("Fee verification notice %(number)s", number=notice.number), company().name,
                            footer_text=notice.number)
        document.fact(gettext("Dealer"), notice.dealer.name)
        document.fact(gettext("Period"), f"{format_date(notice.period_start)} - {format_date(notice.period_end)}")
        document.fact(gettext("Issued"), format_date(notice.issued_at.date()))
        document.table(
            [gettext("Claim"), gettext("Serial"), gettext("Parts"), gettext("Labour"), gettext("Travel"), gettext("Total")],
            [[c.number, c.serial, money(c.parts_amount), money(c.labour_amount), money(c.travel_amount),
              money(c.verified_total)] for c in claims],
            [34, 40, 28, 28, 28, 32],
        )
        document.fact(gettext("Amount to credit"), f"{money(notice.total)} EUR")
        document.paragraph(gettext("Once you confirm this notice in the portal, the amount is deducted "
                                   "from your account receivable with the company."))
    return document
