"""``--profile PAGE``: pyinstrument on one page, in-process, on the seeded database."""
from __future__ import annotations

from pathlib import Path

from bench.queries import logged_in_client

PROFILED_REQUESTS = 200


def profile_page(app, page, out_dir: Path) -> dict:
    """Open ``page`` repeatedly under pyinstrument; write the HTML report and a text summary."""
    from pyinstrument import Profiler

    client = logged_in_client(app, page.many.username)
    client.get(page.many.path)  # warm caches and templates outside the profile
    profiler = Profiler(interval=0.0005)
    profiler.start()
    for _ in range(PROFILED_REQUESTS):
        client.get(page.many.path)
    profiler.stop()
    html_path = out_dir / f"profile-{page.name}.html"
    text_path = out_dir / f"profile-{page.name}.txt"
    html_path.write_text(profiler.output_html())
    summary = profiler.output_text(unicode=True, color=False, show_all=False)
    text_path.write_text(summary)
    return {"page": page.name, "requests": PROFILED_REQUESTS, "html": str(html_path), "text": str(text_path),
            "summary": summary}
