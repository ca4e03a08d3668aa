"""The review queue: reviewers' entry point, bulk decisions, reasons for rejections."""

import re

from django.test import Client
from django.urls import reverse

from claims.models import Claim, Proposition, ReviewState, Stance, StateChange
from tests.base import BaseTestCase, approve, make_claim
from tests.review.records import (
    QUOTES,
    numbered_quote,
    numbered_source,
    pending_claim,
    pending_proposition,
    pending_stance,
)

QUEUE = reverse("admin:review_queue")


def listed_keys(response) -> list[str]:
    """The records the queue page lists, in order, as the keys its checkboxes post (``claim:12``)."""
    return re.findall(r'name="item" value="([^"]+)"', response.content.decode())


def key(record) -> str:
    return f"{record._meta.model_name}:{record.pk}"


class QueueAccessTests(BaseTestCase):
    def test_anonymous_is_sent_to_log_in(self):
        response = self.client.get(QUEUE)
        self.assertRedirects(response, f"{reverse('admin:login')}?next={QUEUE}")

    def test_outsider_is_sent_to_log_in(self):
        self.client.force_login(self.outsider)
        response = self.client.get(QUEUE)
        self.assertRedirects(response, f"{reverse('admin:login')}?next={QUEUE}")

    def test_it_requires_a_reviewer(self):
        self.client.force_login(self.analyst)
        self.assertEqual(self.client.get(QUEUE).status_code, 403)

    def test_an_analyst_cannot_act_through_it(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.other_analyst)
        self.client.force_login(self.analyst)
        response = self.client.post(QUEUE, {"action": "approve", "item": [f"claim:{claim.pk}"]})
        self.assertEqual(response.status_code, 403)
        claim.refresh_from_db()
        self.assertEqual(claim.state, ReviewState.PENDING)

    def test_reviewer_sees_it(self):
        self.client.force_login(self.reviewer)
        self.assertEqual(self.client.get(QUEUE).status_code, 200)

    def test_admin_sees_it(self):
        self.client.force_login(self.admin)
        self.assertEqual(self.client.get(QUEUE).status_code, 200)


class QueueContentTests(BaseTestCase):
    def test_it_lists_every_kind_of_pending_record_oldest_first(self):
        proposition = pending_proposition("The TTP is sheltered in Afghanistan.", self.analyst)
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        stance = pending_stance(claim, proposition, self.analyst)
        approved = approve(make_claim(self.source, QUOTES[1], self.taliban, self.analyst), self.reviewer)
        revision = approved.propose_revision(self.analyst, {"paraphrase": "Denies it"})
        self.client.force_login(self.reviewer)
        response = self.client.get(QUEUE)
        self.assertEqual(listed_keys(response), [key(proposition), key(claim), key(stance), key(revision)])

    def test_it_leaves_out_drafts_and_decided_records(self):
        make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        approve(make_claim(self.source, QUOTES[1], self.taliban, self.analyst), self.reviewer)
        rejected = pending_claim(self.source, QUOTES[2], self.taliban, self.analyst)
        rejected.reject(self.reviewer, reason="Wrong speaker")
        self.client.force_login(self.reviewer)
        response = self.client.get(QUEUE)
        self.assertEqual(listed_keys(response), [])
        self.assertContains(response, "Nothing is waiting for review")

    def test_it_filters_by_kind(self):
        pending_proposition("The TTP is sheltered in Afghanistan.", self.analyst)
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.client.force_login(self.reviewer)
        self.assertEqual(listed_keys(self.client.get(QUEUE, {"kind": "claim"})), [key(claim)])

    def test_the_quote_and_its_claimant_are_shown_escaped(self):
        source = numbered_source(1, by=self.analyst, title="<i>Report</i>")
        pending_claim(source, numbered_quote(1), self.pakistan, self.analyst)
        self.client.force_login(self.reviewer)
        response = self.client.get(QUEUE)
        self.assertContains(response, "<bdi>Government of Pakistan</bdi>: “<bdi>statement number 1 is true</bdi>”")
        self.assertContains(response, "&lt;i&gt;Report&lt;/i&gt;")

    def test_query_count_does_not_grow_with_the_queue(self):
        source = numbered_source(30, by=self.analyst)
        self.client.force_login(self.reviewer)
        self.client.get(QUEUE)  # warm the content-type cache, the reviewer's account and roles
        counts = []
        for first, last in ((1, 3), (4, 30)):
            proposition = pending_proposition(f"Statements {first} to {last} are true.", self.analyst)
            for n in range(first, last + 1):
                claim = pending_claim(source, numbered_quote(n), self.pakistan, self.analyst)
                pending_stance(claim, proposition, self.analyst)
            with self.assertNumQueries(20) as context:
                self.client.get(QUEUE)
            counts.append(len(context.captured_queries))
        self.assertEqual(counts[0], counts[1])


class QueueBulkActionTests(BaseTestCase):
    def fifty_pending_items(self):
        """10 propositions, 20 claims and 20 stances linking them, all waiting for review."""
        source = numbered_source(20, by=self.analyst)
        propositions = [pending_proposition(f"Proposition {n}", self.analyst) for n in range(10)]
        claims = [pending_claim(source, numbered_quote(n), self.pakistan, self.analyst) for n in range(1, 21)]
        stances = [pending_stance(claim, propositions[i % 10], self.analyst) for i, claim in enumerate(claims)]
        return [*propositions, *claims, *stances]

    def keys(self, records):
        return [f"{record._meta.model_name}:{record.pk}" for record in records]

    def test_a_reviewer_clears_fifty_items_in_one_action(self):
        records = self.fifty_pending_items()
        self.client.force_login(self.reviewer)
        response = self.client.post(QUEUE, {"action": "approve", "item": self.keys(records)}, follow=True)
        self.assertContains(response, "Approved: 10 propositions, 20 claims, 20 stances.")
        self.assertEqual(listed_keys(response), [])
        self.assertEqual(Stance.objects.public().count(), 20)
        self.assertEqual(StateChange.objects.filter(to_state=ReviewState.APPROVED, by=self.reviewer).count(), 50)

    def test_the_new_contradictions_are_counted_once_approved(self):
        records = self.fifty_pending_items()
        self.client.force_login(self.reviewer)
        self.client.post(QUEUE, {"action": "approve", "item": self.keys(records)})
        self.assertEqual(Proposition.objects.get(statement="Proposition 0").supports_count, 2)

    def test_rejecting_asks_for_a_reason_first(self):
        claims = [pending_claim(self.source, quote, self.pakistan, self.analyst) for quote in QUOTES]
        self.client.force_login(self.reviewer)
        response = self.client.post(QUEUE, {"action": "reject", "item": self.keys(claims)})
        self.assertTemplateUsed(response, "admin/review/reject_confirmation.html")
        self.assertContains(response, 'name="reason"')
        self.assertEqual(Claim.objects.filter(state=ReviewState.PENDING).count(), 3)

    def test_rejecting_without_a_reason_is_refused(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.client.force_login(self.reviewer)
        response = self.client.post(
            QUEUE, {"action": "reject", "item": self.keys([claim]), "confirm_reject": "yes", "reason": "  "}
        )
        self.assertContains(response, "A reason is required to reject", status_code=400)
        claim.refresh_from_db()
        self.assertEqual(claim.state, ReviewState.PENDING)

    def test_rejecting_with_a_reason_records_it_on_each_item(self):
        claims = [pending_claim(self.source, quote, self.pakistan, self.analyst) for quote in QUOTES[:2]]
        self.client.force_login(self.reviewer)
        response = self.client.post(
            QUEUE,
            {
                "action": "reject",
                "item": self.keys(claims),
                "confirm_reject": "yes",
                "reason": "Pakistan is not the speaker.",
            },
        )
        self.assertRedirects(response, QUEUE)
        reasons = set(Claim.objects.values_list("state", "review_reason"))
        self.assertEqual(reasons, {(ReviewState.REJECTED, "Pakistan is not the speaker.")})

    def test_a_stance_whose_claim_is_not_selected_is_refused_with_the_reason(self):
        proposition = approve(pending_proposition("The TTP is sheltered.", self.analyst), self.reviewer)
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        stance = pending_stance(claim, proposition, self.analyst)
        self.client.force_login(self.reviewer)
        response = self.client.post(QUEUE, {"action": "approve", "item": self.keys([stance])}, follow=True)
        self.assertContains(response, "Approve its claim first")
        stance.refresh_from_db()
        self.assertEqual(stance.state, ReviewState.PENDING)

    def test_nothing_selected_changes_nothing(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.client.force_login(self.reviewer)
        response = self.client.post(QUEUE, {"action": "approve"}, follow=True)
        self.assertContains(response, "Select the items to act on first")
        claim.refresh_from_db()
        self.assertEqual(claim.state, ReviewState.PENDING)

    def test_it_requires_the_csrf_token(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        client = Client(enforce_csrf_checks=True)
        client.force_login(self.reviewer)
        response = client.post(QUEUE, {"action": "approve", "item": self.keys([claim])})
        self.assertEqual(response.status_code, 403)
        claim.refresh_from_db()
        self.assertEqual(claim.state, ReviewState.PENDING)


class AdminIndexTests(BaseTestCase):
    def test_reviewers_see_the_queue_counts(self):
        pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        pending_claim(self.source, QUOTES[1], self.taliban, self.analyst)
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("admin:index"))
        self.assertContains(response, "Open the review queue (2)")
        self.assertContains(response, '<span class="review-summary__count">2</span> claims', html=True)

    def test_analysts_see_their_own_work_by_state(self):
        rejected = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        rejected.reject(self.reviewer, reason="Wrong speaker")
        self.client.force_login(self.analyst)
        response = self.client.get(reverse("admin:index"))
        self.assertNotContains(response, "Open the review queue")
        self.assertContains(response, f"created_by__id__exact={self.analyst.pk}&amp;state__exact=rejected")

    def test_index_query_count_does_not_grow_with_the_queue(self):
        self.client.force_login(self.reviewer)
        self.client.get(reverse("admin:index"))
        for quote in QUOTES:
            pending_claim(self.source, quote, self.pakistan, self.analyst)
            with self.assertNumQueries(12):  # a pending count per kind (9), permissions (2), the log
                self.client.get(reverse("admin:index"))
