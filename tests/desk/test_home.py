from django.urls import reverse

from claims.models import Proposition, Side, Stance
from tests.base import approve, make_claim, make_source
from tests.desk.base import DeskTestCase


class DeskHomeTests(DeskTestCase):
    url = reverse("desk:home")

    def test_it_lists_my_drafts_with_links_to_work_on_them(self):
        self.login()
        response = self.client.get(self.url)
        drafts = response.context["drafts"]
        self.assertIn(self.claim, drafts)
        self.assertIn(self.proposition, drafts)
        self.assertIn(self.stance, drafts)
        self.assertContains(response, reverse("desk:claim_edit", args=[self.claim.pk]))
        self.assertContains(response, reverse("desk:board", args=[self.proposition.slug]))

    def test_it_lists_my_pending_items(self):
        self.claim.submit(self.analyst)
        self.login()
        response = self.client.get(self.url)
        self.assertEqual(response.context["pending"], [self.claim])
        self.assertNotIn(self.claim, response.context["drafts"])

    def test_it_shows_the_reviewers_reason_for_my_rejected_items(self):
        self.claim.submit(self.analyst)
        self.claim.reject(self.reviewer, reason="The claimant is the outlet, not the government.")
        self.login()
        response = self.client.get(self.url)
        self.assertEqual(response.context["rejected"], [self.claim])
        self.assertContains(response, "The claimant is the outlet, not the government.")

    def test_it_does_not_list_other_analysts_drafts_as_mine(self):
        self.login(self.other_analyst)
        response = self.client.get(self.url)
        self.assertEqual(response.context["drafts"], [])

    def test_it_lists_recently_changed_propositions(self):
        self.login()
        response = self.client.get(self.url)
        self.assertIn(self.proposition, response.context["propositions"])

    def propose_changes(self, number: int) -> None:
        """An approved claim, proposition and stance, each with a change of mine waiting for review."""
        source = make_source(text=f"Approved text {number}: Kabul says another thing.", created_by=self.analyst)
        claim = approve(make_claim(source, "Kabul says another thing", self.taliban, self.analyst), self.reviewer)
        proposition = approve(
            Proposition.objects.create(statement=f"Approved {number}", created_by=self.analyst), self.reviewer
        )
        stance = approve(
            Stance.objects.create(claim=claim, proposition=proposition, side=Side.SUPPORTS, created_by=self.analyst),
            self.reviewer,
        )
        claim.propose_revision(self.analyst, {"paraphrase": "Changed."})
        proposition.propose_revision(self.analyst, {"description": "Changed."})
        stance.propose_revision(self.analyst, {"note": "Changed."}).reject(self.reviewer, reason="No.")

    def test_its_query_count_does_not_grow_with_the_records_shown(self):
        self.propose_changes(0)
        self.login()
        with self.assertNumQueries(13):
            self.client.get(self.url)
        for number in range(1, 5):
            source = make_source(text=f"Text number {number}: Pakistan says one thing.", created_by=self.analyst)
            make_claim(source, "Pakistan says one thing", self.pakistan, self.analyst)
            Proposition.objects.create(statement=f"Statement {number}", created_by=self.analyst)
            self.propose_changes(number)
        with self.assertNumQueries(13):
            self.client.get(self.url)

    def test_it_lists_my_changes_waiting_for_review(self):
        self.propose_changes(0)
        self.login()
        response = self.client.get(self.url)
        self.assertEqual(len(response.context["pending_revisions"]), 2)
        self.assertContains(response, "Change to claim")
        self.assertContains(response, "Change to proposition")

    def test_it_shows_the_reviewers_reason_for_my_rejected_changes(self):
        self.propose_changes(0)
        stance = Stance.objects.get(proposition__statement="Approved 0")
        revision = stance.propose_revision(self.analyst, {"side": Side.DISPUTES}, note="Misread.")
        revision.reject(self.reviewer, reason="The stance was right: the quote supports it.")
        self.login()
        response = self.client.get(self.url)
        self.assertIn(revision, response.context["rejected_revisions"])
        self.assertContains(response, "The stance was right: the quote supports it.")
        self.assertContains(response, reverse("desk:stance_revise", args=[stance.pk]))

    def test_it_does_not_list_other_analysts_changes_as_mine(self):
        self.propose_changes(0)
        self.login(self.other_analyst)
        response = self.client.get(self.url)
        self.assertEqual((response.context["pending_revisions"], response.context["rejected_revisions"]), ([], []))
