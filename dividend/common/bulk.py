"""Helpers for bulk work in one request or command (imports of tens of thousands of rows)."""

import gc
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cyclic garbage collector for a bulk job; reference counting still frees what
    is no longer used. Why: an import builds hundreds of thousands of small objects (form data,
    model instances, audit entries) that stay alive until it ends, and each full collection walks
    all of them again: 20% of the CPU time of a 50,000-row import (33.6 s against 26.9 s, measured
    in one process, one after the other)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
