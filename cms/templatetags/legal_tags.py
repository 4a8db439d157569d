"""The footer's links to the legal pages (`cms.legal`)."""

from django import template

from cms.legal import legal_links as cached_legal_links

register = template.Library()


@register.simple_tag(takes_context=True)
def legal_links(context) -> list:
    return cached_legal_links(context.get("request"))
