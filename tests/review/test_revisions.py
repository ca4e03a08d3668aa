"""Revisions of approved records: proposed, kept from readers, approved or rejected with a reason."""

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from claims.models import (
    Claim,
    FieldChange,
    Proposition,
    ReviewError,
    ReviewState,
    Revision,
    Side,
    StaleEdit,
    review_records,
)
from tests.base import BaseTestCase, approve, make_claim
from tests.review.records import QUOTES


class ProposeRevisionTests(BaseTestCase):
    def setUp(self):
        self.claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst), self.reviewer)

    def test_it_waits_for_review_and_leaves_the_record_alone(self):
        revision = self.claim.propose_revision(self.analyst, {"paraphrase": "Pakistan accuses the Taliban."})
        self.claim.refresh_from_db()
        self.assertEqual(revision.state, ReviewState.PENDING)
        self.assertEqual(self.claim.paraphrase, QUOTES[0])
        self.assertEqual(revision.changes, {"paraphrase": "Pakistan accuses the Taliban."})
        self.assertEqual(revision.base_version, self.claim.version)

    def test_only_approved_records_are_revised(self):
        draft = make_claim(self.source, QUOTES[1], self.taliban, self.analyst)
        with self.assertRaisesMessage(ReviewError, "edit it directly"):
            draft.propose_revision(self.analyst, {"paraphrase": "New"})

    def test_it_needs_the_change_permission(self):
        with self.assertRaises(PermissionDenied):
            self.claim.propose_revision(self.outsider, {"paraphrase": "New"})
        self.assertFalse(Revision.objects.exists())

    def test_only_revisable_fields_can_be_changed(self):
        with self.assertRaisesMessage(ReviewError, "cannot be revised: source, state"):
            self.claim.propose_revision(self.analyst, {"state": "draft", "source": self.source.pk})

    def test_a_proposal_that_changes_nothing_is_refused(self):
        with self.assertRaisesMessage(ReviewError, "Nothing changed"):
            self.claim.propose_revision(self.analyst, {"paraphrase": self.claim.paraphrase})

    def test_one_revision_at_a_time(self):
        self.claim.propose_revision(self.analyst, {"paraphrase": "First"})
        with self.assertRaisesMessage(ReviewError, "already waiting for review"):
            self.claim.propose_revision(self.other_analyst, {"paraphrase": "Second"})

    def test_an_outdated_version_is_a_stale_edit(self):
        with self.assertRaises(StaleEdit):
            self.claim.propose_revision(self.analyst, {"paraphrase": "New"}, expected_version=self.claim.version - 1)

    def test_invalid_values_are_refused_with_the_field(self):
        with self.assertRaises(ValidationError) as raised:
            self.claim.propose_revision(self.analyst, {"reported_by": self.pakistan})
        self.assertIn("reported_by", raised.exception.message_dict)

    def test_a_changed_quote_is_anchored_again(self):
        revision = self.claim.propose_revision(self.analyst, {"quote": "Taliban is providing  shelter"})
        start = self.source.text.index("Taliban is providing shelter")
        self.assertEqual(revision.changes["quote"], "Taliban is providing shelter")
        self.assertEqual((revision.changes["start"], revision.changes["end"]), (start, start + 28))

    def test_a_quote_not_in_the_source_is_refused_with_the_reason(self):
        with self.assertRaises(ValidationError) as raised:
            self.claim.propose_revision(self.analyst, {"quote": "words nobody wrote"})
        self.assertIn("not in the source text", raised.exception.message_dict["quote"][0])


class ReviewRevisionTests(BaseTestCase):
    def setUp(self):
        self.claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst), self.reviewer)
        self.revision = self.claim.propose_revision(
            self.analyst,
            {"paraphrase": "Pakistan accuses the Taliban.", "asserted_on": "2022-11-01", "asserted_precision": "month"},
            note="Date from the article",
        )

    def test_approving_applies_the_changes_and_bumps_the_version(self):
        version = self.claim.version
        self.revision.approve(self.reviewer)
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.paraphrase, "Pakistan accuses the Taliban.")
        self.assertEqual(self.claim.asserted_on, datetime.date(2022, 11, 1))
        self.assertEqual(self.claim.version, version + 1)

    def test_approving_writes_the_field_history(self):
        self.revision.approve(self.reviewer)
        change = FieldChange.objects.for_record(self.claim).get(field="paraphrase")
        self.assertEqual((change.old, change.new), (QUOTES[0], "Pakistan accuses the Taliban."))
        self.assertEqual((change.by, change.revision), (self.analyst, self.revision))

    def test_rejecting_needs_a_reason_and_leaves_the_record_alone(self):
        with self.assertRaises(ReviewError):
            self.revision.reject(self.reviewer, reason="")
        self.revision.reject(self.reviewer, reason="The article gives no month.")
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.paraphrase, QUOTES[0])
        self.assertEqual(self.revision.review_reason, "The article gives no month.")

    def test_a_revision_of_a_record_changed_since_cannot_be_approved(self):
        self.claim.return_to_draft(self.reviewer, reason="Needs another look")
        with self.assertRaisesMessage(ReviewError, "changed after this revision was proposed"):
            self.revision.approve(self.other_reviewer)
        self.claim.refresh_from_db()
        self.assertEqual(self.claim.paraphrase, QUOTES[0])

    def test_only_reviewers_approve_revisions(self):
        with self.assertRaises(PermissionDenied):
            self.revision.approve(self.other_analyst)

    def test_a_rejected_record_may_be_revised_again(self):
        self.revision.reject(self.reviewer, reason="No")
        second = self.claim.propose_revision(self.analyst, {"paraphrase": "Another try"})
        self.assertEqual(second.state, ReviewState.PENDING)


class RevisionHiddenFromReadersTests(BaseTestCase):
    """Nothing in a pending revision reaches a public page, the JSON, the feed or the counts."""

    def setUp(self):
        self.proposition = self.build_contradiction()
        self.claim = self.proposition.stances.get(side=Side.SUPPORTS).claim
        self.revision = self.claim.propose_revision(
            self.analyst, {"quote": "providing shelter for TTP members", "paraphrase": "REVISED PARAPHRASE"}
        )

    def public_pages(self):
        return [
            reverse("reader:home"),
            reverse("reader:contradictions"),
            self.proposition.get_absolute_url(),
            reverse("reader:contradiction_json", args=[self.proposition.slug]),
            self.pakistan.get_absolute_url(),
            reverse("reader:source", args=[self.source.pk]),
            reverse("reader:feed"),
            reverse("reader:search") + "?q=REVISED",
            reverse("reader:search") + "?q=Pakistan",
            reverse("api:claims"),
            reverse("api:claim", args=[self.claim.pk]),
            reverse("api:stances"),
            reverse("api:contradiction", args=[self.proposition.slug]),
        ]

    def test_readers_keep_seeing_the_approved_version(self):
        for url in self.public_pages():
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "REVISED PARAPHRASE")

    def test_the_contradiction_page_shows_the_new_version_once_approved(self):
        self.revision.approve(self.reviewer)
        response = self.client.get(self.proposition.get_absolute_url())
        self.assertContains(response, "REVISED PARAPHRASE")

    def test_a_pending_side_change_does_not_move_the_public_counts(self):
        stance = self.proposition.stances.get(side=Side.DISPUTES)
        revision = stance.propose_revision(self.analyst, {"side": Side.SUPPORTS})
        self.proposition.refresh_from_db()
        self.assertEqual((self.proposition.supports_count, self.proposition.disputes_count), (1, 1))
        revision.approve(self.reviewer)
        self.proposition.refresh_from_db()
        self.assertEqual((self.proposition.supports_count, self.proposition.disputes_count), (2, 0))

    def test_a_revised_statement_stays_out_of_the_home_page_until_approved(self):
        revision = self.proposition.propose_revision(self.analyst, {"statement": "REVISED STATEMENT"})
        self.assertNotContains(self.client.get(reverse("reader:home")), "REVISED STATEMENT")
        review_records([revision], "approve", self.reviewer)
        self.assertEqual(Proposition.objects.get(pk=self.proposition.pk).statement, "REVISED STATEMENT")


class RevisionAdminTests(BaseTestCase):
    def setUp(self):
        self.claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst), self.reviewer)
        self.revision = self.claim.propose_revision(self.analyst, {"paraphrase": "Pakistan <b>accuses</b>"})
        self.url = reverse("admin:claims_revision_change", args=[self.revision.pk])

    def test_the_review_page_shows_the_diff_field_by_field(self):
        self.client.force_login(self.reviewer)
        response = self.client.get(self.url)
        self.assertContains(response, f"<del>{QUOTES[0]}</del>", html=True)
        self.assertContains(response, "<ins>Pakistan &lt;b&gt;accuses&lt;/b&gt;</ins>", html=True)

    def test_the_record_page_shows_the_waiting_revision(self):
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("admin:claims_claim_change", args=[self.claim.pk]))
        self.assertContains(response, "A revision waits for review")
        self.assertContains(response, self.url)

    def test_a_reviewer_approves_it_from_its_page(self):
        self.client.force_login(self.reviewer)
        self.client.post(self.url, {"CHANGE_FORM-action": "approve_selected", "_selected_action": self.revision.pk})
        self.assertEqual(Claim.objects.get(pk=self.claim.pk).paraphrase, "Pakistan <b>accuses</b>")

    def test_an_analyst_cannot_approve_it(self):
        self.client.force_login(self.other_analyst)
        self.client.post(self.url, {"CHANGE_FORM-action": "approve_selected", "_selected_action": self.revision.pk})
        self.revision.refresh_from_db()
        self.assertEqual(self.revision.state, ReviewState.PENDING)

    def test_nobody_edits_or_deletes_a_revision_in_the_admin(self):
        self.client.force_login(self.admin)
        response = self.client.get(self.url)
        self.assertContains(response, "<h1>View revision</h1>", html=True)
        self.assertNotContains(response, 'name="_save"')
        self.assertNotContains(response, 'class="deletelink"')
