import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Actor
from reader.public import ACTOR_CLAIMS_PER_PAGE
from sources.dates import DatePrecision
from tests.base import make_source
from tests.reader.builders import ReaderTestCase, numbered_quote, numbered_text


class ActorPageTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.url = self.pakistan.get_absolute_url()

    def test_it_groups_what_the_actor_asserted_by_proposition_with_the_stance(self):
        response = self.get(self.url)

        [position] = response.context["actor_page"].positions
        self.assertEqual(position.proposition, self.proposition)
        self.assertEqual([s.side for s in position.stances], ["supports"])
        self.assertContains(response, "the Taliban is providing shelter for TTP members")

    def test_it_shows_who_contradicts_the_actor_and_where(self):
        response = self.get(self.url)

        self.assertEqual(response.context["actor_page"].contradicted_by, [self.taliban])
        self.assertContains(response, "Contradicted by")
        self.assertContains(response, "they do not provide support to TTP’s operations")

    def test_claims_on_no_proposition_are_listed_apart(self):
        self.publish_claim(self.source, "Its chief spokesman said", self.pakistan)

        response = self.get(self.url)

        self.assertEqual(
            [c.quote for c in response.context["actor_page"].page.unlinked_claims], ["Its chief spokesman said"]
        )
        self.assertContains(response, "Other claims")

    def test_it_shows_aliases_and_affiliated_speakers(self):
        spokesman = Actor.objects.create(
            state="approved", name="Foreign Office spokesperson", affiliation=self.pakistan
        )
        self.publish_claim(self.source, "Its chief spokesman said", spokesman)

        response = self.get(self.url)

        self.assertContains(response, "Also known as <bdi>Islamabad</bdi>")
        self.assertContains(
            response, f'<a href="{spokesman.get_absolute_url()}"><bdi>Foreign Office spokesperson</bdi></a>'
        )

    def test_it_is_404_for_an_actor_without_public_claims(self):
        nobody = Actor.objects.create(state="approved", name="Nobody")

        self.assertEqual(self.get(nobody.get_absolute_url()).status_code, 404)
        self.assertEqual(self.get(reverse("reader:actor", args=["no-such-actor"])).status_code, 404)

    def test_it_is_404_for_an_actor_whose_claims_are_all_unreviewed(self):
        claims = self.unpublished_claims(self.proposition)

        for claim in claims.values():
            self.assertEqual(self.get(claim.claimant.get_absolute_url()).status_code, 404)

    def test_it_never_shows_the_actors_unapproved_claims(self):
        claim = self.publish_claim(self.source, "Its chief spokesman said", self.pakistan)
        claim.return_to_draft(self.reviewer, reason="Check the attribution")

        response = self.get(self.url)

        self.assertNotContains(response, "Its chief spokesman said")

    def test_query_count_does_not_grow_with_the_number_of_claims(self):
        speaker = Actor.objects.create(state="approved", name="Prolific speaker")
        small = self.contradiction_with(1, statement="Small")
        url = small.stances.get(side="supports").claim.claimant.get_absolute_url()
        # actor; its claims' ids, their stances, propositions, opponents' names; members; the page's claims, their
        # translations, and opponents
        with self.assertNumQueries(9):
            self.get(url)
        large = self.contradiction_with(6, statement="Large")
        for stance in large.stances.filter(side="supports"):
            claim = stance.claim
            claim.claimant = speaker
            claim.save()
        url = speaker.get_absolute_url()
        with self.assertNumQueries(9):
            response = self.get(url)
        self.assertEqual(len(response.context["actor_page"].positions[0].stances), 6)
        self.assertEqual(len(response.context["actor_page"].positions[0].opponents), 6)

    def test_a_logged_in_reader_gets_the_page_from_the_cache(self):
        self.client.force_login(self.analyst)
        self.client.get(self.url)
        with CaptureQueriesContext(connection) as second:
            response = self.client.get(self.url)

        # The reader and their roles come from the cache too (claims.roles.CachedAccountBackend).
        self.assertEqual(len(second), 0, [query["sql"][:80] for query in second])
        self.assertContains(response, "the Taliban is providing shelter for TTP members")

    def test_a_newly_approved_claim_shows_at_once_to_a_logged_in_reader(self):
        self.client.force_login(self.analyst)
        self.client.get(self.url)

        with self.captureOnCommitCallbacks(execute=True):
            self.publish_claim(self.source, "Its chief spokesman said", self.pakistan)

        self.assertContains(self.client.get(self.url), "Its chief spokesman said")


class ActorPaginationTest(ReaderTestCase):
    """A prolific actor's claims come a page at a time, still grouped by proposition, contradicted positions first."""

    def setUp(self):
        super().setUp()
        self.speaker = Actor.objects.create(state="approved", name="Prolific speaker")
        self.opponent = Actor.objects.create(state="approved", name="Lone opponent")
        total = ACTOR_CLAIMS_PER_PAGE + 10
        source = make_source(text=numbered_text(total + 3), title="Long speech")
        self.contested = self.publish_proposition("Contested point.")
        self.quiet = self.publish_proposition("A point nobody disputes.")
        for n in range(1, total + 1):
            proposition = self.contested if n <= ACTOR_CLAIMS_PER_PAGE - 5 else self.quiet
            self.publish_claim(
                source, numbered_quote(n), self.speaker, proposition, "supports",
                asserted_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n), asserted_precision=DatePrecision.DAY,
            )  # fmt: skip
        self.publish_claim(source, numbered_quote(total + 1), self.opponent, self.contested, "disputes")
        self.publish_claim(source, numbered_quote(total + 2), self.speaker)  # on no proposition
        self.url = self.speaker.get_absolute_url()

    def test_the_first_page_holds_a_pageful_of_claims_grouped_by_proposition(self):
        response = self.get(self.url)

        parts = response.context["actor_page"].page.parts
        self.assertEqual([part.position.proposition for part in parts], [self.contested, self.quiet])
        self.assertEqual(sum(len(part.stances) for part in parts), ACTOR_CLAIMS_PER_PAGE)
        self.assertContains(response, f"Claims 1–{ACTOR_CLAIMS_PER_PAGE} of {ACTOR_CLAIMS_PER_PAGE + 11}")
        self.assertContains(response, '<a rel="next" href="?page=2">')
        self.assertContains(response, "Contradicted by")

    def test_a_position_that_goes_on_says_so_and_continues_on_the_next_page(self):
        first = self.get(self.url)
        second = self.get(self.url, query_params={"page": 2})

        self.assertContains(first, "continue on the <a")
        self.assertContains(
            second, 'A point nobody disputes.</bdi></a> <span class="position__continued">(continued)</span>'
        )
        self.assertContains(second, "Other claims")
        self.assertContains(second, numbered_quote(ACTOR_CLAIMS_PER_PAGE + 12 - 10))

    def test_the_page_number_is_in_the_title(self):
        response = self.get(self.url, query_params={"page": 2})

        self.assertContains(
            response, "<title>Prolific speaker: claims and contradictions (page 2) — Claim Tracker</title>"
        )

    def test_who_contradicts_the_actor_shows_on_every_page(self):
        response = self.get(self.url, query_params={"page": 2})

        self.assertContains(
            response, f'Contradicted by <a href="{self.opponent.get_absolute_url()}"><bdi>Lone opponent</bdi></a>.'
        )

    def test_a_page_past_the_end_shows_the_last_and_a_malformed_one_the_first(self):
        self.assertEqual(self.get(self.url, query_params={"page": 99}).context["actor_page"].page.number, 2)
        self.assertEqual(self.get(self.url, query_params={"page": "two"}).context["actor_page"].page.number, 1)

    def test_every_page_runs_the_same_queries(self):
        with CaptureQueriesContext(connection) as first:
            self.get(self.url)
        with CaptureQueriesContext(connection) as second:
            self.get(self.url, query_params={"page": 2})

        self.assertEqual(len(first), len(second))

    def test_a_logged_in_reader_gets_each_page_from_its_own_fragment(self):
        self.client.force_login(self.analyst)
        self.client.get(self.url)

        response = self.client.get(self.url, query_params={"page": 2})

        self.assertContains(response, "(continued)")
        self.assertContains(response, "Log out alice")
