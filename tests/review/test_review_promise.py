"""Nothing an analyst writes reaches a reader unreviewed, whatever the record and whatever the path.

Actors and sources are reviewed like claims; drafts are their author's; four eyes
counts everyone who wrote a record's text; a bulk approval in the queue makes a
contradiction that the feed and the lists show first.
"""

from django.urls import reverse

from claims.models import Actor, Claim, Proposition, ReviewError, ReviewState, Revision, Side, Stance
from sources.models import Source
from tests.base import BaseTestCase, approve, make_claim, make_source
from tests.review.records import QUOTES, pending
from tests.review.test_admin_edits import form_data

QUEUE = reverse("admin:review_queue")


class PublicActorEditTests(BaseTestCase):
    """An analyst edits a public actor in the admin: readers see nothing until a reviewer approves."""

    def setUp(self):
        self.build_contradiction()
        self.url = reverse("admin:claims_actor_change", args=[self.pakistan.pk])
        self.page = self.pakistan.get_absolute_url()
        self.client.force_login(self.analyst)

    def test_the_public_page_is_unchanged_until_a_reviewer_approves(self):
        data = form_data(self.client.get(self.url), description="Paid by **a rival**.", aliases="Islamabad\nPindi")
        self.client.post(self.url, data)
        self.client.logout()
        page = self.client.get(self.page)
        self.assertNotContains(page, "rival")
        self.assertNotContains(page, "Pindi")
        self.assertEqual(Actor.objects.get(pk=self.pakistan.pk).description, "")

        revision = Revision.objects.for_record(self.pakistan).get()
        with self.captureOnCommitCallbacks(execute=True):
            revision.approve(self.reviewer)
        self.assertContains(self.client.get(self.page), "<strong>a rival</strong>", html=True)

    def test_the_revision_waits_in_the_queue_with_its_diff(self):
        self.client.post(self.url, form_data(self.client.get(self.url), name="Government of Pakistan (PTI)"))
        revision = Revision.objects.for_record(self.pakistan).get()
        self.client.force_login(self.reviewer)
        queue = self.client.get(QUEUE)
        self.assertContains(queue, f"revision:{revision.pk}")
        self.assertContains(queue, "Change to actor “<bdi>Government of Pakistan</bdi>”", html=True)
        self.assertContains(queue, "changes name")
        page = self.client.get(reverse("admin:claims_revision_change", args=[revision.pk]))
        self.assertContains(page, "(PTI)")
        self.assertEqual([row.field for row in revision.diff()], ["name"])

    def test_line_breaks_sent_by_the_browser_do_not_make_a_change(self):
        Actor.objects.filter(pk=self.pakistan.pk).update(aliases="Islamabad\nPindi")
        data = form_data(self.client.get(self.url), aliases="Islamabad\r\nPindi", description="One\r\ntwo")
        self.client.post(self.url, data)
        revision = Revision.objects.for_record(self.pakistan).get()
        self.assertEqual(revision.changes, {"description": "One\ntwo"})

    def test_a_source_revision_has_its_review_page(self):
        source = self.source
        url = reverse("admin:sources_source_change", args=[source.pk])
        self.client.post(url, form_data(self.client.get(url), outlet="Rival Daily"))
        revision = Revision.objects.for_record(source).get()
        self.client.force_login(self.reviewer)
        page = self.client.get(reverse("admin:claims_revision_change", args=[revision.pk]))
        self.assertContains(page, "Rival Daily")
        self.assertContains(page, reverse("admin:sources_source_change", args=[source.pk]))
        self.assertEqual(self.client.get(reverse("admin:claims_revision_changelist")).status_code, 200)
        self.assertContains(self.client.get(url), f"Review revision #{revision.pk}")

    def test_the_name_on_contradiction_pages_waits_too(self):
        self.client.post(self.url, form_data(self.client.get(self.url), name="Pakistan Army"))
        self.client.logout()
        proposition = Proposition.objects.get()
        self.assertNotContains(self.client.get(proposition.get_absolute_url()), "Pakistan Army")


class PublicSourceEditTests(BaseTestCase):
    def setUp(self):
        self.build_contradiction()
        self.url = reverse("admin:sources_source_change", args=[self.source.pk])
        self.client.force_login(self.analyst)

    def test_an_outlet_and_address_change_wait_for_review(self):
        data = form_data(self.client.get(self.url), outlet="Rival Daily", url="https://rival.example/story")
        self.client.post(self.url, data)
        self.client.logout()
        page = self.client.get(self.source.get_absolute_url())
        self.assertNotContains(page, "Rival Daily")
        self.assertNotContains(page, "rival.example")
        revision = Revision.objects.for_record(self.source).get()
        self.assertEqual({row.field for row in revision.diff()}, {"outlet", "url"})

        with self.captureOnCommitCallbacks(execute=True):
            revision.approve(self.reviewer)
        page = self.client.get(self.source.get_absolute_url())
        self.assertContains(page, "Rival Daily")
        self.assertContains(page, "https://rival.example/story")


class NewActorAndSourceReviewTests(BaseTestCase):
    def setUp(self):
        self.newcomer = Actor.objects.create(name="Newcomer", description="Secretly *funded*.", created_by=self.analyst)
        self.draft_source = make_source(text="Newcomer said the talks failed.", title="New report", state="draft",
                                        created_by=self.analyst)  # fmt: skip
        self.claim = make_claim(self.draft_source, "the talks failed", self.newcomer, self.analyst)

    def test_a_claim_waits_for_its_source_and_claimant(self):
        pending(self.claim)
        with self.assertRaisesMessage(ReviewError, "Approve its source and its claimant first"):
            self.claim.approve(self.reviewer)

    def test_new_actors_and_sources_are_in_the_queue(self):
        pending(self.newcomer)
        pending(self.draft_source)
        self.client.force_login(self.reviewer)
        queue = self.client.get(QUEUE)
        self.assertContains(queue, f"actor:{self.newcomer.pk}")
        self.assertContains(queue, f"source:{self.draft_source.pk}")

    def test_the_queue_shows_what_a_reviewer_publishes_of_them(self):
        self.draft_source.outlet = "Kabul Weekly"
        self.draft_source.save()
        pending(self.newcomer)
        pending(self.draft_source)
        self.client.force_login(self.reviewer)
        queue = self.client.get(QUEUE)
        self.assertContains(queue, "Secretly *funded*.")
        self.assertContains(queue, "<bdi>Kabul Weekly</bdi>", html=True)

    def test_a_pending_source_and_actor_have_the_review_panel(self):
        pending(self.newcomer)
        pending(self.draft_source)
        self.client.force_login(self.reviewer)
        for url in (
            reverse("admin:sources_source_change", args=[self.draft_source.pk]),
            reverse("admin:claims_actor_change", args=[self.newcomer.pk]),
        ):
            self.assertContains(self.client.get(url), 'value="approve_selected"', msg_prefix=url)

    def test_one_bulk_approval_publishes_the_claim_with_its_actor_and_source(self):
        for record in (self.draft_source, self.newcomer, self.claim):
            pending(record)
        keys = [f"source:{self.draft_source.pk}", f"actor:{self.newcomer.pk}", f"claim:{self.claim.pk}"]
        self.client.force_login(self.reviewer)
        self.client.post(QUEUE, {"action": "approve", "item": keys})
        self.client.logout()
        self.assertEqual(Claim.objects.get(pk=self.claim.pk).state, ReviewState.APPROVED)
        self.assertContains(self.client.get(self.newcomer.get_absolute_url()), "<em>funded</em>", html=True)

    def test_an_actor_readers_see_cannot_be_withdrawn_under_its_claims(self):
        for record in (self.draft_source, self.newcomer, self.claim):
            approve(record, self.reviewer)
        with self.assertRaisesMessage(ReviewError, "return those claims to draft first"):
            Actor.objects.get(pk=self.newcomer.pk).return_to_draft(self.reviewer)
        with self.assertRaisesMessage(ReviewError, "return those claims to draft first"):
            Source.objects.get(pk=self.draft_source.pk).return_to_draft(self.reviewer)

    def test_a_revision_cannot_make_a_draft_actor_the_claimant(self):
        for record in (self.draft_source, self.newcomer, self.claim):
            approve(record, self.reviewer)
        stranger = Actor.objects.create(name="Unreviewed stranger", created_by=self.analyst)
        revision = Claim.objects.get(pk=self.claim.pk).propose_revision(self.analyst, {"claimant": stranger.pk})
        with self.assertRaisesMessage(ReviewError, "Approve its claimant first"):
            revision.approve(self.reviewer)
        self.assertEqual(Claim.objects.get(pk=self.claim.pk).claimant, self.newcomer)


class DraftOwnershipTests(BaseTestCase):
    def setUp(self):
        self.claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)

    def test_another_analyst_cannot_edit_a_draft_at_the_desk(self):
        self.client.force_login(self.other_analyst)
        response = self.client.post(
            reverse("desk:claim_edit", args=[self.claim.pk]),
            {"quote": QUOTES[0], "claimant": "Government of Pakistan", "paraphrase": "Mine now",
             "asserted": "", "version": self.claim.version},
        )  # fmt: skip
        self.assertContains(response, "only its author edits it", status_code=403)
        self.assertNotEqual(Claim.objects.get(pk=self.claim.pk).paraphrase, "Mine now")

    def test_a_reviewer_cannot_submit_an_analysts_draft(self):
        self.client.force_login(self.reviewer)
        response = self.client.post(reverse("desk:claim_submit", args=[self.claim.pk]))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Claim.objects.get(pk=self.claim.pk).state, ReviewState.DRAFT)

    def test_the_admin_shows_someone_elses_draft_read_only(self):
        self.client.force_login(self.reviewer)
        url = reverse("admin:claims_claim_change", args=[self.claim.pk])
        response = self.client.post(url, {"paraphrase": "Reviewer's words", "quote": QUOTES[0]})
        self.assertEqual(response.status_code, 403)
        self.assertNotEqual(Claim.objects.get(pk=self.claim.pk).paraphrase, "Reviewer's words")

    def test_the_author_edits_their_own_draft(self):
        self.claim.paraphrase = "Revised by its author"
        self.claim.save_edit(expected_version=self.claim.version, fields=["paraphrase"], by=self.analyst)
        self.assertEqual(Claim.objects.get(pk=self.claim.pk).paraphrase, "Revised by its author")


class FourEyesCoAuthorTests(BaseTestCase):
    def test_whoever_wrote_words_into_a_draft_cannot_approve_it(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        claim.paraphrase = "An administrator's words"
        claim.save_edit(expected_version=claim.version, fields=["paraphrase"], by=self.admin)
        claim.submit(self.analyst)
        with self.assertRaisesMessage(ReviewError, "You cannot review your own work"):
            claim.approve(self.admin)
        claim.approve(self.reviewer)
        self.assertEqual(claim.state, ReviewState.APPROVED)

    def test_the_review_panel_offers_no_approval_to_a_co_author(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        claim.paraphrase = "An administrator's words"
        claim.save_edit(expected_version=claim.version, fields=["paraphrase"], by=self.admin)
        claim.submit(self.analyst)
        self.client.force_login(self.admin)
        page = self.client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
        self.assertNotContains(page, 'value="approve_selected"')


class BulkApprovalContradictionTests(BaseTestCase):
    """A new proposition, its claims and stances approved in one queue action (what the queue suggests)."""

    def setUp(self):
        older = self.build_contradiction(statement="An older contradiction.")
        self.older = older
        self.proposition = pending(
            Proposition.objects.create(statement="A brand new dispute.", created_by=self.analyst)
        )
        keys = [f"proposition:{self.proposition.pk}"]
        for quote, actor, side in ((QUOTES[0], self.pakistan, Side.DISPUTES), (QUOTES[2], self.taliban, Side.SUPPORTS)):
            claim = pending(make_claim(self.source, quote, actor, self.analyst))
            stance = pending(
                Stance.objects.create(claim=claim, proposition=self.proposition, side=side, created_by=self.analyst)
            )
            keys += [f"claim:{claim.pk}", f"stance:{stance.pk}"]
        self.client.force_login(self.reviewer)
        self.client.post(QUEUE, {"action": "approve", "item": keys})
        self.client.logout()

    def test_it_becomes_a_contradiction_with_its_time(self):
        proposition = Proposition.objects.get(pk=self.proposition.pk)
        self.assertTrue(proposition.is_contradiction)
        self.assertIsNotNone(proposition.became_contradiction_at)

    def test_the_feed_answers_and_lists_it_first(self):
        response = self.client.get(reverse("reader:feed"))
        self.assertEqual(response.status_code, 200)
        content = response.content.decode()
        self.assertLess(content.index("A brand new dispute."), content.index("An older contradiction."))

    def test_home_and_the_list_show_it_first(self):
        for url in (reverse("reader:home"), reverse("reader:contradictions")):
            content = self.client.get(url).content.decode()
            self.assertLess(content.index("A brand new dispute."), content.index("An older contradiction."), url)


class SubmittingWithWhatItRestsOnTests(BaseTestCase):
    """A record goes to review with its author's drafts it rests on, never ahead of someone else's draft."""

    def test_a_stance_takes_its_authors_draft_claim_and_proposition_along(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        proposition = Proposition.objects.create(statement="Sheltered.", created_by=self.analyst)
        stance = Stance.objects.create(
            claim=claim, proposition=proposition, side=Side.SUPPORTS, created_by=self.analyst
        )
        stance.submit(self.analyst)
        states = {Claim.objects.get(pk=claim.pk).state, Proposition.objects.get(pk=proposition.pk).state}
        self.assertEqual(states, {ReviewState.PENDING})

    def test_a_stance_on_someone_elses_draft_proposition_is_refused_at_the_desk(self):
        proposition = Proposition.objects.create(statement="Not yet sent.", created_by=self.analyst)
        claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.other_analyst), self.reviewer)
        stance = Stance.objects.create(
            claim=claim, proposition=proposition, side=Side.SUPPORTS, created_by=self.other_analyst
        )
        self.client.force_login(self.other_analyst)
        response = self.client.post(reverse("desk:stance_submit", args=[stance.pk]))
        self.assertContains(response, "not yet sent to review", status_code=409)
        self.assertEqual(Stance.objects.get(pk=stance.pk).state, ReviewState.DRAFT)
        self.assertEqual(Proposition.objects.get(pk=proposition.pk).state, ReviewState.DRAFT)

    def test_a_claim_whose_claimant_is_someone_elses_draft_waits_for_them(self):
        stranger = Actor.objects.create(name="Someone's draft actor", created_by=self.other_analyst)
        claim = make_claim(self.source, QUOTES[0], stranger, self.analyst)
        with self.assertRaisesMessage(ReviewError, "is ahmad's draft, not yet sent to review"):
            claim.submit(self.analyst)
        self.assertEqual(Claim.objects.get(pk=claim.pk).state, ReviewState.DRAFT)
