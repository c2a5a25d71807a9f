"""``python -m bench``: seed, count queries, serve and load, time the batch work, write the results."""
from __future__ import annotations

import argparse
import os
import random
import time

from core.clock import FrozenClock
from core.extensions import db
from core.plugins import discover_installed

from bench import batch, database, load, machine, queries, report, server
from bench.pages import measured_pages
from bench.profiling import profile_page
from bench.seed import Seeder
from bench.settings import OUT_DIR, SEED_START, Scale, Settings


def parse_args(argv=None) -> Settings:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--database-url", help="default: a SQLite file under bench/out/; PostgreSQL: "
                        "postgresql+psycopg://postgres@127.0.0.1:5432/test_bench (only test_bench is reset)")
    parser.add_argument("--scale", type=int, default=10_000, help="cases to seed (default 10,000)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: 500 cases, short loads")
    parser.add_argument("--plugins", help="comma-separated plugins (default: every installed plugin)")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page (default 10)")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--load-generator", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument("--profile", metavar="PAGE", default="slowest",
                        help="profile this page with pyinstrument: baseline, case_page, case_list_filtered, "
                        "serial_lookup, dealer_claims, dealer_home, 'slowest' (default: the lowest ratio to "
                        "the baseline, else the most CPU per request) or 'none'")
    parser.add_argument("--skip-load", action="store_true", help="no gunicorn and no load (queries and batch only)")
    parser.add_argument("--skip-batch", action="store_true", help="no settlement and no deadline worker")
    parser.add_argument("--append", action="store_true", help="keep earlier runs in results.json and RESULTS.md")
    args = parser.parse_args(argv)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    plugins = sorted(discover_installed()) if args.plugins is None else [p for p in args.plugins.split(",") if p]
    scale = Scale.quick() if args.quick else Scale.for_cases(args.scale)
    settings = Settings(database_url=args.database_url or database.sqlite_url(OUT_DIR), plugins=plugins,
                        scale=scale, duration_s=3 if args.quick else args.duration, connections=args.connections,
                        load_generator=args.load_generator, profile_page=args.profile,
                        skip_load=args.skip_load, skip_batch=args.skip_batch, append=args.append)
    return settings


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def seed(settings: Settings):
    """A fresh database, migrated, with the demo data and the seeded data set."""
    database.reset(settings.database_url)
    clock = FrozenClock(SEED_START)
    app = database.bench_app(settings.database_url, settings.plugins, clock)
    say(f"migrating and loading the demo data ({settings.database_url})")
    logins = database.migrate_and_load_demo(app)
    say(f"seeding {settings.scale.cases:,} cases × {settings.scale.events_per_case} events through the services")
    started = time.perf_counter()
    with app.app_context():
        seed_report = Seeder(app, clock, settings.scale, progress=say).run(logins)
        version = machine.database_version(db.engine)
        db.session.remove()
    seed_report.seconds = round(time.perf_counter() - started, 1)
    say(f"seeded in {seed_report.seconds} s: {seed_report.counts}")
    return app, clock, seed_report, version


def run_load(settings: Settings, pages, results: dict) -> None:
    """Serve with gunicorn and load every page from a second process, the baseline first."""
    generator, why = load.choose_generator(settings.load_generator)
    results["load_generator"] = f"{generator} ({why})"
    results["load_settings"] = (f"-t{settings.threads} -c{settings.connections} -d{settings.duration_s}s"
                                if generator == "wrk" else f"{settings.connections} processes × 1 keep-alive "
                                f"connection, {settings.duration_s} s")
    log_path = settings.out_dir / "gunicorn.log"
    results["load_average_before"] = [round(x, 2) for x in os.getloadavg()]
    with server.gunicorn(settings.database_url, settings.plugins, settings.workers, log_path) as running:
        loader = PageLoader(settings, generator, running)
        baseline = next((p for p in pages if p.name == "baseline"), None)
        baseline_runs = []
        for page in pages:
            if page.missing or page is baseline:
                continue
            # The baseline runs right before each page, so a page is compared with the machine as it was then
            # (the machine may be shared: the load average is in the results).
            before = loader.measure(baseline)
            figures = loader.measure(page)
            entry = results["pages"][page.name]
            if isinstance(figures, str) or isinstance(before, str):
                entry["load_error"] = figures if isinstance(figures, str) else f"baseline: {before}"
                say(f"{page.name}: {entry['load_error']}; not loaded")
                continue
            baseline_runs.append(before)
            entry["load"] = figures
            entry["ratio"] = round(figures["rps"] / before["rps"], 2) if before["rps"] else None
            entry["baseline_rps"] = before["rps"]
            say(f"{page.name}: {figures['rps']:.0f} req/s ({entry['ratio']} × baseline {before['rps']:.0f}), "
                f"p50 {figures['p50_ms']:.1f} ms, p99 {figures['p99_ms']:.1f} ms")
        if baseline_runs:
            results["pages"]["baseline"]["load"] = average_runs(baseline_runs)
        results["worker_rss_mb"] = round(max(server.rss_mb(pid) for pid in running.workers), 1)
    results["load_average_after"] = [round(x, 2) for x in os.getloadavg()]


class PageLoader:
    """Logs each user in once over HTTP, checks a page answers 200, then loads it and reads the workers' CPU."""

    def __init__(self, settings: Settings, generator: str, running):
        self.settings, self.generator, self.running = settings, generator, running
        self.cookies: dict[str, str] = {}

    def cookie(self, username: str) -> str:
        if username not in self.cookies:
            self.cookies[username] = load.http_login(self.running.port, username)
        return self.cookies[username]

    def measure(self, page) -> dict | str:
        """The page's figures, or why it could not be loaded."""
        visit, settings = page.many, self.settings
        cookie = self.cookie(visit.username)
        status = load.check_page(self.running.port, visit.path, cookie, times=20)
        if status != 200:
            return f"{visit.path} answered {status} before the load"
        workers = self.running.workers
        cpu_before = server.cpu_seconds(workers)
        if self.generator == "wrk":
            figures = load.run_wrk(self.running.base_url + visit.path, cookie, settings.duration_s,
                                   settings.connections, settings.threads)
        else:
            figures = load.run_python(self.running.port, visit.path, cookie, settings.duration_s,
                                      settings.connections)
        cpu = server.cpu_seconds(workers) - cpu_before
        return {**figures.as_dict(), "cpu_ms_per_request": round(cpu * 1000 / max(figures.requests, 1), 2)}


def average_runs(runs: list[dict]) -> dict:
    """The baseline's figures over its runs (one before each page)."""
    keys = ("rps", "p50_ms", "p99_ms", "cpu_ms_per_request")
    averaged = {key: round(sum(run[key] for run in runs) / len(runs), 2) for key in keys}
    averaged.update(requests=sum(run["requests"] for run in runs), errors=sum(run["errors"] for run in runs),
                    runs=len(runs), rps_min=min(run["rps"] for run in runs), rps_max=max(run["rps"] for run in runs))
    return averaged


def slowest_page(results: dict) -> str:
    """The measured page furthest below the baseline (or, without a load, the one issuing most SQL)."""
    pages = {name: page for name, page in results["pages"].items() if name != "baseline" and not page["missing"]}
    loaded = {name: page["ratio"] for name, page in pages.items() if page.get("ratio") is not None}
    if loaded:
        return min(loaded, key=loaded.get)
    return max(pages, key=lambda name: (pages[name].get("queries") or {}).get("queries", 0))


def main(argv=None) -> None:
    settings = parse_args(argv)
    app, clock, seed_report, version = seed(settings)
    results = {
        "machine": machine.describe(settings.database_url, version), "database": version,
        "plugins": settings.plugins, "scale": vars(settings.scale), "workers": settings.workers,
        "load_generator": "not run", "load_settings": "", "notes": list(seed_report.notes),
        "seed": {"seconds": seed_report.seconds, "counts": seed_report.counts,
                 "claim_states": seed_report.claim_states},
    }
    pages = measured_pages(app, seed_report.probes)
    results["pages"] = {p.name: {"title": p.title, "missing": p.missing, "path": p.many.path if p.many else None,
                                 "user": p.many.username if p.many else None} for p in pages}
    say("counting SQL statements per page in-process")
    for name, counted in queries.count_pages(app, pages).items():
        results["pages"][name]["queries"] = counted
        if counted["writes_on_get"]:
            results["notes"].append(f"{name}: {counted['writes_on_get']} INSERT/UPDATE/DELETE statements while "
                                    "showing the page (GET), see results.json")
    if not settings.skip_load:
        run_load(settings, pages, results)
    if settings.profile_page != "none":
        name = slowest_page(results) if settings.profile_page == "slowest" else settings.profile_page
        page = next((p for p in pages if p.name == name and not p.missing), None)
        if page is None:
            raise SystemExit(f"cannot profile {name!r}: unknown or missing page")
        say(f"profiling {page.name} with pyinstrument")
        results["profile"] = profile_page(app, page, settings.out_dir)
        print(results["profile"]["summary"])
    if not settings.skip_batch:
        say(f"settlement: seeding {settings.scale.claims_to_settle:,} verified claims, then settling them")
        results["settlement"] = batch.settlement_benchmark(app, clock, settings, random.Random(11))
        say(f"settlement: {results['settlement']}")
        say(f"deadline worker: opening clocks ({settings.scale.open_clocks:,})")
        results["deadlines"] = batch.deadline_benchmark(app, clock, settings)
        say(f"deadline worker: {results['deadlines']}")
    report.page_verdicts(results)
    table = report.write(results, settings.results_dir, append=settings.append)
    print(table)
