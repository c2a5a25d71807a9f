"""``bench/results.json`` and the short Markdown table of ``bench/RESULTS.md``, against issue 7's targets."""
from __future__ import annotations

import json
from pathlib import Path

TARGETS = {
    "ratio_to_baseline_min": 0.6,
    "queries_per_page_max": 8,
    "p99_ms_max_at_1m_cases": 50,
    "p99_pages": ["case_page", "case_list_filtered", "serial_lookup"],
    "settle_seconds_max": 10,
    "worker_rss_mb_max": 150,
}


def _mark(ok: bool | None) -> str:
    return "—" if ok is None else ("✅" if ok else "❌")


def page_verdicts(results: dict) -> None:
    """Add each page's ratio to the baseline and its verdicts (never fails: figures only)."""
    pages = results["pages"]
    big_pg = results["database"].startswith("PostgreSQL") and results["scale"]["cases"] >= 1_000_000
    for name, page in pages.items():
        load, queries = page.get("load"), page.get("queries")
        if name == "baseline" and load:
            page["ratio"] = 1.0
        if page.get("ratio") is not None:
            page["ratio_ok"] = page["ratio"] >= TARGETS["ratio_to_baseline_min"]
        if queries:
            page["queries_ok"] = queries["constant"] and queries["queries"] <= TARGETS["queries_per_page_max"]
        if load and name in TARGETS["p99_pages"]:
            page["p99_ok"] = load["p99_ms"] < TARGETS["p99_ms_max_at_1m_cases"] if big_pg else None


def markdown(results: dict) -> str:
    m = results["machine"]
    lines = [
        f"### {m['date']} · {results['database']} · {results['scale']['cases']:,} cases",
        "",
        f"Machine: {m['nproc']} CPUs ({m['cpu']}), {m['memory_gb']} GB, Python {m['python']}. "
        f"Plugins: {', '.join(results['plugins']) or 'none'}. Load: {results['load_generator']} "
        f"({results['load_settings']}), gunicorn {results['workers']} sync workers on 127.0.0.1; "
        f"the baseline is loaded right before each page and each ratio is to that run. "
        f"Load average before/after: {results.get('load_average_before')} / {results.get('load_average_after')}.",
        "",
        "| page | req/s | × baseline | p50 ms | p99 ms | errors | CPU ms/req | SQL (many/few rows) |",
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for name, page in results["pages"].items():
        if page.get("missing") or page.get("load_error"):
            why = page.get("missing") or page["load_error"]
            lines.append(f"| {page['title']} | not measured: {why} |||||||")
            continue
        load, q = page.get("load") or {}, page.get("queries") or {}
        if not load:
            sql = f"{q['queries']}/{q['queries_few_rows']} {_mark(page.get('queries_ok'))}" if q else "—"
            lines.append(f"| {page['title']} | — | — | — | — | — | — | {sql} |")
            continue
        ratio = f"{page['ratio']:.2f} {_mark(page.get('ratio_ok'))}" if page.get("ratio") is not None else "—"
        p99 = f"{load.get('p99_ms', 0):.1f}" + (f" {_mark(page['p99_ok'])}" if page.get("p99_ok") is not None else "")
        sql = (f"{q['queries']}/{q['queries_few_rows']} {_mark(page.get('queries_ok'))}" if q else "—")
        lines.append(
            f"| {page['title']} | {load.get('rps', 0):.0f} | {ratio} | {load.get('p50_ms', 0):.1f} | {p99} | "
            f"{load.get('errors', 0)} | {load.get('cpu_ms_per_request', 0):.1f} | {sql} |")
    lines += ["", "| batch | figure | target |", "|---|---|---|"]
    lines += _batch_rows(results)
    lines += [f"- {note}" for note in results.get("notes", [])]
    profile = results.get("profile")
    if profile:
        lines += ["", f"Profile of the slowest page, `{profile['page']}` ({profile['requests']} requests in-process, "
                  f"pyinstrument; full report in `bench/out/profile-{profile['page']}.html`):", "", "```",
                  *_profile_head(profile["summary"]), "```"]
    return "\n".join(lines) + "\n"


def _profile_head(summary: str, limit: int = 50) -> list[str]:
    """The top of pyinstrument's call tree (the lines that say where the time goes)."""
    tree = [line for line in summary.splitlines() if line.strip()]
    start = next((i for i, line in enumerate(tree) if line.lstrip()[:1].isdigit()), 0)
    return tree[start:start + limit]


def _batch_rows(results: dict) -> list[str]:
    rows = []
    settle = results.get("settlement", {})
    if settle.get("skipped"):
        rows.append(f"| settling claims into fee notices | skipped: {settle['skipped']} | < 10 s |")
    elif settle:
        ok = settle["seconds"] < TARGETS["settle_seconds_max"]
        rows.append(f"| settling {settle['claims_settled']:,} verified claims into {settle['notices']} notices "
                    f"(issue {settle['issue_seconds']} s + confirm {settle['confirm_seconds']} s) | "
                    f"{settle['seconds']} s, peak RSS {settle['peak_rss_mb']} MB | < 10 s {_mark(ok)} |")
    deadlines = results.get("deadlines", {})
    if deadlines.get("skipped"):
        rows.append(f"| deadline worker | skipped: {deadlines['skipped']} | — |")
    elif deadlines:
        rows.append(f"| deadline worker, {deadlines['open_clocks']:,} open clocks, none due | "
                    f"{deadlines['idle_pass_seconds']} s | figure only |")
        rows.append(f"| deadline worker, {deadlines['breaches']:,} of them breached | {deadlines['seconds']} s "
                    f"({deadlines['per_breach_ms']} ms each), peak RSS {deadlines['peak_rss_mb']} MB | figure only |")
    rss = results.get("worker_rss_mb")
    if rss:
        ok = rss < TARGETS["worker_rss_mb_max"]
        rows.append(f"| gunicorn worker RSS after the load | {rss} MB | < 150 MB {_mark(ok)} |")
    seed = results.get("seed", {})
    if seed:
        rows.append(f"| seeding through the services | {seed['seconds']} s for {seed['counts'].get('timeline_events', 0):,}"
                    f" timeline events | figure only |")
    return rows


def write(results: dict, results_dir: Path, append: bool) -> str:
    """Write results.json (the runs, newest last) and RESULTS.md; return this run's table."""
    json_path = results_dir / "results.json"
    runs = []
    if append and json_path.exists():
        previous = json.loads(json_path.read_text())
        runs = previous.get("runs", [])
    runs.append(results)
    json_path.write_text(json.dumps({"targets": TARGETS, "runs": runs}, indent=2, ensure_ascii=False) + "\n")
    render_markdown(results_dir)
    return markdown(results)


def render_markdown(results_dir: Path) -> None:
    """(Re)write RESULTS.md from results.json, every run in it."""
    runs = json.loads((results_dir / "results.json").read_text())["runs"]
    header = ("# Benchmark results\n\nWritten by `make bench` (`python -m bench`); see `bench/README.md`. "
              "Targets (issue 7) are shown, never enforced: every page ≥ 0.6 × the baseline's req/s; SQL "
              "statements per page constant in the number of rows and ≤ 8; p99 < 50 ms for the case page, "
              "the filtered list and the serial lookup at 1,000,000 cases on PostgreSQL; settling 10,000 "
              "claims < 10 s; a worker's memory < 150 MB.\n\n")
    body = "\n".join(markdown(run) for run in runs)
    (results_dir / "RESULTS.md").write_text(header + body)
