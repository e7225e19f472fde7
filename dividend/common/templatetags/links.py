"""`{% load links %}`: `{% object_url 'roster:detail' officer.pk %}` is `{% url 'roster:detail' officer.pk %}`
for a page's rows, without walking the URL resolver per row (dividend.common.links)."""

from django import template

from dividend.common.links import object_url as _object_url

register = template.Library()


@register.simple_tag
def object_url(name, pk):
    return _object_url(name, pk)
