"""The language switcher and the hreflang alternates: the same page in each language the site speaks."""

from dataclasses import dataclass

from django import template
from django.conf import settings
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info

register = template.Library()


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in its own language
    address: str  # this page in that language: a path, with the query the page reads
    absolute: str  # the same with scheme and host, for <link rel="alternate">
    bidi: bool
    current: bool


@register.simple_tag(takes_context=True)
def language_links(context) -> list[LanguageLink]:
    """This page in every language of settings.LANGUAGES, the current one marked.

    A page outside the translated addresses (the admin, an unknown address) has
    the same address in every language, so it gets no links: an empty list.
    """
    request = context.get("request")
    if request is None or getattr(request, "resolver_match", None) is None:
        return []
    path, current = request.get_full_path(), get_language()
    links = []
    for code, name in settings.LANGUAGES:
        address = translate_url(path, code)
        links.append(
            LanguageLink(
                code=code,
                name=name,
                address=address,
                absolute=request.build_absolute_uri(address),
                bidi=get_language_info(code)["bidi"],
                current=code == current,
            )
        )
    if len({link.address for link in links}) < len(links):
        return []
    return links
