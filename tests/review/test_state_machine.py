"""The review state machine: which transitions are allowed, who may make them, what they record."""

from django.core.exceptions import PermissionDenied

from claims.models import Proposition, ReviewError, ReviewState, Side, Stance, StateChange, review_records
from tests.base import BaseTestCase, approve, make_claim
from tests.review.records import QUOTES, pending, pending_claim, pending_proposition, pending_stance


class SubmitTests(BaseTestCase):
    def test_a_draft_can_be_submitted(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        claim.submit(self.analyst)
        claim.refresh_from_db()
        self.assertEqual(claim.state, ReviewState.PENDING)
        self.assertIsNotNone(claim.submitted_at)

    def test_a_rejected_record_can_be_submitted_again(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        claim.reject(self.reviewer, reason="Wrong claimant")
        claim.submit(self.analyst)
        self.assertEqual(claim.state, ReviewState.PENDING)

    def test_a_pending_record_cannot_be_submitted_twice(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        with self.assertRaises(ReviewError):
            claim.submit(self.analyst)


class ApproveTests(BaseTestCase):
    def test_only_pending_records_can_be_approved(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        with self.assertRaises(ReviewError):
            claim.approve(self.reviewer)
        claim.refresh_from_db()
        self.assertEqual(claim.state, ReviewState.DRAFT)

    def test_an_approved_record_cannot_be_approved_again(self):
        claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst), self.reviewer)
        with self.assertRaises(ReviewError):
            claim.approve(self.other_reviewer)

    def test_approving_stamps_who_and_when_and_writes_the_audit_record(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        claim.approve(self.reviewer, reason="Checked against the source")
        claim.refresh_from_db()
        self.assertEqual((claim.state, claim.reviewed_by), (ReviewState.APPROVED, self.reviewer))
        self.assertIsNotNone(claim.first_approved_at)
        change = claim.history().first()
        self.assertEqual(
            (change.from_state, change.to_state, change.by, change.reason),
            (ReviewState.PENDING, ReviewState.APPROVED, self.reviewer, "Checked against the source"),
        )

    def test_it_requires_the_review_permission(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.other_analyst)
        with self.assertRaises(PermissionDenied):
            claim.approve(self.analyst)
        self.assertFalse(StateChange.objects.filter(to_state=ReviewState.APPROVED).exists())


class RejectTests(BaseTestCase):
    def test_a_reason_is_required(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        with self.assertRaisesMessage(ReviewError, "A reason is required to reject."):
            claim.reject(self.reviewer, reason="   ")
        claim.refresh_from_db()
        self.assertEqual(claim.state, ReviewState.PENDING)

    def test_the_reason_is_kept_for_the_analyst_and_the_audit(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        claim.reject(self.reviewer, reason="The claimant is the reporter, not Pakistan.")
        claim.refresh_from_db()
        self.assertEqual(claim.state, ReviewState.REJECTED)
        self.assertEqual(claim.review_reason, "The claimant is the reporter, not Pakistan.")
        self.assertEqual(claim.history().first().reason, "The claimant is the reporter, not Pakistan.")

    def test_only_pending_records_can_be_rejected(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        with self.assertRaises(ReviewError):
            claim.reject(self.reviewer, reason="No")


class ReturnToDraftTests(BaseTestCase):
    def test_the_author_may_withdraw_their_pending_record(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        claim.return_to_draft(self.analyst)
        self.assertEqual(claim.state, ReviewState.DRAFT)

    def test_another_analyst_may_not_withdraw_it(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        with self.assertRaises(PermissionDenied):
            claim.return_to_draft(self.other_analyst)

    def test_the_author_may_not_unpublish_an_approved_record(self):
        claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst), self.reviewer)
        with self.assertRaises(PermissionDenied):
            claim.return_to_draft(self.analyst)

    def test_a_reviewer_may_unpublish_and_the_public_counts_follow(self):
        proposition = self.build_contradiction()
        claim = proposition.stances.get(side=Side.SUPPORTS).claim
        claim.return_to_draft(self.reviewer, reason="Quote taken out of context")
        proposition.refresh_from_db()
        self.assertEqual((proposition.supports_count, proposition.is_contradiction), (0, False))


class StanceDependencyTests(BaseTestCase):
    def test_a_stance_needs_its_claim_and_proposition_approved(self):
        proposition = pending_proposition("The TTP is sheltered in Afghanistan.", self.analyst)
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        stance = pending_stance(claim, proposition, self.analyst)
        with self.assertRaisesMessage(ReviewError, "Approve its claim and its proposition first"):
            stance.approve(self.reviewer)
        stance.refresh_from_db()
        self.assertEqual(stance.state, ReviewState.PENDING)

    def test_reviewing_together_approves_dependencies_first(self):
        proposition = pending_proposition("The TTP is sheltered in Afghanistan.", self.analyst)
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        stance = pending_stance(claim, proposition, self.analyst)
        outcome = review_records([stance, claim, proposition], "approve", self.reviewer)
        self.assertEqual(outcome.refused, [])
        self.assertEqual(Stance.objects.public().count(), 1)
        self.assertEqual(Proposition.objects.get(pk=proposition.pk).supports_count, 1)


class ReviewRecordsTests(BaseTestCase):
    def test_one_refusal_does_not_stop_the_others(self):
        mine = pending_claim(self.source, QUOTES[0], self.pakistan, self.reviewer)
        theirs = pending_claim(self.source, QUOTES[1], self.taliban, self.analyst)
        outcome = review_records([mine, theirs], "approve", self.reviewer)
        self.assertEqual(outcome.done, [theirs])
        self.assertEqual([record for record, _ in outcome.refused], [mine])
        self.assertIn("cannot review your own work", outcome.refused[0][1])

    def test_submitting_needs_the_change_permission(self):
        draft = pending(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst))
        draft.return_to_draft(self.analyst)
        outcome = review_records([draft], "submit", self.outsider)
        self.assertEqual(len(outcome.refused), 1)
        draft.refresh_from_db()
        self.assertEqual(draft.state, ReviewState.DRAFT)

    def test_an_unknown_action_is_a_programming_error(self):
        with self.assertRaises(ValueError):
            review_records([], "publish", self.reviewer)
