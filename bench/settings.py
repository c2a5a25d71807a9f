"""What one benchmark run measures: the scale of the data set, the database, the plugins."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

BENCH_DIR = Path(__file__).parent
OUT_DIR = BENCH_DIR / "out"

# The seeded history starts on a Monday morning and moves forward from there.
SEED_START = datetime(2025, 11, 3, 8, 0, tzinfo=timezone.utc)


@dataclass(frozen=True)
class Scale:
    """How much data the run seeds (issue 7's defaults at 10,000 cases)."""

    cases: int = 10_000
    events_per_case: int = 20
    units: int = 2_000
    dealers: int = 50
    claims: int = 5_000
    claims_to_settle: int = 10_000
    open_clocks: int = 100_000
    clocks_due: int = 5_000

    @classmethod
    def for_cases(cls, cases: int) -> "Scale":
        """The default proportions for ``cases`` cases (claims are half the cases, at most 5,000 per 10,000)."""
        ratio = cases / 10_000
        return cls(cases=cases, units=max(20, int(2_000 * ratio)), dealers=max(3, min(50, int(50 * ratio))),
                   claims=max(4, int(5_000 * ratio)))

    @classmethod
    def quick(cls) -> "Scale":
        """A smoke run: every phase, small numbers."""
        return cls(cases=500, units=120, dealers=6, claims=200, claims_to_settle=500, open_clocks=2_000,
                   clocks_due=200)

    @classmethod
    def tiny(cls) -> "Scale":
        """The pytest smoke test's scale."""
        return cls(cases=20, units=12, dealers=3, claims=8, claims_to_settle=10, open_clocks=50, clocks_due=5)


@dataclass
class Settings:
    """One run's choices."""

    database_url: str
    plugins: list[str]
    scale: Scale = field(default_factory=Scale)
    duration_s: int = 10
    connections: int = 8
    threads: int = 2
    workers: int = 2
    load_generator: str = "auto"  # auto, wrk, python
    profile_page: str | None = None
    skip_load: bool = False
    skip_batch: bool = False
    append: bool = False
    out_dir: Path = OUT_DIR
    results_dir: Path = BENCH_DIR

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")
