"""Approve, reject and return to draft from the change lists and from a record's page."""

import re

from django.urls import reverse

from claims.models import Claim, ReviewState, Stance
from tests.base import BaseTestCase, approve, make_claim
from tests.review.records import QUOTES, pending_claim, pending_proposition, pending_stance

CLAIMS = reverse("admin:claims_claim_changelist")


def action_names(response) -> set[str]:
    """The actions the change list's Action menu offers (its options, without the empty one)."""
    menu = re.search(r'<select name="action"[^>]*>(.*?)</select>', response.text, re.DOTALL)
    return set(re.findall(r'<option value="([^"]+)"', menu[1])) if menu else set()


def messages_shown(response) -> list[tuple[str, str]]:
    """Each message the page shows, as (its level's class, its text)."""
    shown = re.search(r'<ul class="messagelist">(.*?)</ul>', response.text, re.DOTALL)
    return re.findall(r'<li class="([\w ]+)">(.*?)</li>', shown[1], re.DOTALL) if shown else []


class ActionVisibilityTests(BaseTestCase):
    def setUp(self):
        # The Action menu is shown only above a list with rows in it.
        pending_claim(self.source, QUOTES[0], self.pakistan, self.other_analyst)

    def test_analysts_see_no_approve_reject_or_delete(self):
        self.client.force_login(self.analyst)
        actions = action_names(self.client.get(CLAIMS))
        self.assertEqual(actions, {"submit_selected", "return_to_draft_selected"})

    def test_reviewers_see_approve_and_reject_but_not_delete(self):
        self.client.force_login(self.reviewer)
        actions = action_names(self.client.get(CLAIMS))
        self.assertEqual(
            actions, {"approve_selected", "reject_selected", "submit_selected", "return_to_draft_selected"}
        )

    def test_admins_also_see_delete(self):
        self.client.force_login(self.admin)
        self.assertIn("delete_selected", action_names(self.client.get(CLAIMS)))


class ChangelistApproveTests(BaseTestCase):
    def test_a_reviewer_approves_the_selection(self):
        claims = [pending_claim(self.source, quote, self.pakistan, self.analyst) for quote in QUOTES]
        self.client.force_login(self.reviewer)
        response = self.client.post(
            CLAIMS, {"action": "approve_selected", "_selected_action": [c.pk for c in claims]}, follow=True
        )
        self.assertContains(response, "Approved: ")
        self.assertEqual(Claim.objects.public().count(), 3)

    def test_an_analyst_posting_approve_changes_nothing(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.other_analyst)
        self.client.force_login(self.analyst)
        response = self.client.post(CLAIMS, {"action": "approve_selected", "_selected_action": [claim.pk]})
        self.assertRedirects(response, CLAIMS)
        claim.refresh_from_db()
        self.assertEqual(claim.state, ReviewState.PENDING)

    def test_a_stance_waiting_for_its_claim_gets_an_error_message(self):
        proposition = approve(pending_proposition("The TTP is sheltered.", self.analyst), self.reviewer)
        stance = pending_stance(
            pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst), proposition, self.analyst
        )
        self.client.force_login(self.reviewer)
        response = self.client.post(
            reverse("admin:claims_stance_changelist"),
            {"action": "approve_selected", "_selected_action": [stance.pk]},
            follow=True,
        )
        self.assertEqual(response.redirect_chain, [(reverse("admin:claims_stance_changelist"), 302)])
        messages = messages_shown(response)
        self.assertEqual(messages[0][0], "error")
        self.assertIn("Approve its claim first", messages[0][1])

    def test_a_model_permission_refusal_becomes_a_message(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.other_analyst)
        self.client.force_login(self.analyst)
        response = self.client.post(
            CLAIMS, {"action": "return_to_draft_selected", "_selected_action": [claim.pk]}, follow=True
        )
        self.assertContains(response, "Not returned to draft")
        self.assertContains(response, "Only reviewers can approve or reject.")


class ChangelistRejectTests(BaseTestCase):
    def setUp(self):
        self.claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.client.force_login(self.reviewer)

    def test_it_asks_for_a_reason_on_a_confirmation_page(self):
        response = self.client.post(CLAIMS, {"action": "reject_selected", "_selected_action": [self.claim.pk]})
        self.assertTemplateUsed(response, "admin/review/reject_confirmation.html")
        self.assertContains(response, "csrfmiddlewaretoken")
        self.assertContains(response, '<input type="hidden" name="action" value="reject_selected">', html=True)

    def test_an_empty_reason_is_refused(self):
        data = {"action": "reject_selected", "_selected_action": [self.claim.pk], "confirm_reject": "yes"}
        response = self.client.post(CLAIMS, {**data, "reason": ""})
        self.assertContains(response, "A reason is required to reject", status_code=400)
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.state, ReviewState.PENDING)

    def test_the_reason_is_recorded_and_the_list_comes_back(self):
        data = {"action": "reject_selected", "_selected_action": [self.claim.pk], "confirm_reject": "yes"}
        response = self.client.post(f"{CLAIMS}?state__exact=pending", {**data, "reason": "Not a claim"})
        self.assertRedirects(response, f"{CLAIMS}?state__exact=pending")
        self.claim.refresh_from_db()
        self.assertEqual((self.claim.state, self.claim.review_reason), (ReviewState.REJECTED, "Not a claim"))


class ChangePageButtonTests(BaseTestCase):
    def setUp(self):
        self.claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.url = reverse("admin:claims_claim_change", args=[self.claim.pk])

    def press(self, action, **extra):
        return self.client.post(self.url, {"CHANGE_FORM-action": action, "_selected_action": self.claim.pk, **extra})

    def test_approve_approves_and_comes_back_to_the_page(self):
        self.client.force_login(self.reviewer)
        response = self.press("approve_selected")
        self.assertRedirects(response, self.url)
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.state, ReviewState.APPROVED)

    def test_reject_asks_for_the_reason_then_rejects(self):
        self.client.force_login(self.reviewer)
        self.assertTemplateUsed(self.press("reject_selected"), "admin/review/reject_confirmation.html")
        response = self.press("reject_selected", confirm_reject="yes", reason="Quote cut mid-sentence")
        self.assertRedirects(response, self.url)
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.review_reason, "Quote cut mid-sentence")

    def test_the_author_withdraws_their_pending_claim(self):
        self.client.force_login(self.analyst)
        self.assertRedirects(self.press("return_to_draft_selected"), self.url)
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.state, ReviewState.DRAFT)

    def test_the_author_submits_their_draft(self):
        draft = make_claim(self.source, QUOTES[1], self.taliban, self.analyst)
        self.client.force_login(self.analyst)
        url = reverse("admin:claims_claim_change", args=[draft.pk])
        response = self.client.post(url, {"CHANGE_FORM-action": "submit_selected", "_selected_action": draft.pk})
        self.assertRedirects(response, url)
        draft.refresh_from_db()
        self.assertEqual(draft.state, ReviewState.PENDING)

    def test_an_analyst_gets_no_approve_button(self):
        self.client.force_login(self.other_analyst)
        response = self.client.get(self.url)
        self.assertNotContains(response, 'value="approve_selected"')
        self.assertNotContains(response, 'value="reject_selected"')

    def test_the_reviewer_gets_approve_and_reject_buttons(self):
        self.client.force_login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(response, 'value="approve_selected"')
        self.assertContains(response, 'value="reject_selected"')

    def test_approving_a_stance_with_its_claim_pending_says_why(self):
        proposition = approve(pending_proposition("The TTP is sheltered.", self.analyst), self.reviewer)
        stance = pending_stance(self.claim, proposition, self.analyst)
        self.client.force_login(self.reviewer)
        response = self.client.post(
            reverse("admin:claims_stance_change", args=[stance.pk]),
            {"CHANGE_FORM-action": "approve_selected", "_selected_action": stance.pk},
            follow=True,
        )
        self.assertContains(response, "Approve its claim first")
        self.assertEqual(Stance.objects.get(pk=stance.pk).state, ReviewState.PENDING)
