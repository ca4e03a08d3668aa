"""The Atom feed of newly published contradictions and claims (``/feed/``)."""

import re

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.text import Truncator

from claims.models import Claim, Proposition

FEED_LENGTH = 30
# Control characters XML 1.0 cannot carry (a quote may hold them): left out of the feed.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("", text)


class LatestPublicFeed(Feed):
    feed_type = Atom1Feed
    title = "Claim Tracker: new contradictions and claims"
    subtitle = (
        "Contradictions as they appear and claims as reviewers approve them, each quoted exactly from its source."
    )

    def link(self):
        return reverse("claims:home")

    def items(self):
        contradictions = Proposition.objects.contradictions()[:FEED_LENGTH]
        claims = (
            Claim.objects.public()
            .filter(first_approved_at__isnull=False)
            .select_related("claimant", "reported_by", "source")
            .defer("source__text")
            .order_by("-first_approved_at", "-pk")[:FEED_LENGTH]
        )
        items = [*contradictions, *claims]
        items.sort(key=self.item_pubdate, reverse=True)
        return items[:FEED_LENGTH]

    def item_title(self, item):
        if isinstance(item, Proposition):
            return _xml_text(f"Contradiction: {item.statement}")
        return _xml_text(f"{item.claimant.name}: “{Truncator(item.quote).words(20)}”")

    def item_description(self, item):
        # Atom summaries are sent as type="html": the plain text is escaped so readers show it as text.
        return escape(_xml_text(self._description(item)))

    def _description(self, item) -> str:
        if isinstance(item, Proposition):
            return f"{item.supports_count} claim(s) support and {item.disputes_count} dispute “{item.statement}”" + (
                f"; {item.qualifies_count} qualify it." if item.qualifies_count else "."
            )
        reported = f", as reported by {item.reported_by.name}" if item.reported_by_id else ""
        return f"{item.paraphrase} — {item.claimant.name}{reported}, in “{item.source.title}”."

    def item_pubdate(self, item):
        if isinstance(item, Proposition):
            return item.became_contradiction_at
        return item.first_approved_at

    def item_updateddate(self, item):
        return item.reviewed_at or self.item_pubdate(item)
