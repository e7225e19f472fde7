"""The dashboard's and the report's charts: server-drawn SVG (matplotlib, Agg) without inline
styles (the pages' Content Security Policy), the same drawing on the page and in the PDF. The
SVG helpers are the priorities app's (`dividend.priorities.charts`).

Drawn charts are remembered, keyed on everything they show (labels, values and titles in the
reader's language) and on the drawing code: matplotlib takes 80-130 ms of CPU per chart, and the
dashboard's seven were 0.6 s of its 0.75 s at 2,000 demo officers, the same SVG each time the figures
had not changed (the SVG holds no date). Per process the last 128 (5-40 KB each); behind them the
"charts" cache (settings.CACHES: files shared by the server's workers, so that a chart one worker
drew is not drawn again by the others). A cache that cannot be read or written only costs the drawing.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path

import matplotlib
from django.core.cache import caches
from matplotlib.figure import Figure

from dividend.priorities.charts import BLUE, GREY, ORANGE, _svg

PALETTE = [BLUE, ORANGE, "#2e8b57", "#7b4fa0", GREY, "#b03a2e", "#4a90a4", "#a67c00"]


def _clean(ax):
    for spine in ("top", "right"):
        ax.spines[spine].set_visible(False)


REMEMBERED = 128
# Part of every shared key: a new version of the drawing code or of matplotlib draws anew.
DRAWING = hashlib.sha256(b"".join(
    [Path(__file__).read_bytes(), (Path(__file__).parent.parent / "priorities" / "charts.py").read_bytes(),
     matplotlib.__version__.encode()])).hexdigest()[:16]
logger = logging.getLogger(__name__)


def shared_key(kind: str, args: tuple) -> str:
    return f"{kind}-{DRAWING}-{hashlib.sha256(repr(args).encode()).hexdigest()}"


def _shared(kind: str, draw, *args) -> str:
    """The SVG another process drew already, else drawn here and kept for the others."""
    key = shared_key(kind, args)
    try:
        svg = caches["charts"].get(key)
    except Exception:  # noqa: BLE001 - an unreadable or corrupt cache file only costs the drawing
        logger.warning("chart cache unreadable", exc_info=True)
        svg = None
    if isinstance(svg, str):
        return svg
    svg = draw(*args)
    try:
        caches["charts"].set(key, svg)
    except Exception:  # noqa: BLE001 - a full or read-only disk only costs the next drawing
        logger.warning("chart cache not writable", exc_info=True)
    return svg


def lines(xlabels: list[str], series: list[tuple[str, list[float]]], *, title: str, ylabel: str) -> str:
    """One line per (name, values over xlabels), with a legend."""
    return _lines(tuple(map(str, xlabels)), tuple((str(name), tuple(values)) for name, values in series),
                  str(title), str(ylabel))


@functools.lru_cache(maxsize=REMEMBERED)
def _lines(xlabels: tuple, series: tuple, title: str, ylabel: str) -> str:
    return _shared("lines", _draw_lines, xlabels, series, title, ylabel)


def _draw_lines(xlabels: tuple, series: tuple, title: str, ylabel: str) -> str:
    fig = Figure(figsize=(7.5, 3.2))
    ax = fig.subplots()
    for n, (name, values) in enumerate(series):
        ax.plot(range(len(xlabels)), values, marker="o", markersize=3, linewidth=1.5,
                color=PALETTE[n % len(PALETTE)], label=name)
    step = max(1, len(xlabels) // 12)
    ax.set_xticks(list(range(0, len(xlabels), step)), xlabels[::step], rotation=45, ha="right")
    ax.set_ylabel(ylabel)
    ax.set_ylim(bottom=0)
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, loc="left")
    if series:
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    _clean(ax)
    return _svg(fig, title)


def bars(items: list[tuple[str, float]], *, title: str, xlabel: str) -> str:
    """Horizontal bars, top to bottom in the given order, each with its value written at its end."""
    return _bars(tuple((str(label), value) for label, value in items), str(title), str(xlabel))


@functools.lru_cache(maxsize=REMEMBERED)
def _bars(items: tuple, title: str, xlabel: str) -> str:
    return _shared("bars", _draw_bars, items, title, xlabel)


def _draw_bars(items: tuple, title: str, xlabel: str) -> str:
    fig = Figure(figsize=(7.5, 0.9 + 0.3 * max(len(items), 1)))
    ax = fig.subplots()
    labels = [label for label, _ in items][::-1]
    values = [value for _, value in items][::-1]
    ax.barh(range(len(values)), values, color=BLUE, height=0.7)
    for y, value in enumerate(values):
        ax.text(value, y, f" {value:g}", va="center", fontsize=8)
    ax.set_yticks(range(len(values)), labels)
    ax.set_xlabel(xlabel)
    ax.xaxis.get_major_locator().set_params(integer=True)
    ax.set_title(title, loc="left")
    _clean(ax)
    return _svg(fig, title)


def paired_bars(items: list[tuple[str, float, float]], *, title: str, xlabel: str, first: str, second: str) -> str:
    """Two horizontal bars per label (e.g. this period and a year earlier)."""
    return _paired_bars(tuple((str(label), a, b) for label, a, b in items), str(title), str(xlabel), str(first),
                        str(second))


@functools.lru_cache(maxsize=REMEMBERED)
def _paired_bars(items: tuple, title: str, xlabel: str, first: str, second: str) -> str:
    return _shared("paired_bars", _draw_paired_bars, items, title, xlabel, first, second)


def _draw_paired_bars(items: tuple, title: str, xlabel: str, first: str, second: str) -> str:
    fig = Figure(figsize=(7.5, 1.1 + 0.45 * max(len(items), 1)))
    ax = fig.subplots()
    items = items[::-1]
    ys = range(len(items))
    ax.barh([y + 0.2 for y in ys], [a for _, a, _ in items], height=0.38, color=BLUE, label=first)
    ax.barh([y - 0.2 for y in ys], [b for _, _, b in items], height=0.38, color=GREY, label=second)
    ax.set_yticks(list(ys), [label for label, _, _ in items])
    ax.set_xlabel(xlabel)
    ax.set_title(title, loc="left")
    ax.legend(frameon=False, fontsize=8)
    _clean(ax)
    return _svg(fig, title)
