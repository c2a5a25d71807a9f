"""Bar charts drawn on the server as inline SVG (no JavaScript, printable)."""
from __future__ import annotations

from decimal import Decimal

from markupsafe import Markup, escape

WIDTH, HEIGHT, MARGIN = 640, 220, 30


def bar_chart(values: dict[str, Decimal], title: str) -> Markup:
    """One bar per key (a month), labelled with its value; ``title`` is the accessible name."""
    keys = list(values)
    peak = max((Decimal(v) for v in values.values()), default=Decimal("0")) or Decimal("1")
    slot = (WIDTH - 2 * MARGIN) / max(len(keys), 1)
    plot = HEIGHT - 2 * MARGIN
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<line x1="{MARGIN}" y1="{HEIGHT - MARGIN}" x2="{WIDTH - MARGIN}" y2="{HEIGHT - MARGIN}" '
             f'stroke="#888"/>']
    for index, key in enumerate(keys):
        value = Decimal(values[key])
        height = float(value / peak) * plot
        x = MARGIN + index * slot + slot * 0.15
        y = HEIGHT - MARGIN - height
        parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{height:.1f}" '
                     f'fill="#2f6db5"><title>{escape(key)}: {value.normalize():f}</title></rect>')
        parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{HEIGHT - MARGIN + 14}" font-size="10" '
                     f'text-anchor="middle">{escape(key[5:])}</text>')
        if value:
            parts.append(f'<text x="{x + slot * 0.35:.1f}" y="{y - 3:.1f}" font-size="10" '
                         f'text-anchor="middle">{value.normalize():f}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
