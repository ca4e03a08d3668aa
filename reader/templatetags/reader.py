"""Small template helpers for the public pages and the shared base template."""

import json

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from claims.roles import is_analyst, is_reviewer
from reader.caching import account_slot_mark
from reader.timeline import SIDE_SYMBOLS
from sources.dates import iso_partial_date

register = template.Library()

# As django.utils.html.json_script: nothing in the data can close the element.
_JSON_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def can_use_desk(user) -> bool:
    return is_analyst(user)


@register.filter
def may_review(user) -> bool:
    return is_reviewer(user)


@register.filter
def side_symbol(side: str) -> str:
    return SIDE_SYMBOLS.get(str(side), "")


@register.filter
def ld_json(data) -> SafeString:
    """A schema.org JSON-LD data block. It is not executed, so CSP does not apply to it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_JSON_ESCAPES)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))  # noqa: S308


@register.filter
def asserted_iso(claim) -> str:
    """The claim's asserted date for <time datetime>: "2022", "2022-12", "2022-12-21" or ""."""
    return iso_partial_date(claim.asserted_on, claim.asserted_precision)


@register.filter
def published_iso(source) -> str:
    return iso_partial_date(source.published_on, source.published_precision)


@register.filter
def iso_datetime(value) -> str:
    """``value`` for <time datetime>, to the second: HTML allows at most three digits of a second's fraction."""
    return value.isoformat(timespec="seconds") if value else ""


@register.simple_tag(takes_context=True)
def account_slot(context, edge: str) -> str:
    """Where the account links start or end, marked in a page rendered for the page cache only (see reader.caching)."""
    request = context.get("request")
    return mark_safe(account_slot_mark(request, edge)) if request is not None else ""  # noqa: S308 (a comment of hex digits)
