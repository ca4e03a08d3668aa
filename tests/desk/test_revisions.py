"""Proposing changes to approved claims, stances and propositions: revisions a reviewer approves."""

from unittest import mock

from django.urls import reverse
from django.utils.html import strip_tags

from claims.models import Claim, ReviewState, Revision, Side, Stance
from tests.desk.base import HTMX, DeskTestCase

STATEMENT = "Kabul shelters the TTP."


class ClaimRevisionTests(DeskTestCase):
    def setUp(self):
        self.contradiction = self.build_contradiction(statement=STATEMENT)
        self.public = Claim.objects.get(quote="the Taliban is providing shelter for TTP members", state="approved")
        self.url = reverse("desk:claim_revise", args=[self.public.pk])
        self.login()

    def data(self, **fields):
        return {
            "quote": self.public.quote,
            "start": self.public.start,
            "claimant": "Government of Pakistan",
            "paraphrase": "Pakistan: the Taliban give TTP members shelter.",
            "revision_note": "Closer to the quote.",
            "version": self.public.version,
            **fields,
        }

    def test_the_annotate_page_offers_to_propose_a_change_to_an_approved_claim(self):
        response = self.client.get(reverse("desk:source", args=[self.source.pk]))
        self.assertContains(response, f'href="{self.url}"')
        self.assertContains(response, "Propose a change")

    def test_over_htmx_the_form_opens_in_the_claim_panel(self):
        with self.assertNumQueries(4):
            response = self.client.get(self.url, **HTMX)
        self.assertContains(response, 'id="claim-panel"')
        self.assertContains(response, f'name="version" value="{self.public.version}"')
        self.assertNotContains(response, "<html")

    def test_without_htmx_it_is_a_page_of_its_own(self):
        response = self.client.get(self.url)
        self.assertContains(response, "<html")
        self.assertContains(response, "Propose a change to this claim")

    def test_a_plain_post_stores_a_pending_revision_and_leaves_the_claim_as_approved(self):
        response = self.client.post(self.url, self.data())
        self.assertRedirects(
            response, f"{reverse('desk:source', args=[self.source.pk])}#claim-{self.public.pk}", target_status_code=200
        )
        revision = self.public.pending_revision()
        self.assertEqual(
            (revision.created_by, revision.changes, revision.note),
            (self.analyst, {"paraphrase": "Pakistan: the Taliban give TTP members shelter."}, "Closer to the quote."),
        )
        self.public.refresh_from_db()
        self.assertEqual(self.public.paraphrase, "the Taliban is providing shelter for TTP members")

    def test_over_htmx_the_panel_says_the_change_waits_for_review(self):
        response = self.client.post(self.url, self.data(), **HTMX)
        self.assertContains(response, "Change sent to review")
        self.assertIn("Pakistan: the Taliban give TTP members shelter.", strip_tags(response.content.decode()))
        self.assertNotContains(response, "<html")

    def test_the_sent_change_is_shown_field_by_field(self):
        response = self.client.post(self.url, self.data(), **HTMX)
        # Word by word: what stayed is plain, what went is struck, what came is inserted.
        self.assertContains(response, "the Taliban <del>is providing shelter for</del> TTP members", html=True)
        self.assertContains(
            response, "<ins>Pakistan: </ins>the Taliban <ins>give</ins> TTP members<ins> shelter.</ins>", html=True
        )

    def test_closing_or_cancelling_the_panel_returns_to_the_source_address(self):
        source_url = reverse("desk:source", args=[self.source.pk])
        response = self.client.get(self.url, **HTMX)
        self.assertContains(response, f'hx-push-url="{source_url}">Cancel</a>')
        response = self.client.post(self.url, self.data(), **HTMX)
        self.assertContains(response, f'hx-push-url="{source_url}">Close</a>')

    def test_the_panel_can_take_the_keyboard_focus_when_it_arrives(self):
        response = self.client.get(self.url, **HTMX)
        self.assertContains(response, 'tabindex="-1" data-arrived')

    def test_readers_still_see_the_approved_version(self):
        self.client.post(self.url, self.data())
        self.client.logout()
        response = self.client.get(reverse("reader:contradiction", args=[self.contradiction.slug]))
        self.assertContains(response, "the Taliban is providing shelter for TTP members")
        self.assertNotContains(response, "Pakistan: the Taliban give TTP members shelter.")

    def test_a_stale_version_is_refused_and_keeps_my_text(self):
        self.public.propose_revision(self.reviewer, {"paraphrase": "Theirs."}).approve(self.other_reviewer)
        response = self.client.post(self.url, self.data(), **HTMX)
        self.assertContains(response, "Theirs.", status_code=409)
        self.assertContains(response, 'value="Pakistan: the Taliban give TTP members shelter."', status_code=409)
        self.assertContains(response, f'name="version" value="{self.public.version + 1}"', status_code=409)

    def test_a_stale_plain_post_is_refused_the_same_way(self):
        self.public.propose_revision(self.reviewer, {"paraphrase": "Theirs."}).approve(self.other_reviewer)
        response = self.client.post(self.url, self.data())
        self.assertContains(response, "Closer to the quote.", status_code=409)
        self.assertContains(response, "<html", status_code=409)

    def test_a_quote_that_does_not_anchor_is_refused_with_the_reason(self):
        response = self.client.post(self.url, self.data(quote="not in the text at all"), **HTMX)
        self.assertContains(response, "not in the source text", status_code=422)
        self.assertIsNone(self.public.pending_revision())

    def test_a_changed_quote_is_anchored_once_by_the_form_not_again_by_the_model(self):
        quote = "providing shelter for TTP members"
        with mock.patch("claims.models.anchor_quote", side_effect=AssertionError("anchored twice")):
            self.client.post(self.url, self.data(quote=quote, start=self.public.start + len("the Taliban is ")))
        changes = self.public.pending_revision().changes
        self.assertEqual((changes["quote"], changes["start"]), (quote, self.source.text.index(quote)))

    def test_a_change_that_changes_nothing_is_refused(self):
        response = self.client.post(self.url, self.data(paraphrase=self.public.paraphrase), **HTMX)
        self.assertContains(response, "Nothing changed", status_code=422)

    def test_a_second_change_waits_for_the_first(self):
        self.client.post(self.url, self.data())
        response = self.client.get(self.url, **HTMX)
        self.assertContains(response, "A change to this claim is waiting for review")
        response = self.client.post(self.url, self.data(paraphrase="Another."), **HTMX)
        self.assertContains(response, "A change to this claim is waiting for review", status_code=422)
        self.assertEqual(Revision.objects.count(), 1)

    def test_a_new_actor_is_not_created_when_the_proposal_is_refused(self):
        self.public.propose_revision(self.reviewer, {"paraphrase": "Theirs."}).approve(self.other_reviewer)
        self.client.post(self.url, self.data(claimant="Brand New", claimant_is_new="on"))
        self.assertFalse(self.public.claimant._meta.model.objects.filter(name="Brand New").exists())

    def test_reviewers_and_admins_may_propose_changes_too(self):
        for user in (self.reviewer, self.admin):
            Revision.objects.all().delete()
            self.login(user)
            with self.subTest(user=user.username):
                self.client.post(self.url, self.data())
                self.assertEqual(self.public.pending_revision().created_by, user)

    def test_readers_and_outsiders_may_not(self):
        self.client.logout()
        self.assertEqual(self.client.post(self.url, self.data()).status_code, 302)
        self.login(self.outsider)
        self.assertEqual(self.client.post(self.url, self.data()).status_code, 403)
        self.assertIsNone(self.public.pending_revision())


class ReadOnlyTests(DeskTestCase):
    def setUp(self):
        self.login()

    def test_a_pending_claim_is_read_only_with_the_reason(self):
        self.claim.submit(self.analyst)
        response = self.client.get(reverse("desk:claim_revise", args=[self.claim.pk]), **HTMX)
        self.assertContains(response, "pending review: it stays read-only", status_code=403)
        response = self.client.get(reverse("desk:source", args=[self.source.pk]))
        self.assertContains(response, "Read-only while it waits for review")

    def test_a_draft_is_edited_directly_not_revised(self):
        response = self.client.post(reverse("desk:claim_revise", args=[self.claim.pk]), {"paraphrase": "x"})
        self.assertContains(response, "edit it directly", status_code=403)

    def test_a_pending_stance_cannot_be_revised(self):
        self.stance.submit(self.analyst)
        response = self.client.get(reverse("desk:stance_revise", args=[self.stance.pk]))
        self.assertContains(response, "This stance is pending review", status_code=403)


class StanceRevisionTests(DeskTestCase):
    def setUp(self):
        self.contradiction = self.build_contradiction(statement=STATEMENT)
        self.public = Stance.objects.get(proposition=self.contradiction, side=Side.SUPPORTS)
        self.url = reverse("desk:stance_revise", args=[self.public.pk])
        self.login()

    def data(self, **fields):
        return {"side": "qualifies", "note": "Only members, not the group.", "version": self.public.version, **fields}

    def test_the_board_offers_to_propose_a_change_to_an_approved_stance(self):
        response = self.client.get(self.board_url(self.contradiction))
        self.assertContains(response, f'href="{self.url}"')

    def test_over_htmx_the_card_turns_into_the_form(self):
        with self.assertNumQueries(4):
            response = self.client.get(self.url, **HTMX)
        self.assertContains(response, f'id="stance-{self.public.pk}"')
        self.assertContains(response, 'name="side"')

    def test_over_htmx_the_change_goes_to_review(self):
        response = self.client.post(self.url, self.data(), **HTMX)
        self.assertContains(response, "Change sent to review")
        self.assertEqual(self.public.pending_revision().changes["side"], "qualifies")
        self.public.refresh_from_db()
        self.assertEqual(self.public.side, Side.SUPPORTS)

    def test_a_plain_post_goes_back_to_the_board(self):
        response = self.client.post(self.url, self.data())
        self.assertRedirects(
            response, f"{self.board_url(self.contradiction)}#stance-{self.public.pk}", fetch_redirect_response=False
        )
        self.assertEqual(self.public.pending_revision().state, ReviewState.PENDING)

    def test_a_stale_version_is_refused_and_keeps_my_text(self):
        self.public.propose_revision(self.reviewer, {"note": "Their note."}).approve(self.other_reviewer)
        response = self.client.post(self.url, self.data(), **HTMX)
        self.assertContains(response, "Their note.", status_code=409)
        self.assertContains(response, "Only members, not the group.", status_code=409)


class PropositionRevisionTests(DeskTestCase):
    def setUp(self):
        self.contradiction = self.build_contradiction(statement=STATEMENT)
        self.url = reverse("desk:proposition_revise", args=[self.contradiction.slug])
        self.login()

    def data(self, **fields):
        return {
            "statement": "Kabul harbours the TTP.",
            "description": "",
            "version": self.contradiction.version,
            **fields,
        }

    def test_the_board_offers_to_propose_a_change_to_an_approved_proposition(self):
        response = self.client.get(self.board_url(self.contradiction))
        self.assertContains(response, f'href="{self.url}"')

    def test_over_htmx_the_header_turns_into_the_form(self):
        with self.assertNumQueries(4):
            response = self.client.get(self.url, **HTMX)
        self.assertContains(response, 'id="board-header"')

    def test_over_htmx_the_change_goes_to_review(self):
        response = self.client.post(self.url, self.data(), **HTMX)
        self.assertContains(response, "Change sent to review")
        self.contradiction.refresh_from_db()
        self.assertEqual(self.contradiction.statement, STATEMENT)

    def test_a_plain_post_goes_back_to_the_board(self):
        response = self.client.post(self.url, self.data())
        self.assertRedirects(response, self.board_url(self.contradiction), fetch_redirect_response=False)

    def test_a_duplicate_statement_is_refused(self):
        response = self.client.post(self.url, self.data(statement=self.proposition.statement))
        self.assertContains(response, "already exists", status_code=422)

    def test_a_stale_version_is_refused_and_keeps_my_text(self):
        self.contradiction.propose_revision(self.reviewer, {"description": "Their description."}).approve(
            self.other_reviewer
        )
        response = self.client.post(self.url, self.data(), **HTMX)
        self.assertContains(response, "Their description.", status_code=409)
        self.assertContains(response, 'value="Kabul harbours the TTP."', status_code=409)

    def test_an_approved_proposition_points_to_propose_a_change(self):
        response = self.client.get(reverse("desk:proposition_edit", args=[self.contradiction.slug]))
        self.assertContains(response, "Propose a change", status_code=403)
