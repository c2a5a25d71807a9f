"""What the dealers plugin adds to core pages: dashboard queues and the case panel."""
from __future__ import annotations

from flask import render_template, url_for
from flask_babel import gettext, lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.auth.scoping import scoped
from core.extensions import db
from core.web import Panel

from .forms import EmptyForm
from .models import Claim, ClaimState, Task
from .services import claims, tasks

QUEUE_LIMIT = 10


def _list(items, more_url=None) -> Markup:
    return Markup(render_template("dealers/_widget_list.html", items=items, more_url=more_url))


def _claims_in(states, user) -> list:
    stmt = scoped(select(Claim).where(Claim.state.in_(states)), Claim.dealer_id, user=user)
    return db.session.scalars(stmt.order_by(Claim.id).limit(QUEUE_LIMIT)).all()


def dashboard_widgets(user) -> list[Panel]:
    """Each role's queue: leadership's escalations (S9), the sales office's unchecked tasks,
    the technical department's appraisals, finance's verifications, a dealer's own claims."""
    panels = []
    if user.can("dealers.escalations"):
        html = Markup(render_template("dealers/_escalation_list.html", escalations=tasks.open_escalations()[:QUEUE_LIMIT],
                                      form=EmptyForm()))
        panels.append(Panel(_l("Escalated to leadership"), html, order=5, id="dealers-escalations"))
    if user.can("dealers.task.manage"):
        waiting = db.session.scalars(
            select(Task).where(Task.checked_at.is_(None)).options(joinedload(Task.case))
            .order_by(Task.emergency.desc(), Task.id).limit(QUEUE_LIMIT)
        ).all()
        items = [(f"{t.case.number} · {t.case.title}", url_for("dealers.task_show", task_id=t.id),
                  gettext("Emergency") if t.emergency else (gettext("to dispatch") if not t.dispatched_at else ""))
                 for t in waiting]
        panels.append(Panel(_l("Tasks to dispatch or check"), _list(items, url_for("dealers.tasks")), order=20,
                            id="dealers-tasks"))
    if user.can("dealers.claim.appraise"):
        items = [(f"{c.number} · {claims.state_label(c.state)}", url_for("dealers.claim_show", claim_id=c.id),
                  "⚑" if c.flagged else "")
                 for c in _claims_in((ClaimState.SUBMITTED, ClaimState.PARTS_RECEIVED, ClaimState.UNDER_APPRAISAL), user)]
        panels.append(Panel(_l("Claims to appraise"), _list(items, url_for("dealers.claims")), order=21,
                            id="dealers-appraise"))
    if user.can("dealers.claim.verify"):
        items = [(c.number, url_for("dealers.claim_show", claim_id=c.id), "")
                 for c in _claims_in((ClaimState.APPROVED,), user)]
        panels.append(Panel(_l("Claims to verify"), _list(items, url_for("dealers.claims", state="approved")),
                            order=22, id="dealers-verify"))
    if not user.is_internal and user.can("dealers.portal"):
        items = [(f"{c.number} · {claims.state_label(c.state)}", url_for("dealers.claim_show", claim_id=c.id),
                  c.rejection_reason or "")
                 for c in _claims_in((ClaimState.DRAFT, ClaimState.SUBMITTED, ClaimState.REJECTED), user)]
        panels.append(Panel(_l("Your claims"), _list(items, url_for("dealers.home")), order=20, id="dealers-mine"))
    return panels


def case_panels(case, user) -> list[Panel]:
    """A link from the case to its claim or task (two queries, whatever the case's history)."""
    if not user.can("dealers.portal") and not user.can("dealers.task.work"):
        return []
    claim = db.session.scalar(scoped(select(Claim).where(Claim.case_id == case.id), Claim.dealer_id, user=user))
    task = db.session.scalar(scoped(select(Task).where(Task.case_id == case.id), Task.dealer_id, user=user))
    items = []
    if claim is not None:
        items.append((gettext("Claim %(number)s", number=claim.number) + f" · {claims.state_label(claim.state)}",
                      url_for("dealers.claim_show", claim_id=claim.id), ""))
    if task is not None and user.can("dealers.task.work"):
        items.append((gettext("Three-guarantee task"), url_for("dealers.task_show", task_id=task.id),
                      gettext("Emergency") if task.emergency else ""))
    if not items:
        return []
    return [Panel(_l("Three guarantees"), _list(items), order=30, id="dealers-case")]
