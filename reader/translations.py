"""Approved translations shown under the quotes readers see, and the translation language a reader prefers.

The original quote is always shown, and is what is anchored; an approved
translation is shown under it, never in its place. A reader may choose the
language whose translation is shown open and first (a cookie, no account);
without one, every translation is folded under "Translations (N)". Pages and
their fragments are kept per preference (``preference`` is part of their
keys), so one reader's choice never shows in another's page.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.views.decorators.http import require_safe

from claims.models import ReviewState
from claims.translations import Translation, TranslationLanguage

PREFERENCE_COOKIE = "translation_language"
PREFERENCE_MAX_AGE = 365 * 24 * 60 * 60


# The cookie's value for "no language first", chosen on purpose: no cookie means no choice yet.
NO_PREFERENCE = "none"
# The languages a translation may be in (read on every request for a public page: kept as a set).
TRANSLATION_LANGUAGES = frozenset(TranslationLanguage.values)


def preference(request) -> str:
    """The translation language shown first to this reader, or "" for none (every translation folded).

    Their choice if they made one; otherwise the language of the site they read
    (a reader of /ur/ sees the Urdu translations open), or none on the English
    site. An unknown cookie value counts as no choice.
    """
    value = request.COOKIES.get(PREFERENCE_COOKIE, "")
    if value == NO_PREFERENCE:
        return ""
    if value in TRANSLATION_LANGUAGES:
        return value
    site_language = get_language()
    return site_language if site_language != settings.LANGUAGE_CODE and site_language in TRANSLATION_LANGUAGES else ""


def attach_translations(claims) -> None:
    """Set ``public_translations`` on each of these public claims (approved ones, by language), in one query.

    The claims are public already, so their translations are looked up by claim
    id and state alone (index translation_claim_state_idx).
    """
    by_claim = {claim.pk: claim for claim in claims}
    for claim in by_claim.values():
        claim.public_translations = []
    if not by_claim:
        return
    found = Translation.objects.filter(claim__in=by_claim, state=ReviewState.APPROVED).order_by("language", "pk")
    for translation in found:
        claim = by_claim[translation.claim_id]
        translation.claim = claim  # its label names the claim's source's language: no query per translation
        claim.public_translations.append(translation)


def source_summaries(source) -> list[Translation]:
    """The approved translations of a public source's summary, by language."""
    summaries = list(Translation.objects.filter(source=source, state=ReviewState.APPROVED).order_by("language", "pk"))
    for summary in summaries:
        summary.source = source
    return summaries


@dataclass(frozen=True)
class ShownTranslations:
    """A quote's translations as shown: the preferred language's open, the others folded."""

    preferred: Translation | None
    folded: list[Translation]

    @property
    def count(self) -> int:
        return len(self.folded) + (self.preferred is not None)


def shown_translations(translations, preferred_language: str) -> ShownTranslations:
    translations = list(translations or [])
    preferred = next((t for t in translations if t.language == preferred_language), None)
    return ShownTranslations(preferred, [t for t in translations if t is not preferred])


def any_translated(claims) -> bool:
    return any(getattr(claim, "public_translations", None) for claim in claims)


def translation_context(request, claims, *, back: str) -> dict:
    """What a page's translations and its preference control need.

    ``claims`` is a callable giving the claims the page quotes (read only if the
    fragment holding them is rendered); ``back`` is the page's own address, where
    the control returns to.
    """
    return {
        "translation_language": preference(request),
        "translation_languages": TranslationLanguage.choices,
        "translated": SimpleLazyObject(lambda: any_translated(claims())),
        "preference_next": back,
    }


@require_safe
def choose_preference(request):
    """Remember the translation language chosen (a cookie for a year), then go back to the page it was chosen on.

    A GET form, so the pages that carry it hold no CSRF token and stay cacheable.
    "No language first" is remembered too (it overrides the site's language); an
    unknown language clears the choice; an address elsewhere goes home.
    """
    back = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        back = reverse("reader:home")
    response = HttpResponseRedirect(back)
    language = request.GET.get("language", "")
    if language == "":
        language = NO_PREFERENCE
    if language in TranslationLanguage.values or language == NO_PREFERENCE:
        response.set_cookie(
            PREFERENCE_COOKIE, language, max_age=PREFERENCE_MAX_AGE, samesite="Lax", secure=request.is_secure()
        )
    else:
        response.delete_cookie(PREFERENCE_COOKIE, samesite="Lax")
    return response
