"""Search runs on the database's own full-text engine: run these on SQLite and on PostgreSQL
(DATABASE_URL=postgres://… pytest tests/reader/test_search.py)."""

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Actor, Proposition
from search.models import SearchEntry
from search.query import search
from tests.base import make_source
from tests.reader.builders import ReaderTestCase


def found(text: str) -> list[tuple[str, str]]:
    """(kind, plain title) of each hit, best first."""
    return [(hit.kind, hit.title_html.replace("<mark>", "").replace("</mark>", "")) for hit in search(text)]


class SearchQueryTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()

    def test_it_finds_quotes_by_their_words_and_stems(self):
        self.assertIn(("claim", "the Taliban is providing shelter for TTP members"), found("sheltering"))

    def test_it_finds_claims_by_their_paraphrase(self):
        claim = self.publish_claim(
            self.source, "Its chief spokesman said", self.taliban, paraphrase="Mujahid disclaims responsibility"
        )

        self.assertEqual(found("disclaims"), [("claim", claim.quote)])

    def test_it_finds_propositions_actors_by_alias_and_sources_by_title(self):
        self.assertIn(("proposition", "The Afghan Taliban shelter the TTP."), found("shelter"))
        self.assertEqual(found("Islamabad"), [("actor", "Government of Pakistan")])
        self.assertEqual(found("sample report"), [("source", "Sample report")])

    def test_every_word_must_match(self):
        self.assertEqual(found("shelter pakistan spokesman"), [])

    def test_results_are_ranked_with_the_contradiction_first(self):
        kinds = [kind for kind, title in found("taliban shelter TTP")]

        self.assertEqual(kinds[0], "proposition")
        self.assertIn("claim", kinds)

    def test_a_match_in_a_title_outranks_a_match_in_a_body(self):
        self.publish_claim(self.source, "Its chief spokesman said", self.taliban, paraphrase="About Kandahar meetings")
        other = make_source(text="Kandahar talks ended. Nothing else.", title="Kandahar talks")
        self.publish_claim(other, "Nothing else", self.taliban)

        self.assertEqual(found("kandahar")[0], ("source", "Kandahar talks"))

    def test_matches_are_marked_and_everything_else_escaped(self):
        actor = Actor.objects.create(name="<b>Bold</b> & Sons", aliases="Shelterco")
        self.publish_claim(self.source, "Its chief spokesman said", actor)

        [hit] = [hit for hit in search("bold") if hit.kind == "actor"]

        self.assertEqual(hit.title_html, "&lt;b&gt;<mark>Bold</mark>&lt;/b&gt; &amp; Sons")

    def test_query_syntax_is_inert(self):
        for text in ('"unbalanced', "NEAR(shelter TTP)", "shelter OR nothing", "title:shelter", "shelter*", "!&|:()"):
            search(text)  # no error from the engine's query parser

    def test_drafts_pending_and_rejected_claims_are_never_found(self):
        self.unpublished_claims(self.proposition)

        self.assertEqual(search("SECRET"), [])
        self.assertEqual(search("Hidden"), [])
        self.assertEqual(search("unreviewed"), [])

    def test_draft_propositions_are_never_found(self):
        Proposition.objects.create(statement="Secretive proposition", created_by=self.analyst)

        self.assertEqual(search("secretive"), [])


class SearchIndexSyncTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()

    def test_approving_a_claim_makes_it_and_its_actor_findable(self):
        actor = Actor.objects.create(name="Newcomer")
        self.assertEqual(found("newcomer"), [])

        claim = self.publish_claim(self.source, "Its chief spokesman said", actor)

        self.assertEqual(found("newcomer"), [("actor", "Newcomer"), ("claim", claim.quote)])
        self.assertEqual(found("chief spokesman"), [("claim", claim.quote)])

    def test_returning_a_claim_to_draft_removes_it_and_actors_left_without_public_claims(self):
        actor = Actor.objects.create(name="Newcomer")
        claim = self.publish_claim(self.source, "Its chief spokesman said", actor)

        claim.return_to_draft(self.reviewer, reason="Check the quote")

        self.assertEqual(found("chief spokesman"), [])
        self.assertEqual(found("newcomer"), [])

    def test_editing_an_actor_updates_it_and_its_claims(self):
        self.taliban.name = "Islamic Emirate"
        self.taliban.save()

        self.assertEqual(
            found("emirate"),
            [("actor", "Islamic Emirate"), ("claim", "they do not provide support to TTP’s operations")],
        )

    def test_returning_a_proposition_to_draft_removes_it(self):
        self.proposition.return_to_draft(self.reviewer)

        self.assertNotIn("proposition", [kind for kind, title in found("shelter")])

    def test_rebuilding_the_index_gives_the_same_entries(self):
        before = set(SearchEntry.objects.values_list("kind", "object_id", "title", "body", "context"))

        call_command("rebuild_search_index", verbosity=0)

        self.assertEqual(set(SearchEntry.objects.values_list("kind", "object_id", "title", "body", "context")), before)
        self.assertEqual(len(before), 6)  # 1 proposition, 2 claims, 2 actors, 1 source
        self.assertTrue(search("shelter"))


class SearchPageTest(ReaderTestCase):
    url = reverse("search:results")

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()

    def test_it_shows_ranked_results_with_matches_highlighted(self):
        response = self.get(self.url, query_params={"q": "shelter"})

        self.assertContains(response, "results for “shelter”")
        self.assertContains(
            response,
            f'<a href="{self.proposition.get_absolute_url()}">The Afghan Taliban <mark>shelter</mark> the TTP.</a>',
            html=True,
        )

    def test_claim_results_link_to_their_passage_and_contradiction(self):
        claim = self.proposition.stances.get(side="supports").claim

        response = self.get(self.url, query_params={"q": "providing shelter"})

        self.assertContains(response, f'href="{claim.get_absolute_url()}"')
        self.assertContains(response, f'href="{self.proposition.get_absolute_url()}#claim-{claim.pk}"')

    def test_the_query_is_escaped_on_the_page(self):
        response = self.get(self.url, query_params={"q": "<script>alert(1)</script>"})

        self.assertNotContains(response, "<script>alert(1)</script>")
        self.assertContains(response, "&lt;script&gt;alert(1)&lt;/script&gt;")

    def test_punctuation_alone_is_explained(self):
        response = self.get(self.url, query_params={"q": "?!"})

        self.assertContains(response, "punctuation alone matches nothing")

    def test_no_match_is_explained(self):
        response = self.get(self.url, query_params={"q": "zebra"})

        self.assertContains(response, "No approved quote, contradiction, actor or source matches every word of “zebra”")

    def test_a_too_long_query_is_refused_with_a_message(self):
        response = self.get(self.url, query_params={"q": "word " * 50})

        self.assertContains(response, "Searches are limited to 200 characters")

    def test_without_a_query_it_shows_the_form(self):
        response = self.get(self.url)

        self.assertContains(response, '<input type="search" name="q"')
        self.assertNotContains(response, "results for")

    def test_it_paginates(self):
        source = make_source(text=". ".join(f"Kandahar item {n:02}" for n in range(25)), title="List")
        for n in range(25):
            self.publish_claim(source, f"Kandahar item {n:02}", self.taliban)

        response = self.get(self.url, query_params={"q": "kandahar", "page": 2})

        self.assertEqual(response.context["page"].paginator.count, 25)
        self.assertEqual(len(response.context["results"]), 5)

    def test_query_count_does_not_grow_with_the_number_of_results(self):
        watch = make_source(text="Taliban watch: a weekly digest.", title="Taliban watch")
        self.publish_claim(watch, "a weekly digest", self.pakistan)
        with self.assertNumQueries(6):  # search, propositions, claims, their stances, actors, sources
            self.get(self.url, query_params={"q": "taliban"})
        for n in range(5):
            self.build_contradiction(statement=f"The Taliban statement {n}.")
        with self.assertNumQueries(6):
            response = self.get(self.url, query_params={"q": "taliban"})
        self.assertGreater(len(response.context["results"]), 8)

    def test_a_repeated_search_is_not_ranked_again(self):
        self.client.force_login(self.analyst)
        with CaptureQueriesContext(connection) as first:
            self.client.get(self.url, query_params={"q": "shelter"})
        with CaptureQueriesContext(connection) as second:
            response = self.client.get(self.url, query_params={"q": "shelter"})

        self.assertEqual(len(first) - len(second), 1)  # the search itself
        self.assertContains(response, "<mark>shelter</mark>")

    def test_a_newly_approved_claim_is_found_at_once(self):
        self.client.force_login(self.analyst)
        self.client.get(self.url, query_params={"q": "spokesman"})

        with self.captureOnCommitCallbacks(execute=True):
            self.publish_claim(self.source, "Its chief spokesman said", self.taliban)

        self.assertContains(self.client.get(self.url, query_params={"q": "spokesman"}), "<mark>spokesman</mark>")
