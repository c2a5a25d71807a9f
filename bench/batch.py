"""Batch work: settling verified claims into fee notices (D19) and the deadline worker.

The records are seeded through the services in the caller's process; the timed
work then runs in a fresh process, so its peak memory (VmHWM) is the batch's
own and not the seeding's.
"""
from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timedelta
from multiprocessing import get_context

from flask import g
from sqlalchemy import func, select

from core.auth.models import Organisation, OrganisationKind, User
from core.cases import services as cases
from core.cases.models import CasePriority
from core.clock import FrozenClock
from core.deadlines import ClockStatus, DeadlineClock
from core.extensions import db

from bench import texts
from bench.database import bench_app

COMMIT_EVERY = 200


def in_fresh_process(function, *args) -> dict:
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS:"))


def _peak_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ``ru_maxrss`` it does not inherit the parent's peak across exec)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))


def _actor(username: str) -> User:
    user = db.session.scalar(select(User).where(User.username == username))
    g.postventa_actor_id = user.id
    return user


# --- settlement (D19) ---------------------------------------------------------------------

def seed_verified_claims(app, clock, count: int, rng) -> tuple[str, str]:
    """``count`` claims taken from draft to verified, all verified in one calendar month; returns its dates."""
    from plugins.dealers.models import Sale
    from plugins.dealers.services import claims

    month = (clock().replace(day=1) + timedelta(days=32)).replace(day=1, hour=8, minute=0, second=0, microsecond=0)
    clock.set(month)
    step = timedelta(days=27) / max(count * 6, 1)
    sales = db.session.execute(select(Sale.dealer_id, Sale.serial).where(Sale.entitled.is_(True))
                               .order_by(Sale.id)).all()
    technician = _actor("technician")
    for index in range(count):
        dealer_id, serial = sales[index % len(sales)]
        g.postventa_actor_id = None
        claim = claims.start_claim(dealer_id, serial)
        claims.save_draft(claim, fault_on=clock().date() - timedelta(days=1), fault=texts.problem(rng),
                          cause="manufacture", remedy="repair", labour_hours="1.5",
                          travel_km=str(rng.randint(5, 90)), served_user_name=texts.person(rng))
        claims.submit(claim, technician)
        _actor("technical")
        claims.start_appraisal(claim)
        claims.approve(claim, texts.sentence(rng))
        _actor("finance")
        claims.verify(claim)
        clock.advance(step * 6)
        if index % COMMIT_EVERY == COMMIT_EVERY - 1:
            db.session.commit()
    db.session.commit()
    end = month + timedelta(days=27)
    return month.date().isoformat(), end.date().isoformat()


def time_settlement(url: str, plugins: list[str], at: str, period_start: str, period_end: str) -> dict:
    """In a fresh process: issue the period's notices, then confirm every one (credited once each)."""
    from datetime import date

    from plugins.dealers.models import Claim, ClaimState
    from plugins.dealers.services import settlement

    app = bench_app(url, plugins, FrozenClock(datetime.fromisoformat(at)))
    with app.app_context():
        finance = _actor("finance")
        rss_before = _rss_mb()
        started = time.perf_counter()
        notices = settlement.issue_notices(date.fromisoformat(period_start), date.fromisoformat(period_end))
        db.session.commit()
        issued = time.perf_counter()
        for notice in notices:
            settlement.confirm_notice(notice, finance)
        db.session.commit()
        confirmed = time.perf_counter()
        settled = db.session.scalar(select(func.count(Claim.id)).where(
            Claim.state == ClaimState.SETTLED, Claim.notice_id.in_([n.id for n in notices])))
        return {
            "claims_settled": settled, "notices": len(notices),
            "issue_seconds": round(issued - started, 3), "confirm_seconds": round(confirmed - issued, 3),
            "seconds": round(confirmed - started, 3),
            "rss_before_mb": round(rss_before, 1), "peak_rss_mb": round(_peak_mb(), 1),
        }


def settlement_benchmark(app, clock, settings, rng) -> dict:
    if "dealers" not in app.extensions["postventa"].registry.enabled_names:
        return {"skipped": "the dealers plugin is not enabled"}
    from plugins.dealers.services import settlement

    if not hasattr(settlement, "issue_notices") or not hasattr(settlement, "confirm_notice"):
        return {"skipped": "the dealers plugin has no settle service (issue_notices/confirm_notice) yet"}
    seeding = time.perf_counter()
    with app.app_context():
        start, end = seed_verified_claims(app, clock, settings.scale.claims_to_settle, rng)
        at = (clock() + timedelta(days=3)).isoformat()
    seeded = time.perf_counter() - seeding
    result = in_fresh_process(time_settlement, settings.database_url, settings.plugins, at, start, end)
    return {"claims_verified": settings.scale.claims_to_settle, "seed_seconds": round(seeded, 1),
            "period": [start, end], **result}


# --- the deadline worker --------------------------------------------------------------------

def seed_open_clocks(app, clock, open_clocks: int, due: int) -> dict:
    """Emergencies whose opening starts their clocks (S1-S3, S6 on complaints, S5 on accidents).

    ``due`` cases are accidents: their 15-minute S5 clock is the only one due a
    quarter of an hour later; every other clock runs for 30 minutes or more.
    """
    customer = db.session.scalar(select(Organisation.id).where(Organisation.kind == OrganisationKind.CUSTOMER))
    _actor("customer_service")
    clock.set(clock() + timedelta(days=2))
    opened_at = clock()
    accidents, rest = due, max(0, (open_clocks - due * 5) // 4)
    for index in range(accidents + rest):
        accident = index < accidents
        cases.open_case("Emergencia: equipo parado", customer, priority=CasePriority.EMERGENCY,
                        contact_name="Jefe de mantenimiento", payload={"accident": accident, "complaint": True})
        if index % COMMIT_EVERY == COMMIT_EVERY - 1:
            db.session.commit()
    db.session.commit()
    running = db.session.scalar(select(func.count(DeadlineClock.id)).where(
        DeadlineClock.status == ClockStatus.RUNNING, DeadlineClock.breached_at.is_(None)))
    return {"opened_at": opened_at.isoformat(), "cases": accidents + rest, "open_clocks": running}


def time_deadlines(url: str, plugins: list[str], opened_at: str) -> dict:
    """In a fresh process: a pass with nothing new due, then one a quarter of an hour later."""
    from core.deadlines import run_deadlines

    clock = FrozenClock(datetime.fromisoformat(opened_at) + timedelta(minutes=10))
    app = bench_app(url, plugins, clock)
    with app.app_context():
        g.postventa_actor_id = None
        rss_before = _rss_mb()
        started = time.perf_counter()
        idle_breaches = run_deadlines()
        idle = time.perf_counter() - started
        clock.advance(minutes=6)
        due = db.session.scalar(select(func.count(DeadlineClock.id)).where(
            DeadlineClock.status == ClockStatus.RUNNING, DeadlineClock.breached_at.is_(None),
            DeadlineClock.due_at <= clock()))
        db.session.rollback()
        started = time.perf_counter()
        breaches = run_deadlines()
        busy = time.perf_counter() - started
        return {
            "idle_pass_seconds": round(idle, 3), "idle_pass_breaches": idle_breaches,
            "due": due, "breaches": breaches, "seconds": round(busy, 3),
            "per_breach_ms": round(busy / breaches * 1000, 2) if breaches else None,
            "rss_before_mb": round(rss_before, 1), "peak_rss_mb": round(_peak_mb(), 1),
        }


def deadline_benchmark(app, clock, settings) -> dict:
    if not app.extensions["postventa"].deadline_policies:
        return {"skipped": "no enabled plugin declares deadline policies"}
    seeding = time.perf_counter()
    with app.app_context():
        seeded = seed_open_clocks(app, clock, settings.scale.open_clocks, settings.scale.clocks_due)
    seed_seconds = time.perf_counter() - seeding
    result = in_fresh_process(time_deadlines, settings.database_url, settings.plugins, seeded["opened_at"])
    return {**seeded, "seed_seconds": round(seed_seconds, 1), **result}
