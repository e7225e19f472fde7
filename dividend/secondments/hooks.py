"""Pages of higher apps about one secondment, listed on the secondment's own page.

The secondments app sits below preparation, care and careers (docs/architecture.md), so it cannot
link to their pages by name; each registers its page from its AppConfig.ready():

    register_secondment_page(label, url_name, allowed)

`allowed(user, secondment)` is that app's own access predicate; the page is listed only when it
answers yes, and `url_name` is reversed with the secondment's pk.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class SecondmentPage:
    label: str  # a lazy translation
    url_name: str
    allowed: Callable


_PAGES: dict[str, SecondmentPage] = {}


def register_secondment_page(label, url_name: str, allowed: Callable) -> None:
    _PAGES[url_name] = SecondmentPage(label, url_name, allowed)


def secondment_pages(user, secondment) -> list[tuple[str, str]]:
    """(label, url) of the registered pages this user may open for this secondment, in registration order."""
    return [(str(page.label), reverse(page.url_name, args=[secondment.pk]))
            for page in _PAGES.values() if page.allowed(user, secondment)]
