"""The benchmark's seeding and in-process query counting at a tiny scale (no gunicorn, no wrk)."""
from __future__ import annotations

from core.clock import FrozenClock
from core.extensions import db

from bench import database, report
from bench.load import parse_wrk
from bench.pages import measured_pages
from bench.queries import count_pages
from bench.seed import Seeder
from bench.settings import SEED_START, Scale
from tests.conftest import ALL_PLUGINS

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/baseline
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.10ms  612.00us  14.20ms   80.00%
    Req/Sec     1.90k   150.00     2.20k    70.00%
  Latency Distribution
     50%    1.98ms
     75%    2.30ms
     90%    2.80ms
     99%    1.20s
  37800 requests in 10.00s, 20.10MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 4
Requests/sec:   3780.12
Transfer/sec:      2.01MB
"""


def test_seeding_and_query_counts_at_tiny_scale(tmp_path):
    url = database.sqlite_url(tmp_path)
    database.reset(url)
    clock = FrozenClock(SEED_START)
    app = database.bench_app(url, ALL_PLUGINS, clock, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    logins = database.migrate_and_load_demo(app)
    scale = Scale.tiny()
    with app.app_context():
        seeded = Seeder(app, clock, scale).run(logins)
        db.session.remove()
    assert seeded.counts["cases"] >= scale.cases
    assert seeded.counts["timeline_events"] >= scale.cases * scale.events_per_case
    assert seeded.probes.long_case_id and seeded.probes.short_case_id
    if "dealers" in ALL_PLUGINS:
        assert seeded.counts["claims"] >= 1
        assert seeded.counts["dealers"] >= scale.dealers

    pages = measured_pages(app, seeded.probes)
    assert [p.name for p in pages] == ["baseline", "case_page", "case_list_filtered", "serial_lookup",
                                       "dealer_claims", "dealer_home"]
    counted = count_pages(app, pages)
    for page in pages:
        if page.missing:
            assert page.name not in counted
            continue
        figures = counted[page.name]
        assert figures["status"] == 200, (page.name, figures["status"])
        assert figures["queries"] >= 1 and len(figures["statements"]) == figures["queries"]
        assert isinstance(figures["constant"], bool)
    assert counted["baseline"]["queries"] <= 4  # the yardstick: the user, their roles, one indexed query

    results = {"machine": {"date": "today", "nproc": 2, "cpu": "cpu", "memory_gb": 1, "python": "3"},
               "database": "SQLite", "plugins": ALL_PLUGINS, "scale": vars(scale), "workers": 2,
               "load_generator": "not run", "load_settings": "", "notes": [], "seed": {"seconds": 1,
               "counts": seeded.counts}, "pages": {p.name: {"title": p.title, "missing": p.missing,
                                                            "queries": counted.get(p.name)} for p in pages}}
    report.page_verdicts(results)
    table = report.markdown(results)
    assert "| Case page |" in table and "SQL (many/few rows)" in table


def test_wrk_output_is_read():
    figures = parse_wrk(WRK_OUTPUT)
    assert figures.requests == 37800
    assert figures.rps == 3780.12
    assert figures.p50_ms == 1.98
    assert figures.p99_ms == 1200.0
    assert figures.errors == 7
