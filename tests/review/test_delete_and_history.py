"""Deleting is for administrators and never breaks references; every change leaves history."""

from django.urls import reverse

from claims.models import Actor, Claim, FieldChange, ReviewError, ReviewState, StateChange
from sources.models import Source
from tests.base import BaseTestCase, approve, make_claim
from tests.review.records import QUOTES, pending_claim


class DeleteTests(BaseTestCase):
    def test_analysts_cannot_delete(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.client.force_login(self.analyst)
        response = self.client.post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(Claim.objects.filter(pk=claim.pk).exists())

    def test_reviewers_cannot_delete(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.client.force_login(self.reviewer)
        response = self.client.post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})
        self.assertEqual(response.status_code, 403)

    def test_an_admin_deletes_an_unreferenced_draft(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.client.force_login(self.admin)
        self.client.post(reverse("admin:claims_claim_delete", args=[claim.pk]), {"post": "yes"})
        self.assertFalse(Claim.objects.filter(pk=claim.pk).exists())

    def test_a_source_with_claims_is_protected_with_a_clear_page(self):
        make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.client.force_login(self.admin)
        response = self.client.post(reverse("admin:sources_source_delete", args=[self.source.pk]), {"post": "yes"})
        self.assertContains(response, "would require deleting the following protected related objects")
        self.assertTrue(Source.objects.filter(pk=self.source.pk).exists())

    def test_a_bulk_delete_of_referenced_actors_is_refused(self):
        make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.client.force_login(self.admin)
        response = self.client.post(
            reverse("admin:claims_actor_changelist"),
            {"action": "delete_selected", "_selected_action": [self.pakistan.pk, self.taliban.pk], "post": "yes"},
        )
        self.assertContains(response, "protected")
        self.assertEqual(Actor.objects.count(), 2)

    def test_the_audit_trail_cannot_be_deleted_even_by_admins(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        change = claim.history().get()
        self.client.force_login(self.admin)
        response = self.client.post(reverse("admin:claims_statechange_delete", args=[change.pk]), {"post": "yes"})
        self.assertEqual(response.status_code, 403)
        self.assertTrue(StateChange.objects.filter(pk=change.pk).exists())


class HistoryTests(BaseTestCase):
    def test_every_state_change_is_recorded_with_who_and_why(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        claim.reject(self.reviewer, reason="Wrong speaker")
        claim.submit(self.analyst)
        claim.approve(self.other_reviewer)
        steps = [(c.from_state, c.to_state, c.by, c.reason) for c in claim.history().order_by("at", "pk")]
        self.assertEqual(
            steps,
            [
                ("draft", "pending", self.analyst, ""),
                ("pending", "rejected", self.reviewer, "Wrong speaker"),
                ("rejected", "pending", self.analyst, ""),
                ("pending", "approved", self.other_reviewer, ""),
            ],
        )

    def test_save_edit_records_each_changed_field_and_who(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        claim.paraphrase, claim.claimant = "New words", self.taliban
        claim.save_edit(expected_version=claim.version, fields=["paraphrase", "claimant"], by=self.analyst)
        changes = {c.field: (c.old, c.new, c.by) for c in FieldChange.objects.for_record(claim)}
        self.assertEqual(changes["paraphrase"], (QUOTES[0], "New words", self.analyst))
        self.assertEqual(
            changes["claimant"],
            (f"Government of Pakistan (#{self.pakistan.pk})", f"Afghan Taliban (#{self.taliban.pk})", self.analyst),
        )

    def test_unchanged_fields_leave_no_history(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        claim.save_edit(expected_version=claim.version, fields=["paraphrase"], by=self.analyst)
        self.assertFalse(FieldChange.objects.exists())

    def test_an_approved_record_is_not_edited_in_place(self):
        claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst), self.reviewer)
        claim.paraphrase = "Changed behind the reviewer's back"
        with self.assertRaisesMessage(ReviewError, "propose a revision instead"):
            claim.save_edit(expected_version=claim.version, fields=["paraphrase"], by=self.analyst)
        self.assertEqual(Claim.objects.get(pk=claim.pk).paraphrase, QUOTES[0])

    def test_history_pages_are_read_only_for_everyone(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.client.force_login(self.admin)
        response = self.client.get(reverse("admin:claims_statechange_change", args=[claim.history().get().pk]))
        self.assertContains(response, "<h1>View state change</h1>", html=True)
        self.assertNotContains(response, 'name="_save"')

    def test_the_field_history_list_shows_who_changed_what(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        claim.paraphrase = "New words"
        claim.save_edit(expected_version=claim.version, fields=["paraphrase"], by=self.analyst)
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("admin:claims_fieldchange_changelist"))
        self.assertContains(response, "New words")
        self.assertContains(response, f'href="{reverse("admin:claims_claim_change", args=[claim.pk])}"')

    def test_rejections_and_reasons_stay_on_the_record_for_the_desk(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        claim.reject(self.reviewer, reason="Quote cut mid-sentence")
        rejected = Claim.objects.filter(created_by=self.analyst, state=ReviewState.REJECTED).get()
        self.assertEqual(rejected.review_reason, "Quote cut mid-sentence")
