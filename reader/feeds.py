"""The Atom feed of newly published contradictions, claims and changes of position (``/feed/``)."""

import re
from datetime import datetime

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims.models import Claim, Proposition, Question
from reader.models import PositionChange
from reader.questions import disputed_facts
from reader.translations import attach_translations
from sources.dates import DatePrecision, format_partial_date

FEED_LENGTH = 30
SITE_NAME = "Claim Tracker"
# Control characters XML 1.0 cannot carry (a quote may hold them): left out of the feed.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# RFC 4151: a domain name or an e-mail address, then the date the tagger owned it.
_AUTHORITY = re.compile(r"^(?:[A-Za-z0-9._-]+@)?[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?$")
_TAG_DATE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


def tag_uri(specific: str) -> str:
    """A ``tag:`` URI (RFC 4151) for ``specific``, the same wherever the site is served.

    Feed readers key entries on their ids; an id made from the host would change
    (and every entry show again as new) when the site moves. The tagging entity
    comes from ``FEED_TAG_AUTHORITY`` and ``FEED_TAG_DATE``; once published,
    neither may change.
    """
    authority, date = settings.FEED_TAG_AUTHORITY, settings.FEED_TAG_DATE
    if not _AUTHORITY.match(authority) or not _TAG_DATE.match(date):
        raise ImproperlyConfigured(
            f"FEED_TAG_AUTHORITY must be a domain name or e-mail address ({authority!r}) and "
            f"FEED_TAG_DATE a date YYYY, YYYY-MM or YYYY-MM-DD ({date!r})."
        )
    return f"tag:{authority},{date}:{specific}"


class LatestPublicFeed(Feed):
    feed_type = Atom1Feed
    title = _("Claim Tracker: new contradictions and claims")
    subtitle = _(
        "Contradictions as they appear, claims as reviewers approve them, and actors who change position, "
        "each quoted exactly from its source."
    )
    # Every entry is the site's reviewed summary, written by no one person: the site is the author of
    # the feed, and so (RFC 4287 §4.1.1) of each entry. The claimant is what the entry is about.
    author_name = SITE_NAME

    def feed_guid(self):
        return tag_uri("feed")

    def link(self):
        return reverse("reader:home")

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["author_link"] = feed.feed["link"]  # the home page, as an absolute address
        return feed

    def items(self):
        contradictions = Proposition.objects.contradictions()[:FEED_LENGTH]
        claims = (
            Claim.objects.public()
            .filter(first_approved_at__isnull=False)
            .select_related("claimant", "reported_by", "source")
            .defer("source__text")
            .order_by("-first_approved_at", "-pk")[:FEED_LENGTH]
        )
        changes = PositionChange.objects.public().order_by("-found_at", "-pk")[:FEED_LENGTH]
        disputed = disputed_facts(limit=FEED_LENGTH)
        items = [*contradictions, *disputed, *claims, *changes]
        items.sort(key=self.item_pubdate, reverse=True)
        items = items[:FEED_LENGTH]
        _attach_translations(items)
        return items

    def item_title(self, item):
        if isinstance(item, Proposition):
            return _xml_text(f"Contradiction: {item.statement}")
        if isinstance(item, PositionChange):
            return _xml_text(f"Change of position: {item.actor.name} on “{item.proposition.statement}”")
        if isinstance(item, Question):
            return _xml_text(f"Disputed fact: {item.text}")
        return _xml_text(f"{item.claimant.name}: “{Truncator(item.quote).words(20)}”")

    def item_description(self, item):
        # Atom summaries are sent as type="html": the plain text is escaped so readers show it as text.
        return escape(_xml_text(self._description(item)))

    def _description(self, item) -> str:
        if isinstance(item, Proposition):
            return f"{item.supports_count} claim(s) support and {item.disputes_count} dispute “{item.statement}”" + (
                f"; {item.qualifies_count} qualify it." if item.qualifies_count else "."
            )
        if isinstance(item, PositionChange):
            return _change_description(item)
        if isinstance(item, Question):
            values = " · ".join(value for value, _ in item.values)
            return f"{item.answers_count} approved answers state values that cannot all be true: {values}."
        reported = f", as reported by {item.reported_by.name}" if item.reported_by_id else ""
        return f"{item.paraphrase} — {item.claimant.name}{reported}, in “{item.source.title}”.{_translations(item)}"

    def item_guid(self, item):
        if isinstance(item, Proposition):
            # The slug is the contradiction's permanent address: it never changes once made.
            return tag_uri(f"contradiction/{item.slug}")
        if isinstance(item, Question):
            return tag_uri(f"question/{item.slug}")
        if isinstance(item, PositionChange):
            # The two stances are the change: the same pair is the same entry, whenever it was found.
            return tag_uri(f"position-change/{item.earlier_id}-{item.later_id}")
        return tag_uri(f"claim/{item.pk}")

    def item_pubdate(self, item) -> datetime:
        """When the item became public; the latest known review time if that was not recorded."""
        if isinstance(item, PositionChange):
            return item.found_at
        contradiction = isinstance(item, Proposition | Question)
        published = item.became_contradiction_at if contradiction else item.first_approved_at
        # A contradiction whose moment went unrecorded still has an approval behind it.
        return published or item.first_approved_at or item.reviewed_at or item.created_at

    def item_updateddate(self, item) -> datetime:
        published = self.item_pubdate(item)
        if isinstance(item, PositionChange):
            return max([published, *(t for t in (item.earlier.reviewed_at, item.later.reviewed_at) if t)])
        return max(item.reviewed_at, published) if item.reviewed_at else published


_SIDE_VERBS = {"supports": "supported", "disputes": "disputed"}


def _said(stance) -> str:
    claim = stance.claim
    on = "on" if claim.asserted_precision == DatePrecision.DAY else "in"
    when = format_partial_date(claim.asserted_on, claim.asserted_precision)
    quoted = f"“{Truncator(claim.quote).words(40)}” ({claim.source.title}){_translations(claim)}"
    return f"{_SIDE_VERBS[stance.side]} it {on} {when}: {quoted}"


def _quoted_claims(items) -> list[Claim]:
    """The claims whose quotes the entries show: claims, and both claims of a change of position."""
    claims = []
    for item in items:
        if isinstance(item, Claim):
            claims.append(item)
        elif isinstance(item, PositionChange):
            claims += [item.earlier.claim, item.later.claim]
    return claims


def _attach_translations(items) -> None:
    """The approved translations of every quote the entries show, in one query (a claim may be in two entries)."""
    claims = _quoted_claims(items)
    unique = {claim.pk: claim for claim in claims}
    attach_translations(list(unique.values()))
    for claim in claims:
        claim.public_translations = unique[claim.pk].public_translations


def _translations(claim) -> str:
    """The quote's approved translations, each after its label: never in place of the quote."""
    return "".join(
        " "
        + gettext("%(label)s, into %(language)s by %(translator)s: “%(text)s”")
        % {
            "label": translation.label,
            "language": translation.get_language_display(),
            "translator": translation.translator,
            "text": translation.text,
        }
        for translation in getattr(claim, "public_translations", ())
    )


def _change_description(change: PositionChange) -> str:
    return f"{change.actor.name} {_said(change.earlier)}; and later {_said(change.later)}."
