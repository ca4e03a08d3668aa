"""Annotating a source: the highlighted text, recording and editing claims, anchoring, submitting."""

import datetime
from unittest import mock

from django.urls import reverse

from claims.models import Actor, Claim, Proposition, ReviewState, Side, Stance
from tests.base import approve, make_claim
from tests.desk.base import HTMX, DeskTestCase, htmx_target

SHELTER = "the Taliban is providing shelter for TTP members"
SPOKESMAN = "they are not responsible for Pakistan’s internal security issues"


class AnnotatePageTests(DeskTestCase):
    def setUp(self):
        self.login()
        self.url = reverse("desk:source", args=[self.source.pk])

    def test_it_shows_the_text_with_its_claims_highlighted(self):
        response = self.client.get(self.url)
        self.assertContains(response, f'<span id="hl-{self.claim.pk}" class="hl-anchor"></span>')
        self.assertContains(response, f'<mark class="hl hl--draft" data-claims="{self.claim.pk}"')
        self.assertContains(response, f">{SHELTER}</mark>")

    def test_the_rendered_text_is_the_source_text_character_for_character(self):
        import html
        import re

        response = self.client.get(self.url)
        block = re.search(r'<div id="source-text"[^>]*>(.*?)</div>', response.content.decode(), re.S).group(1)
        self.assertEqual(html.unescape(re.sub(r"<[^>]+>", "", block)), self.source.text)

    def test_drafts_and_approved_claims_look_different(self):
        approved = approve(make_claim(self.source, SPOKESMAN, self.taliban, self.analyst), self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(response, f'class="hl hl--approved" data-claims="{approved.pk}"')
        self.assertContains(response, f'class="hl hl--draft" data-claims="{self.claim.pk}"')

    def test_overlapping_claims_share_a_highlight(self):
        overlapping = make_claim(self.source, "providing shelter", self.pakistan, self.analyst)
        response = self.client.get(self.url)
        self.assertContains(
            response, f'class="hl hl--draft hl--overlap" data-claims="{self.claim.pk} {overlapping.pk}"'
        )

    def test_right_to_left_sources_are_marked_as_such(self):
        self.source.language = "fa"
        self.source.save()
        response = self.client.get(self.url)
        self.assertContains(response, 'id="source-text" class="desk-text" lang="fa" dir="rtl"')

    def test_a_selection_made_without_a_mouse_is_offered_by_a_button_under_the_text(self):
        response = self.client.get(self.url)
        self.assertContains(response, '<p class="selection-action" data-selection-action hidden>')
        self.assertContains(
            response,
            '<button type="button" class="button" data-record-selection aria-describedby="selection-preview">'
            "Record a claim from the selected text</button>",
        )

    def test_the_text_is_a_tab_stop_so_the_keyboard_reaches_the_button_after_a_selection(self):
        response = self.client.get(self.url)
        self.assertContains(response, 'role="document" tabindex="0" aria-labelledby="text-heading"')

    def test_its_query_count_does_not_grow_with_the_claims(self):
        self.client.get(self.url)  # the account and its roles are kept from here on
        with self.assertNumQueries(6):  # with the source's captures, the claims' answers and the translations
            self.client.get(self.url)
        for quote in ("Pakistan claims", "the Taliban insists", SPOKESMAN):
            claim = make_claim(self.source, quote, self.taliban, self.analyst)
            Stance.objects.create(
                claim=claim, proposition=self.proposition, side=Side.DISPUTES, created_by=self.analyst
            )
        with self.assertNumQueries(6):
            self.client.get(self.url)

    def test_an_unknown_source_is_a_readable_404(self):
        response = self.client.get(reverse("desk:source", args=[999]))
        self.assertContains(response, "There is no such source", status_code=404)


class RecordClaimTests(DeskTestCase):
    def setUp(self):
        self.login()
        self.url = reverse("desk:claim_new", args=[self.source.pk])

    def post(self, headers=None, **fields):
        data = {"quote": SPOKESMAN, "claimant": "Afghan Taliban", "paraphrase": "Kabul is not responsible.", **fields}
        return self.client.post(self.url, data, **(headers or {}))

    def test_it_records_a_draft_claim_and_returns_to_the_page(self):
        response = self.post(asserted="2022-12-23")
        claim = Claim.objects.get(quote=SPOKESMAN)
        self.assertRedirects(response, reverse("desk:source", args=[self.source.pk]))
        self.assertEqual(claim.state, ReviewState.DRAFT)
        self.assertEqual(claim.source.text[claim.start : claim.end], SPOKESMAN)
        self.assertEqual((claim.asserted_on, claim.asserted_precision), (datetime.date(2022, 12, 23), "day"))
        self.assertEqual(claim.created_by, self.analyst)

    def test_the_quote_is_anchored_once_by_the_form_not_again_by_the_model(self):
        with mock.patch("claims.models.anchor_quote", side_effect=AssertionError("anchored twice")):
            self.post()
        claim = Claim.objects.get(quote=SPOKESMAN)
        self.assertEqual(claim.source.text[claim.start : claim.end], SPOKESMAN)

    def test_over_htmx_it_swaps_in_a_fresh_panel_the_new_highlight_and_the_list(self):
        response = self.post(headers=htmx_target("claim-panel"))
        claim = Claim.objects.get(quote=SPOKESMAN)
        self.assertContains(response, 'id="claim-panel"')
        self.assertContains(response, 'id="source-text" class="desk-text" lang="en" dir="ltr" data-source-text')
        self.assertContains(response, f'data-claims="{claim.pk}"')
        self.assertContains(
            response, 'id="source-claims" class="panel" aria-labelledby="claims-heading" hx-swap-oob="true"'
        )
        self.assertEqual(response["HX-Push-Url"], reverse("desk:source", args=[self.source.pk]))
        self.assertNotContains(response, "<html")

    def test_it_uses_the_selection_offset_to_choose_between_repeated_quotes(self):
        position = self.source.text.index("Taliban", 40)
        self.post(quote="Taliban", start=str(position))
        self.assertEqual(Claim.objects.get(quote="Taliban").start, position)

    def test_it_creates_a_new_claimant_inline(self):
        self.post(claimant="Zabihullah Mujahid", claimant_is_new="on", claimant_kind="person")
        actor = Actor.objects.get(name="Zabihullah Mujahid")
        self.assertEqual((actor.kind, actor.created_by), ("person", self.analyst))
        self.assertEqual(Claim.objects.get(quote=SPOKESMAN).claimant, actor)

    def test_it_finds_the_claimant_by_an_alias(self):
        self.post(claimant="islamabad")
        self.assertEqual(Claim.objects.get(quote=SPOKESMAN).claimant, self.pakistan)

    def test_it_records_a_stance_on_a_new_proposition(self):
        self.post(proposition="Kabul is responsible for the TTP.", proposition_is_new="on", side="disputes")
        stance = Stance.objects.get(claim__quote=SPOKESMAN)
        self.assertEqual((stance.side, stance.state), (Side.DISPUTES, ReviewState.DRAFT))
        self.assertEqual(stance.proposition.statement, "Kabul is responsible for the TTP.")
        self.assertEqual(stance.proposition.state, ReviewState.DRAFT)

    def test_it_records_a_stance_on_an_existing_proposition(self):
        self.post(proposition=self.proposition.statement.upper(), side="disputes")
        self.assertEqual(Stance.objects.get(claim__quote=SPOKESMAN).proposition, self.proposition)

    def test_a_quote_not_in_the_text_is_refused_and_what_was_typed_is_kept(self):
        response = self.post(quote="they are responsible for everything", headers=HTMX)
        self.assertContains(response, "The quote is not in the source text", status_code=422)
        self.assertContains(response, "Kabul is not responsible.", status_code=422)
        self.assertContains(response, "they are responsible for everything", status_code=422)
        self.assertFalse(Claim.objects.filter(paraphrase="Kabul is not responsible.").exists())

    def test_an_ambiguous_quote_is_refused_with_the_reason(self):
        response = self.post(quote="Taliban")
        self.assertContains(response, "The quote appears 2 times in the source", status_code=422)

    def test_the_no_javascript_error_page_is_the_whole_annotate_page(self):
        response = self.post(quote="not in the text at all")
        self.assertContains(response, "<html", status_code=422)
        self.assertContains(response, 'id="source-text"', status_code=422)

    def test_an_unknown_claimant_is_refused_with_what_to_do(self):
        response = self.post(claimant="Nobody Known")
        self.assertContains(response, "No actor is called “Nobody Known”", status_code=422)

    def test_a_new_claimant_that_already_exists_is_refused(self):
        response = self.post(claimant="afghan taliban", claimant_is_new="on")
        self.assertContains(response, "already exists: untick", status_code=422)
        self.assertEqual(Actor.objects.filter(name__iexact="afghan taliban").count(), 1)

    def test_a_claimant_cannot_report_their_own_claim(self):
        response = self.post(reported_by="Afghan Taliban")
        self.assertContains(response, "cannot report their own claim", status_code=422)

    def test_a_malformed_asserted_date_is_refused(self):
        response = self.post(asserted="December 2022")
        self.assertContains(response, "write YYYY, YYYY-MM or YYYY-MM-DD", status_code=422)

    def test_a_proposition_needs_a_side(self):
        response = self.post(proposition=self.proposition.statement)
        self.assertContains(response, "Choose whether the claim supports", status_code=422)
        self.assertFalse(Claim.objects.filter(quote=SPOKESMAN).exists())

    def test_a_side_needs_a_proposition(self):
        response = self.post(side="supports")
        self.assertContains(response, "Name the proposition", status_code=422)

    def test_an_unknown_proposition_is_refused(self):
        response = self.post(proposition="Something never proposed", side="supports")
        self.assertContains(response, "No proposition says", status_code=422)

    def test_nothing_is_created_when_a_later_step_fails(self):
        response = self.post(claimant="New Person", claimant_is_new="on", proposition="Missing", side="supports")
        self.assertEqual(response.status_code, 422)
        self.assertFalse(Actor.objects.filter(name="New Person").exists())

    def test_the_panel_opens_with_a_selected_quote_anchored(self):
        response = self.client.get(self.url, {"quote": SPOKESMAN, "start": self.source.text.index(SPOKESMAN)}, **HTMX)
        self.assertContains(response, f"Anchored at characters {self.source.text.index(SPOKESMAN)}")
        self.assertContains(response, f">{SPOKESMAN}</textarea>")
        self.assertNotContains(response, "<html")


class AnchorPreviewTests(DeskTestCase):
    def setUp(self):
        self.login()
        self.url = reverse("desk:anchor_preview", args=[self.source.pk])

    def test_it_shows_where_the_quote_anchors_with_its_context(self):
        start = self.source.text.index(SPOKESMAN)
        with self.assertNumQueries(3):
            response = self.client.get(self.url, {"quote": SPOKESMAN}, **HTMX)
        self.assertContains(response, f"Anchored at characters {start}–{start + len(SPOKESMAN)}")
        self.assertContains(response, f'<input type="hidden" name="start" value="{start}">')
        self.assertContains(response, f"<mark>{SPOKESMAN}</mark>")

    def test_it_tolerates_straight_quotes_and_keeps_the_source_wording(self):
        response = self.client.get(self.url, {"quote": SPOKESMAN.replace("’", "'")}, **HTMX)
        self.assertContains(response, "spacing or punctuation differed")
        self.assertContains(response, f"<mark>{SPOKESMAN}</mark>")

    def test_it_explains_why_a_quote_does_not_anchor(self):
        response = self.client.get(self.url, {"quote": "not there"}, **HTMX)
        self.assertContains(response, "The quote is not in the source text")


class EditClaimTests(DeskTestCase):
    def setUp(self):
        self.login()
        self.url = reverse("desk:claim_edit", args=[self.claim.pk])

    def data(self, **fields):
        return {
            "quote": self.claim.quote,
            "start": self.claim.start,
            "claimant": "Government of Pakistan",
            "paraphrase": "Pakistan says the Taliban shelter the TTP.",
            "version": self.claim.version,
            **fields,
        }

    def test_over_htmx_it_opens_the_edit_form_in_the_panel(self):
        response = self.client.get(self.url, **HTMX)
        self.assertContains(response, "Edit claim")
        self.assertContains(response, f'name="version" value="{self.claim.version}"')
        self.assertNotContains(response, "<html")

    def test_without_htmx_it_is_the_annotate_page_with_the_edit_form(self):
        response = self.client.get(self.url)
        self.assertContains(response, "<html")
        self.assertContains(response, "Edit claim")

    def test_it_saves_the_edit(self):
        response = self.client.post(self.url, self.data(asserted="2022"))
        self.assertRedirects(response, reverse("desk:source", args=[self.source.pk]))
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.paraphrase, "Pakistan says the Taliban shelter the TTP.")
        self.assertEqual((self.claim.asserted_precision, self.claim.version), ("year", 2))

    def test_it_reanchors_a_changed_quote(self):
        self.client.post(self.url, self.data(quote="Pakistan claims that the Taliban", start=""))
        self.claim.refresh_from_db()
        self.assertEqual(self.source.text[self.claim.start : self.claim.end], "Pakistan claims that the Taliban")

    def test_a_stale_edit_is_refused_showing_their_change_and_keeping_mine(self):
        self.claim.paraphrase = "Someone else's wording."
        self.claim.save_edit(expected_version=1, fields=["paraphrase"])
        response = self.client.post(self.url, self.data(paraphrase="My careful wording.", version=1), **HTMX)
        self.assertContains(response, "Someone else saved this claim", status_code=409)
        self.assertContains(response, "Someone else&#x27;s wording.", status_code=409)
        self.assertContains(response, 'value="My careful wording."', status_code=409)
        self.assertContains(response, 'name="version" value="2"', status_code=409)
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.paraphrase, "Someone else's wording.")

    def test_saving_again_after_a_conflict_replaces_their_version(self):
        self.claim.paraphrase = "Someone else's wording."
        self.claim.save_edit(expected_version=1, fields=["paraphrase"])
        first = self.client.post(self.url, self.data(paraphrase="Mine.", version=1))
        self.client.post(self.url, self.data(paraphrase="Mine.", version=2))
        self.assertEqual(first.status_code, 409)
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.paraphrase, "Mine.")

    def test_a_stale_edit_creates_no_new_actor(self):
        self.claim.save_edit(expected_version=1, fields=["paraphrase"])
        response = self.client.post(self.url, self.data(claimant="Brand New", claimant_is_new="on", version=1))
        self.assertEqual(response.status_code, 409)
        self.assertFalse(Actor.objects.filter(name="Brand New").exists())

    def test_a_pending_claim_cannot_be_edited_here(self):
        self.claim.submit(self.analyst)
        response = self.client.post(self.url, self.data(paraphrase="Changed."))
        self.assertContains(response, "This claim is pending review", status_code=403)
        self.claim.refresh_from_db()
        self.assertNotEqual(self.claim.paraphrase, "Changed.")

    def test_an_approved_claim_cannot_be_edited_here(self):
        approve(self.claim, self.reviewer)
        response = self.client.get(self.url, **HTMX)
        self.assertContains(response, "use “Propose a change”", status_code=403)

    def test_a_rejected_claim_can_be_edited_and_shows_the_reason(self):
        self.claim.submit(self.analyst)
        self.claim.reject(self.reviewer, reason="Wrong claimant.")
        response = self.client.get(self.url)
        self.assertContains(response, "Wrong claimant.")


class SubmitFromSourceTests(DeskTestCase):
    def setUp(self):
        self.login()

    def test_it_sends_one_claim_to_review(self):
        response = self.client.post(reverse("desk:claim_submit", args=[self.claim.pk]), **HTMX)
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.state, ReviewState.PENDING)
        self.assertContains(response, 'id="source-claims"')
        self.assertContains(response, 'class="hl hl--pending"')

    def test_it_sends_all_my_drafts_in_a_source_to_review_at_once(self):
        other = make_claim(self.source, SPOKESMAN, self.taliban, self.analyst)
        theirs = make_claim(self.source, "Pakistan claims", self.pakistan, self.other_analyst)
        response = self.client.post(reverse("desk:source_submit", args=[self.source.pk]))
        self.assertRedirects(response, reverse("desk:source", args=[self.source.pk]))
        for record in (self.claim, other, self.stance, self.proposition):
            record.refresh_from_db()
            self.assertEqual(record.state, ReviewState.PENDING, record)
        theirs.refresh_from_db()
        self.assertEqual(theirs.state, ReviewState.DRAFT)

    def test_submitting_leaves_an_audit_record(self):
        self.client.post(reverse("desk:source_submit", args=[self.source.pk]))
        change = self.claim.history().get()
        self.assertEqual((change.from_state, change.to_state, change.by), ("draft", "pending", self.analyst))

    def test_it_says_when_there_is_nothing_to_send(self):
        self.login(self.other_analyst)
        response = self.client.post(reverse("desk:source_submit", args=[self.source.pk]), **HTMX)
        self.assertContains(response, "You have no drafts in this source", status_code=403)

    def test_a_pending_claim_cannot_be_sent_again(self):
        self.claim.submit(self.analyst)
        response = self.client.post(reverse("desk:claim_submit", args=[self.claim.pk]))
        self.assertEqual(response.status_code, 403)

    def test_the_bulk_button_counts_what_it_will_send(self):
        response = self.client.get(reverse("desk:source", args=[self.source.pk]))
        self.assertContains(response, "1 claim, 1 stance, 1 proposition")


class NewPropositionIsOnlySubmittedWithItsStance(DeskTestCase):
    def test_a_draft_proposition_of_someone_else_is_not_sent(self):
        theirs = Proposition.objects.create(statement="Their proposition.", created_by=self.other_analyst)
        Stance.objects.create(claim=self.claim, proposition=theirs, side=Side.SUPPORTS, created_by=self.analyst)
        self.login()
        self.client.post(reverse("desk:source_submit", args=[self.source.pk]))
        theirs.refresh_from_db()
        self.assertEqual(theirs.state, ReviewState.DRAFT)
