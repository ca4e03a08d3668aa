from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.test import TestCase, override_settings

from claims.models import Actor, Claim, Proposition, ReviewError, ReviewState, Side, StaleEdit, Stance, StateChange
from sources.anchoring import QuoteNotFound
from sources.models import Source, SourceTextChanged
from sources.text import text_checksum
from tests.base import BaseTestCase, approve, make_claim


class SourceTests(BaseTestCase):
    def test_text_is_normalized_and_checksummed_on_save(self):
        source = Source.objects.create(state="approved", title="T", text="one\r\ntwo  ")

        assert source.text == "one\ntwo"
        assert source.checksum == text_checksum(source.text)

    def test_text_cannot_change_once_claims_are_anchored(self):
        make_claim(self.source, "providing shelter", self.pakistan, self.analyst)
        self.source.text = self.source.text + " More."

        with self.assertRaises(SourceTextChanged):
            self.source.save()

    def test_the_same_text_cannot_be_imported_twice(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Source.objects.create(state="approved", title="Copy", text=self.source.text)

    def test_the_same_url_cannot_be_imported_twice(self):
        Source.objects.create(state="approved", title="A", text="first text", url="https://example.org/a")

        with self.assertRaises(IntegrityError), transaction.atomic():
            Source.objects.create(state="approved", title="B", text="second text", url="https://example.org/a")

    def test_find_duplicate_matches_url_or_normalized_text(self):
        assert Source.objects.find_duplicate(url="", text=self.source.text + "\r\n") == self.source
        assert Source.objects.find_duplicate(url="https://nowhere.example", text="other") is None

    def test_sources_are_public_only_with_an_approved_claim(self):
        claim = make_claim(self.source, "providing shelter", self.pakistan, self.analyst)
        assert self.source not in Source.objects.public()

        approve(claim, self.reviewer)

        assert self.source in Source.objects.public()


class ClaimConstraintTests(BaseTestCase):
    def test_record_anchors_the_quote_exactly(self):
        claim = make_claim(self.source, "TTP's operations", self.taliban, self.analyst)

        assert self.source.text[claim.start : claim.end] == claim.quote == "TTP’s operations"
        assert claim.state == ReviewState.DRAFT

    def test_record_refuses_a_quote_not_in_the_source(self):
        with self.assertRaises(QuoteNotFound):
            make_claim(self.source, "the Taliban is arming the TTP", self.pakistan, self.analyst)
        assert not Claim.objects.exists()

    def test_database_refuses_an_empty_quote(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Claim.objects.create(source=self.source, claimant=self.pakistan, quote="", start=0, end=0, paraphrase="x")

    def test_database_refuses_a_span_that_does_not_match_the_quote_length(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Claim.objects.create(
                source=self.source, claimant=self.pakistan, quote="KABUL", start=0, end=9, paraphrase="x"
            )

    def test_validation_refuses_offsets_that_point_elsewhere_in_the_text(self):
        claim = Claim(source=self.source, claimant=self.pakistan, quote="KABUL", start=1, end=6, paraphrase="x")

        with self.assertRaises(ValidationError):
            claim.full_clean()

    def test_validation_refuses_offsets_beyond_the_text(self):
        end = len(self.source.text) + 5
        claim = Claim(source=self.source, claimant=self.pakistan, quote="KABUL", start=end - 5, end=end, paraphrase="x")

        with self.assertRaises(ValidationError):
            claim.full_clean()

    def test_database_refuses_a_date_precision_without_a_date(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Claim.objects.create(
                source=self.source, claimant=self.pakistan, quote="KABUL", start=0, end=5, paraphrase="x",
                asserted_on=None, asserted_precision="day",
            )  # fmt: skip

    def test_a_claim_cannot_be_reported_by_its_own_claimant(self):
        with self.assertRaises(ValidationError):
            make_claim(self.source, "KABUL", self.pakistan, self.analyst, reported_by=self.pakistan)

    def test_one_stance_per_claim_and_proposition(self):
        claim = make_claim(self.source, "KABUL", self.pakistan, self.analyst)
        proposition = Proposition.objects.create(statement="Kabul is a city.")
        Stance.objects.create(claim=claim, proposition=proposition, side=Side.SUPPORTS)

        with self.assertRaises(IntegrityError), transaction.atomic():
            Stance.objects.create(claim=claim, proposition=proposition, side=Side.DISPUTES)

    def test_database_refuses_an_unknown_side(self):
        claim = make_claim(self.source, "KABUL", self.pakistan, self.analyst)
        proposition = Proposition.objects.create(statement="Kabul is a city.")

        with self.assertRaises(IntegrityError), transaction.atomic():
            Stance.objects.create(claim=claim, proposition=proposition, side="maybe")

    def test_proposition_slugs_are_unique_and_derived_from_the_statement(self):
        first = Proposition.objects.create(statement="The TTP ended the ceasefire.")
        second = Proposition.objects.create(statement="The TTP ended the ceasefire!")

        assert (first.slug, second.slug) == ("the-ttp-ended-the-ceasefire", "the-ttp-ended-the-ceasefire-2")

    def test_an_edit_of_the_description_renders_it_again(self):
        proposition = Proposition.objects.create(statement="S", description="*old*", created_by=self.analyst)
        proposition.description = "**new**"

        proposition.save_edit(expected_version=proposition.version, fields=["description"], by=self.analyst)

        assert Proposition.objects.get(pk=proposition.pk).description_html == "<p><strong>new</strong></p>"

    def test_markdown_description_is_rendered_and_sanitized_on_save(self):
        proposition = Proposition.objects.create(statement="S", description="**Bold** <script>alert(1)</script>")

        assert "<strong>Bold</strong>" in proposition.description_html
        assert "<script" not in proposition.description_html


class ReviewStateTests(BaseTestCase):
    def setUp(self):
        self.claim = make_claim(self.source, "providing shelter", self.pakistan, self.analyst)

    def test_submit_moves_a_draft_to_pending_and_audits_it(self):
        self.claim.submit(self.analyst)

        change = StateChange.objects.get()
        assert self.claim.state == ReviewState.PENDING
        assert (change.from_state, change.to_state, change.by) == ("draft", "pending", self.analyst)
        assert change.record == self.claim

    def test_approve_stamps_who_and_when(self):
        self.claim.submit(self.analyst)

        self.claim.approve(self.reviewer)

        self.claim.refresh_from_db()
        assert self.claim.state == ReviewState.APPROVED
        assert self.claim.reviewed_by == self.reviewer
        assert self.claim.reviewed_at is not None and self.claim.first_approved_at is not None

    def test_a_draft_cannot_be_approved_without_submission(self):
        with self.assertRaises(ReviewError):
            self.claim.approve(self.reviewer)
        assert not StateChange.objects.exists()

    def test_reject_requires_a_reason(self):
        self.claim.submit(self.analyst)

        with self.assertRaises(ReviewError):
            self.claim.reject(self.reviewer, reason="   ")
        self.claim.reject(self.reviewer, reason="Quote is out of context.")

        self.claim.refresh_from_db()
        assert (self.claim.state, self.claim.review_reason) == (ReviewState.REJECTED, "Quote is out of context.")

    def test_a_rejected_claim_can_be_resubmitted(self):
        self.claim.submit(self.analyst)
        self.claim.reject(self.reviewer, reason="Fix the paraphrase.")

        self.claim.submit(self.analyst)

        assert self.claim.state == ReviewState.PENDING

    def test_analysts_cannot_approve(self):
        self.claim.submit(self.analyst)

        with self.assertRaises(PermissionDenied):
            self.claim.approve(self.other_analyst)

    def test_reviewers_cannot_approve_their_own_work(self):
        claim = make_claim(self.source, "internal security", self.taliban, self.reviewer)
        claim.submit(self.reviewer)

        with self.assertRaises(ReviewError):
            claim.approve(self.reviewer)

    @override_settings(REVIEW_FOUR_EYES=False)
    def test_one_person_teams_can_relax_four_eyes(self):
        claim = make_claim(self.source, "internal security", self.taliban, self.reviewer)
        claim.submit(self.reviewer)

        claim.approve(self.reviewer)

        assert claim.state == ReviewState.APPROVED

    def test_history_lists_every_change_newest_first(self):
        self.claim.submit(self.analyst)
        self.claim.reject(self.reviewer, reason="No.")
        self.claim.submit(self.analyst)

        assert [change.to_state for change in self.claim.history()] == ["pending", "rejected", "pending"]

    def test_analyst_edits_only_drafts_and_rejected_records(self):
        assert self.claim.is_editable
        self.claim.submit(self.analyst)
        assert not self.claim.is_editable


class StanceReviewTests(BaseTestCase):
    def test_a_stance_waits_for_its_claim_and_proposition(self):
        claim = make_claim(self.source, "providing shelter", self.pakistan, self.analyst)
        proposition = Proposition.objects.create(statement="Shelter.", created_by=self.analyst)
        stance = Stance.objects.create(
            claim=claim, proposition=proposition, side=Side.SUPPORTS, created_by=self.analyst
        )
        stance.submit(self.analyst)

        with self.assertRaisesMessage(ReviewError, "Approve its claim and its proposition first"):
            stance.approve(self.reviewer)

    def test_contradictions_need_approved_claims_on_both_sides(self):
        proposition = self.build_contradiction()

        assert (proposition.supports_count, proposition.disputes_count) == (1, 1)
        assert list(Proposition.objects.contradictions()) == [proposition]
        assert proposition.became_contradiction_at is not None

    def test_returning_a_claim_to_draft_removes_it_from_the_counts(self):
        proposition = self.build_contradiction()
        claim = proposition.stances.get(side=Side.DISPUTES).claim

        claim.return_to_draft(self.reviewer, reason="Needs a second look.")

        proposition.refresh_from_db()
        assert proposition.disputes_count == 0
        assert proposition not in Proposition.objects.contradictions()

    def test_pending_stances_are_not_public(self):
        proposition = self.build_contradiction()
        claim = approve(make_claim(self.source, "internal security", self.taliban, self.analyst), self.reviewer)
        Stance.objects.create(claim=claim, proposition=proposition, side=Side.DISPUTES, created_by=self.analyst).submit(
            self.analyst
        )

        proposition.refresh_public_counts()

        assert proposition.disputes_count == 1
        assert Stance.objects.public().filter(proposition=proposition).count() == 2

    def test_only_a_draft_stance_can_be_removed_and_only_a_removed_one_restored(self):
        claim = make_claim(self.source, "providing shelter", self.pakistan, self.analyst)
        proposition = Proposition.objects.create(statement="Shelter.", created_by=self.analyst)
        stance = Stance.objects.create(
            claim=claim, proposition=proposition, side=Side.SUPPORTS, created_by=self.analyst
        )
        with self.assertRaisesMessage(ReviewError, "Cannot restore a record that is draft"):
            stance.restore(self.analyst, side=Side.DISPUTES)
        stance.submit(self.analyst)
        with self.assertRaisesMessage(ReviewError, "Cannot remove a record that is pending review"):
            stance.remove(self.analyst)
        stance.return_to_draft(self.analyst)
        stance.remove(self.analyst)
        with self.assertRaisesMessage(ReviewError, "Cannot submit a record that is removed"):
            stance.submit(self.analyst)
        assert list(Stance.objects.on_boards().filter(pk=stance.pk)) == []
        stance.restore(self.other_analyst, side=Side.DISPUTES)
        stance.refresh_from_db()
        assert (stance.state, stance.side, stance.created_by) == (ReviewState.DRAFT, Side.DISPUTES, self.other_analyst)

    def test_claims_and_propositions_have_no_removal(self):
        assert "remove" not in Claim.TRANSITIONS
        assert "remove" not in Proposition.TRANSITIONS


class StaleEditTests(BaseTestCase):
    def test_saving_over_a_newer_version_is_refused(self):
        claim = make_claim(self.source, "providing shelter", self.pakistan, self.analyst)
        mine, theirs = Claim.objects.get(pk=claim.pk), Claim.objects.get(pk=claim.pk)
        theirs.paraphrase = "Their wording."
        theirs.save_edit(expected_version=theirs.version, fields=["paraphrase"])

        mine.paraphrase = "My wording."
        with self.assertRaises(StaleEdit) as refused:
            mine.save_edit(expected_version=mine.version, fields=["paraphrase"])

        assert refused.exception.current.paraphrase == "Their wording."
        assert Claim.objects.get(pk=claim.pk).paraphrase == "Their wording."


class NameFieldsTests(TestCase):
    """Whatever path saves them, names and titles lose bidi controls; quotes and source text keep every character."""

    def test_actor_names_and_source_titles_are_stripped_on_save(self):
        actor = Actor.objects.create(name="Gov\u202eernment", aliases="Isl\u2066amabad\u2069")
        source = Source.objects.create(title="Re\u202bport\u202c", outlet="Dai\u202dly", text="Kept \u202e as written.")
        actor.refresh_from_db()
        source.refresh_from_db()
        self.assertEqual((actor.name, actor.aliases), ("Government", "Islamabad"))
        self.assertEqual((source.title, source.outlet), ("Report", "Daily"))
        self.assertIn("\u202e", source.text)

    def test_right_to_left_marks_stay(self):
        actor = Actor.objects.create(name="ذبیح\u200fالله")
        actor.refresh_from_db()
        self.assertEqual(actor.name, "ذبیح\u200fالله")

    def test_a_text_of_invisible_characters_is_refused_by_the_model(self):
        with self.assertRaisesMessage(ValidationError, "no visible characters"):
            Source.objects.create(title="Empty", text="\u200b\u200b \ufeff")
        self.assertFalse(Source.objects.exists())
