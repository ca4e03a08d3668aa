"""Records for the reader tests: published (approved) claims on propositions, and work still in review."""

import datetime

from django.core.cache import cache

from claims.models import Actor, Claim, Proposition, ReviewState, Stance
from sources.dates import DatePrecision
from tests.base import BaseTestCase, approve, make_claim, make_source


def numbered_text(count: int) -> str:
    """A source text with ``count`` paragraphs, each holding one quotable sentence."""
    return "\n\n".join(
        f"Paragraph {n}. The speaker said that point number {n} is settled." for n in range(1, count + 1)
    )


def numbered_quote(n: int) -> str:
    return f"point number {n} is settled"


class ReaderTestCase(BaseTestCase):
    """BaseTestCase plus builders for what readers see, and a cache emptied before each test."""

    def setUp(self):
        super().setUp()
        cache.clear()

    def get(self, url, **extra):
        """GET as an anonymous reader, bypassing pages cached earlier in the test."""
        cache.clear()
        return self.client.get(url, **extra)

    def publish_proposition(self, statement: str, **fields) -> Proposition:
        return approve(
            Proposition.objects.create(statement=statement, created_by=self.analyst, **fields), self.reviewer
        )

    def publish_claim(self, source, quote, claimant, proposition=None, side="supports", **fields) -> Claim:
        """An approved claim, with an approved stance on ``proposition`` if one is given."""
        claim = approve(make_claim(source, quote, claimant, self.analyst, **fields), self.reviewer)
        if proposition is not None:
            self.publish_stance(claim, proposition, side)
        return claim

    def publish_stance(self, claim, proposition, side, **fields) -> Stance:
        stance = Stance.objects.create(
            claim=claim, proposition=proposition, side=side, created_by=self.analyst, **fields
        )
        return approve(stance, self.reviewer)

    def contradiction_with(self, claims_per_side: int, *, statement="Point numbers are settled.") -> Proposition:
        """A contradiction with ``claims_per_side`` approved claims on each side, from one source."""
        source = make_source(text=numbered_text(2 * claims_per_side), title=f"Numbered text {claims_per_side}")
        proposition = self.publish_proposition(statement)
        for n in range(1, 2 * claims_per_side + 1):
            claimant = Actor.objects.create(state="approved", name=f"Speaker {claims_per_side}-{n}")
            side = "supports" if n % 2 else "disputes"
            self.publish_claim(
                source,
                numbered_quote(n),
                claimant,
                proposition,
                side,
                asserted_on=datetime.date(2022, 1 + n % 12, 1),
                asserted_precision=DatePrecision.MONTH,
            )
        proposition.refresh_from_db()
        return proposition

    def unpublished_claims(self, proposition, source=None):
        """One claim (with a stance on ``proposition``) in each state readers must never see.

        Returns {state: claim}; each quote contains the word "SECRET" and the state.
        """
        source = source or make_source(
            text="Draft words SECRET-draft here.\n\nPending words SECRET-pending here.\n\nRejected words SECRET-rejected here.",
            title="Unreviewed source",
            state="draft",
            created_by=self.analyst,
        )
        claims = {}
        for state in (ReviewState.DRAFT, ReviewState.PENDING, ReviewState.REJECTED):
            claimant = Actor.objects.create(name=f"Hidden {state} actor", created_by=self.analyst)
            claim = make_claim(source, f"words SECRET-{state} here", claimant, self.analyst)
            stance = Stance.objects.create(
                claim=claim, proposition=proposition, side="disputes", created_by=self.analyst
            )
            if state != ReviewState.DRAFT:
                claim.submit(self.analyst)
                stance.submit(self.analyst)
            if state == ReviewState.REJECTED:
                claim.reject(self.reviewer, reason="Not in the source's words.")
            claims[state] = claim
        return claims
