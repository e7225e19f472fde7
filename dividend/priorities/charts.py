"""Server-side charts as inline SVG (matplotlib, Agg, no pyplot state): no JavaScript, no CDN.

The pages' Content Security Policy allows no inline styles, so matplotlib's `style="..."`
attributes become SVG presentation attributes and its `<style>` block is dropped (its two defaults
move to inherited attributes on the root element).
"""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure  # noqa: E402

# text.parse_math off: labels are user text (model files, datasets); "$x^$" would otherwise be parsed as
# mathtext and fail, and "$...$" would render as formulas.
matplotlib.rcParams.update({"text.parse_math": False, "svg.fonttype": "none", "svg.hashsalt": "dividend",
                            "font.size": 9, "font.family": "sans-serif"})

BLUE, ORANGE, GREY, RED = "#1f5f99", "#d9822b", "#8a8a8a", "#b03a2e"


def _svg(fig: Figure, title: str) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = without_inline_styles(svg)
    return svg.replace("<svg ", f'<svg role="img" aria-label="{_escape(title)}" class="chart" ', 1)


_STYLE_ATTRIBUTE = re.compile(r' style="([^"]*)"')
_STYLE_BLOCK = re.compile(r"\s*<style[^>]*>.*?</style>", re.S)
# What matplotlib's <style> block set for every element (`*{stroke-linejoin: round; stroke-linecap:
# butt}`): both properties inherit, so root attributes give the same default and let an element's
# own attribute win, as its style attribute did.
ROOT_DEFAULTS = ' stroke-linejoin="round" stroke-linecap="butt"'


def without_inline_styles(svg: str) -> str:
    """The SVG with each `style="a: b; c: d"` written as attributes `a="b" c="d"` (every property
    matplotlib writes is an SVG presentation attribute) and without `<style>` elements."""
    def attributes(match: re.Match) -> str:
        pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
        return "".join(f' {name.strip()}="{value.strip()}"' for name, value in pairs)

    svg = _STYLE_BLOCK.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(attributes, svg)
    return svg.replace("<svg ", "<svg" + ROOT_DEFAULTS + " ", 1)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def contribution_bars(items: list[tuple[str, float]], *, title: str, xlabel: str = "contribution to the score"
                      ) -> str:
    """Horizontal bars, one per (label, value), top to bottom in the given order."""
    height = 0.9 + 0.28 * max(len(items), 1)
    fig = Figure(figsize=(7.5, height))
    ax = fig.subplots()
    labels = [label for label, _ in items][::-1]
    values = [value for _, value in items][::-1]
    ax.barh(range(len(values)), values, color=[BLUE if v >= 0 else RED for v in values], height=0.7)
    ax.set_yticks(range(len(values)), labels)
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    ax.axvline(0, color=GREY, linewidth=0.8)
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)
    return _svg(fig, title)


def rank_slopes(rows: list[tuple[str, int, int]], *, title: str, left: str, right: str) -> str:
    """Slope chart of ranks in two runs: one line per (label, rank_a, rank_b); rank 1 at the top."""
    fig = Figure(figsize=(6.5, 0.9 + 0.22 * max(len(rows), 1)))
    ax = fig.subplots()
    for label, a, b in rows:
        color = BLUE if b < a else (ORANGE if b > a else GREY)
        ax.plot([0, 1], [a, b], color=color, marker="o", markersize=3, linewidth=1.2)
        ax.text(-0.03, a, f"{label} {a}", ha="right", va="center", fontsize=8)
        ax.text(1.03, b, f"{b} {label}", ha="left", va="center", fontsize=8)
    ax.invert_yaxis()
    ax.set_xlim(-0.6, 1.6)
    ax.set_xticks([0, 1], [left, right])
    ax.set_yticks([])
    ax.set_title(title, loc="left")
    for spine in ("top", "right", "left"):
        ax.spines[spine].set_visible(False)
    return _svg(fig, title)


def rank_intervals(rows: list[dict], *, title: str,
                   xlabel: str = "rank (orange: nominal, black: median, bar: 5th to 95th percentile of draws)") -> str:
    """Interval plot: per country (best first) the 5-95 % rank interval, the median and the nominal rank."""
    fig = Figure(figsize=(7.5, 0.9 + 0.2 * max(len(rows), 1)))
    ax = fig.subplots()
    ys = range(len(rows))
    for y, row in zip(ys, rows, strict=True):
        ax.plot([row["p05_rank"], row["p95_rank"]], [y, y], color=BLUE, linewidth=2, solid_capstyle="butt")
        ax.plot(row["median_rank"], y, marker="|", color="black", markersize=9)
        ax.plot(row["rank"], y, marker="o", color=ORANGE, markersize=4)
    ax.set_yticks(list(ys), [f"{r['rank']}. {r['name']}" for r in rows])
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    ax.xaxis.set_ticks_position("top")
    ax.xaxis.set_label_position("top")
    for spine in ("bottom", "right"):
        ax.spines[spine].set_visible(False)
    return _svg(fig, title)
