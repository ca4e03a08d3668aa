import datetime

from django.urls import reverse

from claims.models import Actor
from sources.dates import DatePrecision
from tests.base import make_source
from tests.reader.builders import ReaderTestCase


class ContradictionListTest(ReaderTestCase):
    url = reverse("reader:contradictions")

    def setUp(self):
        super().setUp()
        self.shelter = self.build_contradiction(statement="The Taliban shelter the TTP.")
        self.other_source = make_source(
            text="In 2023 the ceasefire was over. Others say it held.", title="Ceasefire report"
        )
        self.ttp = Actor.objects.create(state="approved", name="Tehrik-i-Taliban Pakistan", kind="armed_group")
        self.ceasefire = self.publish_proposition("The ceasefire ended in 2023.")
        for quote, side, claimant in (
            ("the ceasefire was over", "supports", self.ttp),
            ("Others say it held", "disputes", self.pakistan),
        ):
            self.publish_claim(
                self.other_source, quote, claimant, self.ceasefire, side,
                asserted_on=datetime.date(2023, 1, 1), asserted_precision=DatePrecision.YEAR,
            )  # fmt: skip
        self.ceasefire.refresh_from_db()

    def listed(self, **params):
        return list(self.get(self.url, query_params=params).context["page"].object_list)

    def test_it_lists_every_contradiction_newest_first(self):
        self.assertEqual(self.listed(), [self.ceasefire, self.shelter])

    def test_it_filters_by_actor(self):
        self.assertEqual(self.listed(actor=self.ttp.slug), [self.ceasefire])
        self.assertEqual(self.listed(actor=self.taliban.slug), [self.shelter])

    def test_it_filters_by_an_actor_name_typed_in_any_case(self):
        self.assertEqual(self.listed(actor="tehrik-i-taliban PAKISTAN"), [self.ceasefire])

    def test_an_actor_given_by_slug_is_shown_by_name(self):
        response = self.get(self.url, query_params={"actor": self.ttp.slug})

        self.assertContains(response, 'value="Tehrik-i-Taliban Pakistan"')

    def test_it_suggests_actors_and_sources_with_public_claims(self):
        form = self.get(self.url).context["form"]

        self.assertIn((self.ttp.name, self.ttp.slug), form.choices.actors)
        self.assertIn(("Ceasefire report", self.other_source.pk), form.choices.sources)

    def test_the_filters_are_labelled_text_fields_with_suggestions(self):
        response = self.get(self.url)

        self.assertContains(response, '<label for="id_actor">Actor</label>')
        self.assertContains(response, 'list="actor-suggestions"')
        self.assertContains(response, '<option value="Tehrik-i-Taliban Pakistan">')

    def test_it_filters_by_source_title(self):
        self.assertEqual(self.listed(source="ceasefire REPORT"), [self.ceasefire])

    def test_it_filters_by_source(self):
        self.assertEqual(self.listed(source=self.source.pk), [self.shelter])

    def test_it_filters_by_the_year_claims_were_asserted(self):
        self.assertEqual(self.listed(year=2023), [self.ceasefire])

    def test_it_offers_only_years_of_public_claims(self):
        choices = self.get(self.url).context["form"].fields["year"].choices

        self.assertEqual(choices, [("", "Any year"), (2023, "2023")])

    def test_it_sorts_by_most_claims(self):
        self.publish_claim(self.other_source, "In 2023", self.taliban, self.shelter, "supports")

        self.assertEqual(self.listed(sort="claims"), [self.shelter, self.ceasefire])

    def test_an_unknown_filter_value_is_reported_and_ignored(self):
        response = self.get(self.url, query_params={"actor": "nobody", "year": "soon"})

        self.assertContains(response, "Some filters could not be used and were ignored")
        self.assertEqual(list(response.context["page"].object_list), [self.ceasefire, self.shelter])

    def test_an_unknown_source_is_reported_by_name(self):
        response = self.get(self.url, query_params={"source": "Nowhere Times"})

        self.assertContains(response, "No source “Nowhere Times” has public claims.")

    def test_actors_without_public_claims_are_not_offered_as_filters(self):
        Actor.objects.create(state="approved", name="Nobody in particular")

        response = self.get(self.url)

        self.assertNotContains(response, "Nobody in particular")

    def test_it_paginates(self):
        for n in range(20):
            self.build_contradiction(statement=f"Contradiction {n:02}")

        first = self.get(self.url)
        second = self.get(self.url, query_params={"page": 2})

        self.assertEqual(len(first.context["page"].object_list), 20)
        self.assertContains(first, 'href="?page=2"')
        self.assertEqual(second.context["page"].object_list, [self.ceasefire, self.shelter])

    def test_pagination_keeps_the_filters(self):
        for n in range(20):
            self.build_contradiction(statement=f"Contradiction {n:02}")

        response = self.get(self.url, query_params={"actor": self.taliban.slug})

        self.assertContains(response, f'href="?actor={self.taliban.slug}&amp;page=2"')

    def test_htmx_requests_get_only_the_results(self):
        response = self.get(self.url, headers={"HX-Request": "true"})

        self.assertContains(response, '<section id="results"')
        self.assertNotContains(response, "<html")

    def test_it_never_lists_unapproved_claims_actors_or_propositions(self):
        self.unpublished_claims(self.shelter)

        response = self.get(self.url)

        self.assertNotContains(response, "Hidden")
        self.assertNotContains(response, "Unreviewed source")

    def test_query_count_does_not_grow_with_the_number_of_contradictions(self):
        with self.assertNumQueries(7):  # filter choices (years, actors, sources), count, page, claimants, facts
            self.get(self.url)
        for n in range(6):
            self.build_contradiction(statement=f"Contradiction {n}")
        with self.assertNumQueries(7):
            self.get(self.url)
