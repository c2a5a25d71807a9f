"""Reports: deadline compliance, failure Pareto (drawn server-side as SVG), return-visit compliance."""
from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date

from flask import current_app
from flask_babel import gettext
from markupsafe import Markup, escape
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from core.clock import as_utc, today
from core.deadlines import ClockStatus, DeadlineClock
from core.extensions import db

from .models import FeeLine, Product, ServiceRequest, Unit, Visit

PARETO_DIMENSIONS = ("product", "part", "cause")


def warranty_clock_names() -> list[str]:
    return [name for name in current_app.extensions["postventa"].deadline_policies if name.startswith("warranty.")]


def deadline_compliance() -> list[dict]:
    """Per month and clock: how many clocks started, were met on time, breached, still running."""
    names = warranty_clock_names()
    labels = current_app.extensions["postventa"].deadline_policies
    clocks = db.session.scalars(select(DeadlineClock).where(DeadlineClock.policy.in_(names))).all()
    table: dict[tuple[str, str], Counter] = defaultdict(lambda: Counter(started=0, on_time=0, breached=0, open=0))
    for clock in clocks:
        key = (as_utc(clock.started_at).strftime("%Y-%m"), clock.policy)
        table[key]["started"] += 1
        if clock.is_breached:
            table[key]["breached"] += 1
        elif clock.status == ClockStatus.MET:
            table[key]["on_time"] += 1
        else:
            table[key]["open"] += 1
    rows = []
    for (month, name), counts in sorted(table.items()):
        done = counts["on_time"] + counts["breached"]
        rows.append({"month": month, "policy": name, "label": str(labels[name].label), **counts,
                     "percent": round(100 * counts["on_time"] / done) if done else None})
    return rows


def failure_pareto(dimension: str) -> list[dict]:
    """Failures counted by product, part or cause, largest first, with the cumulative share."""
    if dimension == "product":
        rows = db.session.execute(
            select(Product.model).select_from(ServiceRequest).join(Unit, ServiceRequest.unit_id == Unit.id)
            .join(Product, Unit.product_id == Product.id)).scalars().all()
    elif dimension == "part":
        rows = db.session.execute(select(FeeLine.part_number).where(
            FeeLine.kind == "parts", FeeLine.part_number != "")).scalars().all()
    else:
        labels = {"supplier": gettext("Supplier"), "company": gettext("Company"),
                  "customer": gettext("Customer"), "other": gettext("Other")}
        rows = [labels.get(c, c) for c in db.session.execute(
            select(ServiceRequest.cause).where(ServiceRequest.cause != "")).scalars().all()]
    counts = Counter(rows).most_common()
    total = sum(n for _, n in counts)
    result, running = [], 0
    for key, n in counts:
        running += n
        result.append({"key": key, "count": n, "cumulative": round(100 * running / total, 1)})
    return result


def pareto_svg(rows: list[dict], width: int = 640, height: int = 260) -> Markup:
    """Bars (count) and the cumulative-percentage line, as inline SVG."""
    if not rows:
        return Markup(f'<p class="small">{escape(gettext("No failures recorded yet."))}</p>')
    left, bottom, top = 40, 40, 10
    plot_w, plot_h = width - left - 40, height - bottom - top
    peak = max(r["count"] for r in rows)
    step = plot_w / len(rows)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="pareto" role="img" width="{width}" height="{height}" '
             f'viewBox="0 0 {width} {height}"><title>{escape(gettext("Failure Pareto chart"))}</title>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#555"/>']
    points = []
    for i, row in enumerate(rows):
        bar_h = plot_h * row["count"] / peak
        x = left + i * step + step * 0.1
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - bar_h:.1f}" width="{step * 0.8:.1f}" '
                     f'height="{bar_h:.1f}" fill="#486581"><title>{escape(row["key"])}: {row["count"]}</title></rect>')
        parts.append(f'<text x="{x + step * 0.4:.1f}" y="{top + plot_h + 14}" font-size="10" '
                     f'text-anchor="middle">{escape(str(row["key"])[:14])}</text>')
        points.append(f'{left + i * step + step / 2:.1f},{top + plot_h - plot_h * row["cumulative"] / 100:.1f}')
    parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="#d64545" stroke-width="2"/>')
    parts.append(f'<text x="{left + plot_w + 4}" y="{top + 8}" font-size="10">100 %</text></svg>')
    return Markup("".join(parts))


def visit_compliance(on: date | None = None) -> list[dict]:
    """Per month of due date: visits due, done on time, done late, overdue."""
    on = on or today()
    table: dict[str, Counter] = defaultdict(lambda: Counter(due=0, on_time=0, late=0, overdue=0))
    for due_on, done_on in db.session.execute(select(Visit.due_on, Visit.done_on).where(Visit.due_on <= on)):
        counts = table[due_on.strftime("%Y-%m")]
        counts["due"] += 1
        if done_on is None:
            counts["overdue"] += 1
        elif done_on <= due_on:
            counts["on_time"] += 1
        else:
            counts["late"] += 1
    return [{"month": month, **counts, "percent": round(100 * counts["on_time"] / counts["due"])}
            for month, counts in sorted(table.items())]


# --- CSV exports (header first) -------------------------------------------------------------------

def deadline_rows_csv(args):
    yield ["month", "clock", "started", "on_time", "breached", "open"]
    for row in deadline_compliance():
        yield [row["month"], row["policy"], row["started"], row["on_time"], row["breached"], row["open"]]


def pareto_rows_csv(args):
    dimension = args.get("by", "product")
    yield [dimension, "count", "cumulative_percent"]
    for row in failure_pareto(dimension if dimension in PARETO_DIMENSIONS else "product"):
        yield [row["key"], row["count"], row["cumulative"]]


def visit_rows_csv(args):
    yield ["month", "due", "on_time", "late", "overdue"]
    for row in visit_compliance():
        yield [row["month"], row["due"], row["on_time"], row["late"], row["overdue"]]


def unit_rows_csv(args):
    from core.auth.scoping import scoped

    from .services import entitlement

    yield ["model", "serial", "customer", "site", "accepted_on", "warranty_ends_on", "in_warranty"]
    units = db.session.scalars(scoped(select(Unit), Unit.customer_id).options(joinedload(Unit.customer))
                               .order_by(Unit.serial))
    for unit in units:
        ent = entitlement(unit)
        yield [unit.product.model, unit.serial, unit.customer.name, unit.site,
               unit.accepted_on.isoformat() if unit.accepted_on else "",
               ent.ends_on.isoformat() if ent.ends_on else "", "yes" if ent.in_warranty else "no"]
