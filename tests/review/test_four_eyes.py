"""Four eyes: a reviewer cannot review their own work, unless the setting relaxes it."""

from django.test import override_settings
from django.urls import reverse

from claims.models import ReviewError, ReviewState
from tests.base import BaseTestCase, approve, make_claim
from tests.review.records import QUOTES, pending_claim


class FourEyesOnTests(BaseTestCase):
    def test_a_reviewer_cannot_approve_their_own_claim(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.reviewer)
        with self.assertRaisesMessage(ReviewError, "You cannot review your own work"):
            claim.approve(self.reviewer)
        claim.refresh_from_db()
        self.assertEqual(claim.state, ReviewState.PENDING)

    def test_a_reviewer_cannot_reject_their_own_claim(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.reviewer)
        with self.assertRaises(ReviewError):
            claim.reject(self.reviewer, reason="Changed my mind")

    def test_another_reviewer_can_approve_it(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.reviewer)
        claim.approve(self.other_reviewer)
        self.assertEqual(claim.state, ReviewState.APPROVED)

    def test_a_reviewer_cannot_approve_their_own_revision(self):
        claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst), self.other_reviewer)
        revision = claim.propose_revision(self.reviewer, {"paraphrase": "Pakistan accuses the Taliban."})
        with self.assertRaises(ReviewError):
            revision.approve(self.reviewer)

    def test_the_admin_says_why_instead_of_failing_silently(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.reviewer)
        self.client.force_login(self.reviewer)
        response = self.client.post(
            reverse("admin:claims_claim_changelist"),
            {"action": "approve_selected", "_selected_action": [claim.pk]},
            follow=True,
        )
        self.assertContains(response, "You cannot review your own work")
        claim.refresh_from_db()
        self.assertEqual(claim.state, ReviewState.PENDING)

    def test_the_review_panel_offers_no_approve_button_on_own_work(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.reviewer)
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
        self.assertNotContains(response, 'value="approve_selected"')
        self.assertContains(response, "another reviewer must approve or reject it")


@override_settings(REVIEW_FOUR_EYES=False)
class FourEyesOffTests(BaseTestCase):
    def test_a_one_person_team_can_approve_their_own_claim(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.reviewer)
        claim.approve(self.reviewer)
        self.assertEqual(claim.state, ReviewState.APPROVED)

    def test_the_admin_offers_the_approve_button_on_own_work(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.reviewer)
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
        self.assertContains(response, 'value="approve_selected"')

    def test_it_still_requires_the_review_permission(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        with self.assertRaises(Exception) as raised:
            claim.approve(self.analyst)
        self.assertIn("Only reviewers", str(raised.exception))
