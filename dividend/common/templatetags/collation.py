"""`{% load collation %}`: `items|in_reader_order` sorts objects by their displayed text (str) with
the collation rules of the active language (Österreich after Deutschland in German, before it
nowhere in English: Austria, Germany)."""

from django import template
from django.utils.translation import get_language

from dividend.common.collation import rules_for, sort_key

register = template.Library()


@register.filter
def in_reader_order(items):
    rules = rules_for(get_language())
    return sorted(items, key=lambda item: sort_key(str(item), rules))
