"""Who may open which admin page, what the claim page shows, and how many queries each page costs."""

import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Proposition, Stance
from tests.base import BaseTestCase, approve, make_claim, make_source, make_user
from tests.review.records import (
    QUOTES,
    numbered_quote,
    numbered_source,
    pending_claim,
    pending_proposition,
    pending_stance,
)

CHANGELISTS = [
    "claims_actor",
    "claims_proposition",
    "claims_claim",
    "claims_stance",
    "claims_revision",
    "claims_statechange",
    "claims_fieldchange",
    "sources_source",
]


def changelist(name: str) -> str:
    return reverse(f"admin:{name}_changelist")


class PageAccessTests(BaseTestCase):
    def setUp(self):
        self.claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.pages = [changelist(name) for name in CHANGELISTS] + [
            reverse("admin:claims_claim_change", args=[self.claim.pk]),
            reverse("admin:claims_claim_add"),
        ]

    def assert_status(self, expected: int):
        for url in self.pages:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, expected)

    def test_anonymous_is_sent_to_log_in(self):
        self.assert_status(302)

    def test_outsider_is_sent_to_log_in(self):
        self.client.force_login(self.outsider)
        self.assert_status(302)

    def test_staff_without_a_role_sees_nothing(self):
        self.client.force_login(make_user("stan", is_staff=True))
        self.assert_status(403)

    def test_analyst_opens_every_page(self):
        self.client.force_login(self.analyst)
        self.assert_status(200)

    def test_reviewer_opens_every_page(self):
        self.client.force_login(self.reviewer)
        self.assert_status(200)

    def test_admin_opens_every_page(self):
        self.client.force_login(self.admin)
        self.assert_status(200)

    def test_nobody_adds_history_or_revisions_by_hand(self):
        self.client.force_login(self.admin)
        for name in ("claims_statechange", "claims_fieldchange", "claims_revision"):
            with self.subTest(name=name):
                self.assertEqual(self.client.get(reverse(f"admin:{name}_add")).status_code, 403)


class ClaimPageTests(BaseTestCase):
    def setUp(self):
        self.claim = pending_claim(
            self.source, QUOTES[0], self.pakistan, self.analyst, reported_by=self.taliban, paraphrase="Shelter"
        )
        self.url = reverse("admin:claims_claim_change", args=[self.claim.pk])
        self.client.force_login(self.reviewer)

    def test_it_marks_the_quote_inside_its_paragraph(self):
        response = self.client.get(self.url)
        self.assertContains(
            response,
            '<blockquote class="quote-in-context" lang="en" dir="ltr">KABUL – Pakistan claims that '
            "<mark>the Taliban is providing shelter for TTP members</mark> in Afghanistan.</blockquote>",
            html=True,
        )

    def test_other_paragraphs_stay_out_of_the_context(self):
        response = self.client.get(self.url)
        self.assertContains(response, "</mark> in Afghanistan.</blockquote>", count=1)
        context = re.search(r'<blockquote class="quote-in-context"[^>]*>(.*?)</blockquote>', response.text, re.DOTALL)
        self.assertNotIn("However", context[1])

    def test_the_source_text_is_escaped(self):
        source = make_source(text="Intro.\n\nThe <script>alert(1)</script> minister said: we will talk.", title="Raw")
        claim = make_claim(source, "we will talk", self.pakistan, self.analyst)
        response = self.client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
        self.assertContains(
            response, "The &lt;script&gt;alert(1)&lt;/script&gt; minister said: <mark>we will talk</mark>"
        )
        self.assertNotContains(response, "<script>alert(1)</script>")

    def test_right_to_left_sources_keep_their_direction(self):
        source = make_source(text="طالبان گفتند که از تحریک طالبان حمایت نمی‌کنند.", title="Persian", language="fa")
        claim = make_claim(source, "از تحریک طالبان حمایت نمی‌کنند", self.taliban, self.analyst)
        response = self.client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
        self.assertContains(response, 'class="quote-in-context" lang="fa" dir="rtl"')

    def test_it_shows_who_said_it_through_whom_and_where(self):
        response = self.client.get(self.url)
        self.assertContains(response, "Government of Pakistan</a>")
        self.assertContains(
            response,
            'as reported by <a href="{}">Afghan Taliban</a>'.format(
                reverse("admin:claims_actor_change", args=[self.taliban.pk])
            ),
        )
        self.assertContains(response, "Sample report</a>")

    def test_it_lists_the_stances_with_their_propositions(self):
        proposition = pending_proposition("The TTP is sheltered in Afghanistan.", self.analyst)
        pending_stance(self.claim, proposition, self.analyst)
        response = self.client.get(self.url)
        self.assertContains(response, "The TTP is sheltered in Afghanistan.</a>")
        self.assertContains(response, '<span class="side-badge side-badge--supports">Supports</span>', html=True)

    def test_it_shows_the_history(self):
        self.claim.reject(self.reviewer, reason="Wrong claimant")
        response = self.client.get(self.url)
        self.assertContains(response, "Pending review → Rejected")
        self.assertContains(response, "<q>Wrong claimant</q>", html=True)

    def test_the_review_state_cannot_be_edited(self):
        self.claim.return_to_draft(self.analyst)
        self.client.force_login(self.analyst)
        response = self.client.get(self.url)
        self.assertContains(response, 'name="_save"')  # the form is editable
        self.assertContains(response, 'name="paraphrase"')
        self.assertNotContains(response, 'name="state"')


class QueryCountTests(BaseTestCase):
    """Every admin page costs the same number of queries however many rows it shows."""

    def setUp(self):
        self.numbers = numbered_source(30, by=self.analyst)
        self.next_number = 1
        self.proposition = approve(
            Proposition.objects.create(statement="Numbers", created_by=self.analyst), self.reviewer
        )

    def add_rows(self, count: int) -> None:
        """Approved claims with stances, approved and pending revisions: rows for every list."""
        for n in range(self.next_number, self.next_number + count):
            claim = approve(make_claim(self.numbers, numbered_quote(n), self.pakistan, self.analyst), self.reviewer)
            approve(
                Stance.objects.create(
                    claim=claim, proposition=self.proposition, side="supports", created_by=self.analyst
                ),
                self.reviewer,
            )
            approve(claim.propose_revision(self.analyst, {"paraphrase": f"Revised {n}"}), self.reviewer)
            claim.propose_revision(self.analyst, {"paraphrase": f"Revised again {n}"})
        self.next_number += count

    def assert_constant(self, url: str, expected: int, grow=None):
        grow = grow or self.add_rows
        self.client.force_login(self.reviewer)
        self.client.get(url)  # warm caches (content types, the reviewer's account and roles)
        counts = []
        for size in (1, 6):
            grow(size)
            with CaptureQueriesContext(connection) as queries:
                self.assertEqual(self.client.get(url).status_code, 200)
            counts.append(len(queries))
        self.assertEqual(counts, [expected, expected])

    def test_claims(self):
        self.assert_constant(changelist("claims_claim"), 10)

    def test_claims_filtered_to_pending(self):
        self.assert_constant(changelist("claims_claim") + "?state__exact=pending", 10)

    def test_stances(self):
        self.assert_constant(changelist("claims_stance"), 9)

    def test_propositions(self):
        self.assert_constant(changelist("claims_proposition"), 9)

    def test_actors(self):
        self.assert_constant(changelist("claims_actor"), 8)

    def test_sources(self):
        self.assert_constant(changelist("sources_source"), 9)

    def test_revisions(self):
        self.assert_constant(changelist("claims_revision"), 9)

    def test_state_changes(self):
        self.assert_constant(changelist("claims_statechange"), 9)

    def test_field_changes(self):
        self.assert_constant(changelist("claims_fieldchange"), 10)

    def test_the_claim_page_with_more_stances_and_history(self):
        claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)

        def grow(size):
            for _ in range(size):
                proposition = pending_proposition(f"Proposition {self.next_number}", self.analyst)
                pending_stance(claim, proposition, self.analyst)
                claim.paraphrase = f"Paraphrase {self.next_number}"
                claim.save_edit(expected_version=claim.version, fields=["paraphrase"], by=self.analyst)
                self.next_number += 1

        self.assert_constant(reverse("admin:claims_claim_change", args=[claim.pk]), 8, grow)

    def test_the_proposition_page_with_more_claims(self):
        proposition = pending_proposition("Numbers are true", self.analyst)

        def grow(size):
            for n in range(self.next_number, self.next_number + size):
                claim = pending_claim(self.numbers, numbered_quote(n), self.pakistan, self.analyst)
                pending_stance(claim, proposition, self.analyst)
            self.next_number += size

        self.assert_constant(reverse("admin:claims_proposition_change", args=[proposition.pk]), 8, grow)

    def test_the_stance_page_with_more_history(self):
        stance = pending_stance(
            pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst),
            pending_proposition("Sheltered", self.analyst),
            self.analyst,
        )

        def grow(size):
            for _ in range(size):
                stance.return_to_draft(self.analyst)
                stance.submit(self.analyst)

        self.assert_constant(reverse("admin:claims_stance_change", args=[stance.pk]), 10, grow)

    def test_the_revision_page(self):
        claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst), self.other_reviewer)
        revision = claim.propose_revision(self.analyst, {"paraphrase": "New", "claimant": self.taliban})
        self.assert_constant(reverse("admin:claims_revision_change", args=[revision.pk]), 9)
