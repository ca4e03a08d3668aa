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


# Whether each view (by its resolver name) is served under the language prefixes: the URLconf decides it
# once and for all, so it is worked out once per process.
_TRANSLATED_VIEWS: dict[str, bool] = {}


def _translated(request, current: str) -> bool:
    name = request.resolver_match.view_name
    if name not in _TRANSLATED_VIEWS:
        other = next(code for code, _ in settings.LANGUAGES if code != current)
        _TRANSLATED_VIEWS[name] = translate_url(request.path_info, other) != request.path_info
    return _TRANSLATED_VIEWS[name]


def _in_language(path: str, current: str, code: str) -> str:
    """``path`` (of the page in ``current``) in the language ``code``: the prefix swapped, English unprefixed.

    No address pattern is translated, only prefixed (config/urls.py), so this is what ``translate_url`` gives.
    """
    if current != settings.LANGUAGE_CODE and path.startswith(f"/{current}/"):
        path = path[len(current) + 1 :]
    return path if code == settings.LANGUAGE_CODE else f"/{code}{path}"


@register.simple_tag(takes_context=True)
def language_links(context) -> list[LanguageLink]:
    """This page in every language of settings.LANGUAGES, the current one marked.

    A page outside the translated addresses (the admin, an unknown address) has
    the same address in every language, so it gets no links: an empty list.
    """
    request = context.get("request")
    if request is None or getattr(request, "resolver_match", None) is None:
        return []
    current = get_language()
    if not _translated(request, current):
        return []
    path = request.get_full_path()
    links = []
    for code, name in settings.LANGUAGES:
        address = _in_language(path, current, code)
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
    return links
