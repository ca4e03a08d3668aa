"""Type-ahead for actors and propositions, duplicate hints for paraphrases and statements, the proposition list."""

from django.urls import reverse

from claims.models import Actor, Proposition
from desk.matching import _full_text_hits, similar_claims, similar_propositions
from tests.base import approve, make_claim
from tests.desk.base import HTMX, DeskTestCase


class ActorSuggestionTests(DeskTestCase):
    url = reverse("desk:actor_suggestions")

    def setUp(self):
        self.login()

    def test_it_suggests_actors_by_name_and_alias(self):
        with self.assertNumQueries(3):
            response = self.client.get(self.url, {"field": "claimant", "claimant": "islam"}, **HTMX)
        self.assertContains(response, 'data-fill="id_claimant" data-value="Government of Pakistan"', count=1)
        self.assertContains(response, 'class="suggestion"', count=1)

    def test_it_fills_the_field_it_was_asked_for(self):
        response = self.client.get(self.url, {"field": "reported_by", "reported_by": "Afghan"}, **HTMX)
        self.assertContains(response, 'data-fill="id_reported_by"')

    def test_it_offers_to_create_an_actor_nobody_matches(self):
        response = self.client.get(self.url, {"field": "claimant", "claimant": "Mujahid"}, **HTMX)
        self.assertContains(response, "No actor matches “Mujahid”")

    def test_it_waits_for_two_letters(self):
        response = self.client.get(self.url, {"field": "claimant", "claimant": "a"}, **HTMX)
        self.assertEqual(response.content.strip(), b"")

    def test_its_query_count_does_not_grow_with_matches(self):
        for number in range(6):
            Actor.objects.create(state="approved", name=f"Taliban official {number}")
        with self.assertNumQueries(3):
            self.client.get(self.url, {"field": "claimant", "claimant": "Taliban"}, **HTMX)

    def test_an_unknown_field_is_a_404(self):
        response = self.client.get(self.url, {"field": "password"}, **HTMX)
        self.assertEqual(response.status_code, 404)


class PropositionSuggestionTests(DeskTestCase):
    url = reverse("desk:proposition_suggestions")

    def setUp(self):
        self.login()

    def test_it_suggests_similar_propositions_to_use_instead(self):
        with self.assertNumQueries(4):  # the full-text index, then shared words when it finds nothing
            response = self.client.get(self.url, {"field": "proposition", "proposition": "Taliban shelter TTP"}, **HTMX)
        self.assertContains(response, f'data-fill="id_proposition" data-value="{self.proposition.statement}"', count=1)
        self.assertContains(response, 'class="suggestion"', count=1)

    def test_while_writing_a_new_statement_it_links_to_similar_boards(self):
        response = self.client.get(self.url, {"field": "statement", "statement": "Taliban give TTP shelter"}, **HTMX)
        self.assertContains(response, "Similar propositions already exist")
        self.assertContains(response, reverse("desk:board", args=[self.proposition.slug]))

    def test_editing_a_statement_does_not_suggest_itself(self):
        response = self.client.get(
            self.url, {"field": "statement", "statement": self.proposition.statement, "exclude": self.proposition.pk}
        )
        self.assertEqual(response.content.strip(), b"")


class SimilarClaimTests(DeskTestCase):
    url = reverse("desk:similar_claims")

    def setUp(self):
        self.login()

    def test_it_hints_at_claims_that_say_much_the_same(self):
        with self.assertNumQueries(4):  # the full-text index, then shared words when it finds nothing
            response = self.client.get(self.url, {"paraphrase": "Taliban providing shelter to TTP"}, **HTMX)
        self.assertContains(response, "Similar claims already recorded")
        self.assertContains(response, "<li>", count=1)
        self.assertContains(response, f'{reverse("desk:source", args=[self.source.pk])}#hl-{self.claim.pk}"')

    def test_it_stays_quiet_when_nothing_is_similar(self):
        response = self.client.get(self.url, {"paraphrase": "Weather in Lahore was fine"}, **HTMX)
        self.assertEqual(response.content.strip(), b"")

    def test_it_leaves_out_the_claim_being_edited(self):
        response = self.client.get(self.url, {"paraphrase": self.claim.paraphrase, "exclude": self.claim.pk}, **HTMX)
        self.assertEqual(response.content.strip(), b"")


class FullTextHintTests(DeskTestCase):
    """Public records come from the search index; my own unpublished ones are added by shared words."""

    def setUp(self):
        self.public = approve(
            make_claim(self.source, "they do not provide support to TTP’s operations", self.taliban, self.analyst),
            self.reviewer,
        )

    def test_a_public_claim_is_found_through_the_full_text_index(self):
        text = "The Taliban provide no support to TTP operations"
        self.assertEqual(_full_text_hits(text, "claim", limit=5), [self.public.pk])
        self.assertIn(self.public, similar_claims(text, user=self.analyst))

    def test_my_drafts_join_the_public_hits(self):
        mine = make_claim(self.source, "Its chief spokesman", self.taliban, self.analyst, paraphrase="TTP operations")
        found = similar_claims("support TTP operations", user=self.analyst)
        self.assertEqual(found, [mine, self.public])

    def test_other_analysts_drafts_do_not_join_public_hits(self):
        make_claim(self.source, "Its chief spokesman", self.taliban, self.other_analyst, paraphrase="TTP operations")
        found = similar_claims("support TTP operations", user=self.analyst)
        self.assertEqual(found, [self.public])

    def test_public_propositions_are_found_through_the_index(self):
        public = approve(
            Proposition.objects.create(statement="Kabul arms the TTP fighters.", created_by=self.analyst),
            self.reviewer,
        )
        self.assertEqual(_full_text_hits("Kabul arms TTP fighters", "proposition", limit=5), [public.pk])
        self.assertEqual(similar_propositions("Kabul arms TTP fighters", user=self.analyst)[0], public)


class MatchingTests(DeskTestCase):
    def test_similar_claims_rank_by_shared_words(self):
        close = make_claim(self.source, "they do not provide support to TTP’s operations", self.taliban, self.analyst)
        found = similar_claims("Taliban do not provide support to TTP operations")
        self.assertEqual(found[0], close)

    def test_common_words_alone_are_not_similarity(self):
        self.assertEqual(similar_propositions("The of and the"), [])

    def test_similar_propositions_ignore_case(self):
        self.assertEqual(similar_propositions("AFGHAN TALIBAN SHELTER"), [self.proposition])


class PropositionListTests(DeskTestCase):
    url = reverse("desk:propositions")

    def setUp(self):
        self.login()

    def test_it_lists_propositions_in_every_state(self):
        response = self.client.get(self.url)
        self.assertContains(response, reverse("desk:board", args=[self.proposition.slug]))

    def test_it_searches_by_every_word(self):
        Proposition.objects.create(statement="Mediation can bring peace.", created_by=self.analyst)
        response = self.client.get(self.url, {"q": "taliban TTP"}, **HTMX)
        self.assertContains(response, 'class="record-row"', count=1)
        self.assertContains(response, reverse("desk:board", args=[self.proposition.slug]))
        self.assertNotContains(response, "<html")

    def test_its_query_count_does_not_grow_with_the_propositions(self):
        for number in range(5):
            Proposition.objects.create(statement=f"Statement {number}", created_by=self.analyst)
        with self.assertNumQueries(3):
            self.client.get(self.url)
