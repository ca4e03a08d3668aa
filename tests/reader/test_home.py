from django.urls import reverse

from claims.models import Proposition
from tests.reader.builders import ReaderTestCase


class HomePageTest(ReaderTestCase):
    url = reverse("reader:home")

    def test_it_leads_with_the_latest_contradictions_and_a_search_box(self):
        older = self.build_contradiction(statement="Older contradiction.")
        newer = self.build_contradiction(statement="Newer contradiction.")

        response = self.get(self.url)

        self.assertEqual(list(response.context["contradictions"]), [newer, older])
        self.assertContains(response, '<form class="big-search" role="search" method="get" action="/search/">')
        self.assertContains(response, '<label for="home-search-q">')

    def test_each_card_says_who_supports_and_who_disputes(self):
        self.build_contradiction()

        response = self.get(self.url)

        self.assertContains(
            response, '<span class="visually-hidden">Supported by </span><bdi>Government of Pakistan</bdi>'
        )
        self.assertContains(response, '<span class="visually-hidden">; disputed by </span><bdi>Afghan Taliban</bdi>')

    def test_it_counts_only_public_records(self):
        proposition = self.build_contradiction()
        self.unpublished_claims(proposition)
        Proposition.objects.create(statement="A draft proposition", created_by=self.analyst)

        counts = self.get(self.url).context["counts"]

        self.assertEqual(counts, {"contradictions": 1, "disputed_facts": 0, "claims": 2, "actors": 2, "sources": 1})

    def test_it_never_shows_propositions_without_both_sides_or_unapproved(self):
        self.publish_proposition("Approved but uncontested.")
        Proposition.objects.create(statement="Draft proposition SECRET", created_by=self.analyst)

        response = self.get(self.url)

        self.assertNotContains(response, "Approved but uncontested.")
        self.assertNotContains(response, "SECRET")
        self.assertContains(response, "No contradictions have been approved yet.")

    def test_query_count_does_not_grow_with_the_number_of_contradictions(self):
        self.build_contradiction(statement="One")
        with self.assertNumQueries(8):  # latest, their claimants, disputed facts, five counts
            self.get(self.url)
        for n in range(5):
            self.build_contradiction(statement=f"More {n}")
        with self.assertNumQueries(8):
            self.get(self.url)
