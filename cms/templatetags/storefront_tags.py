"""Presentation helpers of the storefront's market pages."""

import re

from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

_FIRST_BLOCK = re.compile(r"^\s*(<(p|h[2-6])\b.*?</\2>)(.*)$", re.S | re.I)


@register.filter
def lead_and_rest(html: str) -> tuple[SafeString, SafeString]:
    """The rendered rich text split after its first block, so a phone shows one paragraph
    and folds the rest. Splitting only at a closing tag of a top-level block keeps both
    halves well-formed: paragraphs and headings never nest (a list, which may, is not split)."""
    # The input is rich text already rendered (and sanitised) by Wagtail's `richtext`;
    # cutting it between two top-level blocks adds nothing to escape.
    match = _FIRST_BLOCK.match(str(html))
    if not match:
        return mark_safe(html), mark_safe("")  # noqa: S308
    return mark_safe(match.group(1)), mark_safe(match.group(3).strip())  # noqa: S308
