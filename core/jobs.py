"""Periodic jobs that plugins declare, run by ``flask jobs run`` from cron."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Callable

from flask import current_app
from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.clock import as_utc, now
from core.extensions import db
from core.models_base import UTCDateTime
from core.plugins import flatten


@dataclass(frozen=True)
class ScheduledJob:
    """A function to run every ``interval`` (it runs inside an app context)."""

    name: str
    interval: timedelta
    run: Callable[[], object]


class JobRun(db.Model):
    """When each job last ran, so cron may call ``flask jobs run`` every minute."""

    __tablename__ = "core_job_run"
    __audit__ = False

    name: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_run_at = mapped_column(UTCDateTime)


def scheduled_jobs() -> list[ScheduledJob]:
    jobs = flatten(current_app.extensions["postventa"].hook.postventa_scheduled_jobs())
    return sorted(jobs, key=lambda job: job.name)


def run_due_jobs(only: str | None = None, force: bool = False) -> list[str]:
    """Run the jobs whose interval has passed (or ``only`` one, or all with ``force``)."""
    ran = []
    for job in scheduled_jobs():
        if only and job.name != only:
            continue
        last = db.session.get(JobRun, job.name)
        at = now()
        if not force and not only and last is not None and as_utc(last.last_run_at) + job.interval > at:
            continue
        job.run()
        last = db.session.get(JobRun, job.name)
        if last is None:
            db.session.add(JobRun(name=job.name, last_run_at=at))
        else:
            last.last_run_at = at
        db.session.commit()
        ran.append(job.name)
    return ran
