from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Actor
from tests.reader.builders import ReaderTestCase


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
            [c.quote for c in response.context["actor_page"].unlinked_claims], ["Its chief spokesman said"]
        )
        self.assertContains(response, "Other claims")

    def test_it_shows_aliases_and_affiliated_speakers(self):
        spokesman = Actor.objects.create(name="Foreign Office spokesperson", affiliation=self.pakistan)
        self.publish_claim(self.source, "Its chief spokesman said", spokesman)

        response = self.get(self.url)

        self.assertContains(response, "Also known as Islamabad")
        self.assertContains(response, f'<a href="{spokesman.get_absolute_url()}">Foreign Office spokesperson</a>')

    def test_it_is_404_for_an_actor_without_public_claims(self):
        nobody = Actor.objects.create(name="Nobody")

        self.assertEqual(self.get(nobody.get_absolute_url()).status_code, 404)
        self.assertEqual(self.get(reverse("claims:actor", args=["no-such-actor"])).status_code, 404)

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
        speaker = Actor.objects.create(name="Prolific speaker")
        small = self.contradiction_with(1, statement="Small")
        url = small.stances.get(side="supports").claim.claimant.get_absolute_url()
        with self.assertNumQueries(5):  # actor, claims, their stances, opponents, members
            self.get(url)
        large = self.contradiction_with(6, statement="Large")
        for stance in large.stances.filter(side="supports"):
            claim = stance.claim
            claim.claimant = speaker
            claim.save()
        url = speaker.get_absolute_url()
        with self.assertNumQueries(5):
            response = self.get(url)
        self.assertEqual(len(response.context["actor_page"].positions[0].stances), 6)
        self.assertEqual(len(response.context["actor_page"].positions[0].opponents), 6)

    def test_a_logged_in_reader_gets_the_claims_from_the_fragment_cache(self):
        self.client.force_login(self.analyst)
        with CaptureQueriesContext(connection) as first:
            self.client.get(self.url)
        with CaptureQueriesContext(connection) as second:
            response = self.client.get(self.url)

        self.assertEqual(len(first) - len(second), 4)  # claims, their stances, opponents, members
        self.assertContains(response, "the Taliban is providing shelter for TTP members")

    def test_a_newly_approved_claim_shows_at_once_to_a_logged_in_reader(self):
        self.client.force_login(self.analyst)
        self.client.get(self.url)

        with self.captureOnCommitCallbacks(execute=True):
            self.publish_claim(self.source, "Its chief spokesman said", self.pakistan)

        self.assertContains(self.client.get(self.url), "Its chief spokesman said")
