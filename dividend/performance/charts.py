"""The border-management progress chart: per area the baseline and the latest rating, as inline SVG
drawn by matplotlib on the server (no JavaScript, no CDN; no inline styles, as the priorities'
charts: `priorities.charts.without_inline_styles`). The page shows the same numbers in a table."""

import io

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

from dividend.priorities.charts import without_inline_styles  # noqa: E402

from .models import RATING_MAX  # noqa: E402

GREY, BLUE = "#8a8a8a", "#1f5f99"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")


def progress_chart(areas, *, title: str, baseline_label: str, latest_label: str) -> str:
    """Horizontal bars per area (top to bottom in the concept's order): the baseline rating and the
    latest later rating (none drawn where no later assessment revisited the area)."""
    fig = Figure(figsize=(7.5, 0.9 + 0.42 * max(len(areas), 1)))
    ax = fig.subplots()
    ys = list(range(len(areas)))[::-1]
    height = 0.38
    ax.barh([y + height / 2 for y in ys], [a.baseline or 0 for a in areas], height=height, color=GREY,
            label=baseline_label)
    latest = [(y, a.latest) for y, a in zip(ys, areas, strict=True) if a.latest is not None]
    ax.barh([y - height / 2 for y, _v in latest], [v for _y, v in latest], height=height, color=BLUE,
            label=latest_label)
    ax.set_yticks(ys, [a.label for a in areas])
    ax.set_xlim(0, RATING_MAX)
    ax.set_xticks(range(RATING_MAX + 1))
    ax.set_title(title, loc="left")
    ax.legend(loc="lower right", frameon=False)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = without_inline_styles(svg[svg.index("<svg"):])
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_escape(title)}" class="chart" ', 1)
