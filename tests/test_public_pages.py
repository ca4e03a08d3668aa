from django.core.cache import cache
from django.urls import reverse

from claims.models import Proposition, Side, Stance
from tests.base import BaseTestCase, approve, make_claim


class HomeTests(BaseTestCase):
    def test_it_lists_contradictions_with_counts_on_each_side(self):
        proposition = self.build_contradiction()

        response = self.client.get(reverse("reader:home"))

        self.assertContains(response, proposition.statement)
        self.assertContains(response, "1 supporting")
        self.assertContains(response, "1 disputing")

    def test_it_leaves_out_propositions_with_only_one_side(self):
        proposition = approve(
            Proposition.objects.create(statement="One-sided.", created_by=self.analyst), self.reviewer
        )
        claim = approve(make_claim(self.source, "KABUL", self.pakistan, self.analyst), self.reviewer)
        approve(
            Stance.objects.create(claim=claim, proposition=proposition, side=Side.SUPPORTS, created_by=self.analyst),
            self.reviewer,
        )

        response = self.client.get(reverse("reader:home"))

        self.assertNotContains(response, "One-sided.")

    def test_query_count_is_pinned(self):
        for n in range(3):
            self.build_contradiction(statement=f"Contradiction number {n}.")

        with self.assertNumQueries(8):  # latest, their claimants, disputed facts, five counts
            self.client.get(reverse("reader:home"))


class ContradictionPageTests(BaseTestCase):
    def test_it_shows_both_sides_with_exact_quotes(self):
        proposition = self.build_contradiction()

        response = self.client.get(proposition.get_absolute_url())

        self.assertContains(response, "the Taliban is providing shelter for TTP members")
        self.assertContains(response, "they do not provide support to TTP’s operations")
        self.assertContains(response, 'class="side side--supports"')
        self.assertContains(response, 'class="side side--disputes"')

    def test_unapproved_propositions_are_not_found(self):
        proposition = Proposition.objects.create(statement="Draft only.", created_by=self.analyst)

        response = self.client.get(proposition.get_absolute_url())

        assert response.status_code == 404

    def test_pending_claims_are_not_shown(self):
        proposition = self.build_contradiction()
        claim = make_claim(self.source, "not responsible for Pakistan’s internal security", self.taliban, self.analyst)
        stance = Stance.objects.create(
            claim=claim, proposition=proposition, side=Side.DISPUTES, created_by=self.analyst
        )
        claim.submit(self.analyst)
        stance.submit(self.analyst)

        response = self.client.get(proposition.get_absolute_url())

        self.assertNotContains(response, "internal security")

    def test_query_count_does_not_grow_with_the_number_of_claims(self):
        proposition = self.build_contradiction()
        # Proposition, stances, source texts, their captures (notices), the quotes' translations, related
        # contradictions.
        with self.assertNumQueries(6):
            self.client.get(proposition.get_absolute_url())
        for quote in ("KABUL", "Its chief spokesman", "internal security issues"):
            claim = approve(make_claim(self.source, quote, self.taliban, self.analyst), self.reviewer)
            approve(
                Stance.objects.create(
                    claim=claim, proposition=proposition, side=Side.DISPUTES, created_by=self.analyst
                ),
                self.reviewer,
            )

        cache.clear()  # the page is cached for anonymous readers; count a fresh rendering
        with self.assertNumQueries(6):
            self.client.get(proposition.get_absolute_url())
