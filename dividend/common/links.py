"""Links to one object's page, built from its URL pattern reversed once per process.

A list page links every row to a record, a mission, a position: the secondments page reversed 250
URLs per page, and `reverse()` walks the resolver each time (about 25 µs each: 11% of the CPU of the
secondments, missions and positions pages, profiled 4 December). `object_url(name, pk)` reverses
the pattern once with a marker in place of the key and formats it after; anything the marker cannot
stand for (a key that is not a whole number, a pattern the marker does not fit) goes through
`reverse()` as before, so the link is the same either way.
"""

import functools

from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse

MARKER = 2**31 - 1


@functools.lru_cache(maxsize=1024)
def _around(name: str, prefix: str, urlconf) -> tuple[str, str] | None:
    """The text before and after the key in `name`'s URL, or None when the marker does not fit."""
    try:
        url = reverse(name, args=[MARKER], urlconf=urlconf)
    except NoReverseMatch:
        return None
    head, found, tail = url.partition(str(MARKER))
    return (head, tail) if found and str(MARKER) not in tail else None


def object_url(name: str, pk) -> str:
    """What `reverse(name, args=[pk])` gives."""
    if type(pk) is int and pk >= 0:  # not bool, not a string of digits
        around = _around(name, get_script_prefix(), get_urlconf())
        if around is not None:
            return f"{around[0]}{pk}{around[1]}"
    return reverse(name, args=[pk])
