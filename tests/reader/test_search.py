"""Search runs on the database's own full-text engine: run these on SQLite and on PostgreSQL
(DATABASE_URL=postgres://… pytest tests/reader/test_search.py)."""

from django.core.management import call_command
from django.db import connection
from django.test import SimpleTestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Actor, Answer, Claim, Proposition, Question
from search.models import SearchEntry
from search.query import Term, find, parse_query, search
from search.sync import indexing_once
from tests.base import approve, make_source
from tests.reader.builders import ReaderTestCase

# What readers type that a full-text engine could read as its own syntax, or choke on.
HOSTILE_QUERIES = [
    '"',
    '""',
    '"unbalanced',
    'shelter "TTP',
    "*",
    "shelter*",
    "*shelter",
    "-",
    "--",
    "-shelter",
    "shelter -",
    "NEAR",
    "NEAR(shelter TTP)",
    "NEAR(shelter TTP, 2)",
    "AND",
    "shelter AND",
    "AND OR NOT",
    "shelter OR nothing",
    "NOT shelter",
    "title:shelter",
    "^shelter",
    "shelter + TTP",
    "!&|:()",
    "'; DROP TABLE search_searchentry; --",
    "shelter:* & !ttp",
    "()",
    "_",
    "‘’“”",
    "…",
    "\\",
    "%",
    "ـ",
    "ً",
]


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
        actor = Actor.objects.create(state="approved", name="<b>Bold</b> & Sons", aliases="Shelterco")
        self.publish_claim(self.source, "Its chief spokesman said", actor)

        [hit] = [hit for hit in search("bold") if hit.kind == "actor"]

        self.assertEqual(hit.title_html, "&lt;b&gt;<mark>Bold</mark>&lt;/b&gt; &amp; Sons")

    def test_query_syntax_is_inert(self):
        for text in HOSTILE_QUERIES:
            with self.subTest(text):
                search(text)  # no error from the engine's query parser
                find(text)

    def test_operators_in_capitals_are_dropped_not_looked_for(self):
        self.assertEqual(found("shelter AND pakistan"), found("shelter pakistan"))
        self.assertIn(("proposition", "The Afghan Taliban shelter the TTP."), found("NEAR(shelter TTP)"))

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
        actor = Actor.objects.create(state="approved", name="Newcomer")
        self.assertEqual(found("newcomer"), [])

        claim = self.publish_claim(self.source, "Its chief spokesman said", actor)

        self.assertEqual(found("newcomer"), [("actor", "Newcomer"), ("claim", claim.quote)])
        self.assertEqual(found("chief spokesman"), [("claim", claim.quote)])

    def test_returning_a_claim_to_draft_removes_it_and_actors_left_without_public_claims(self):
        actor = Actor.objects.create(state="approved", name="Newcomer")
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

    def test_a_yes_or_no_question_is_found_by_the_values_answered(self):
        claim = Claim.objects.public().first()
        question = approve(
            Question.objects.create(text="Did Kabul act?", value_type="yes_no", created_by=self.analyst), self.reviewer
        )
        approve(
            Answer.objects.create(question=question, claim=claim, value_text="no", created_by=self.analyst),
            self.reviewer,
        )

        self.assertEqual(found("kabul act"), [("question", "Did Kabul act?")])
        self.assertEqual(SearchEntry.objects.get(kind="question").body, "No")

    def test_returning_a_proposition_to_draft_removes_it(self):
        self.proposition.return_to_draft(self.reviewer)

        self.assertNotIn("proposition", [kind for kind, title in found("shelter")])

    def test_rebuilding_the_index_gives_the_same_entries(self):
        before = set(SearchEntry.objects.values_list("kind", "object_id", "title", "body", "context"))

        call_command("rebuild_search_index", verbosity=0)

        self.assertEqual(set(SearchEntry.objects.values_list("kind", "object_id", "title", "body", "context")), before)
        self.assertEqual(len(before), 6)  # 1 proposition, 2 claims, 2 actors, 1 source
        self.assertTrue(search("shelter"))


class IndexingOnceTest(ReaderTestCase):
    """A writer of many records indexes each record it touched once, at the end: the same entries as at every save."""

    def entries(self):
        return set(SearchEntry.objects.values_list("kind", "object_id", "title", "body", "context"))

    def test_the_entries_are_those_a_rebuild_gives(self):
        with indexing_once():
            self.build_contradiction()
            actor = Actor.objects.create(state="approved", name="Newcomer")
            self.publish_claim(self.source, "Its chief spokesman said", actor)
            self.taliban.name = "Islamic Emirate"
            self.taliban.save()
            self.assertEqual(SearchEntry.objects.count(), 0)  # nothing yet, inside the block
        kept = self.entries()

        call_command("rebuild_search_index", verbosity=0)

        self.assertEqual(kept, self.entries())
        self.assertEqual(
            found("emirate"),
            [("actor", "Islamic Emirate"), ("claim", "they do not provide support to TTP’s operations")],
        )
        self.assertEqual(found("newcomer"), [("actor", "Newcomer"), ("claim", "Its chief spokesman said")])

    def test_a_record_deleted_inside_the_block_leaves_no_entry(self):
        proposition = self.build_contradiction()
        with indexing_once():
            proposition.return_to_draft(self.reviewer)
            Actor.objects.create(state="approved", name="Newcomer").delete()

        self.assertNotIn("proposition", [kind for kind, title in found("shelter")])
        self.assertEqual(found("newcomer"), [])

    def test_nothing_is_indexed_when_the_block_raises(self):
        with self.assertRaises(RuntimeError), indexing_once():
            Actor.objects.create(state="approved", name="Newcomer")
            raise RuntimeError

        self.assertEqual(found("newcomer"), [])

    def test_loading_the_seeds_indexes_what_a_rebuild_gives(self):
        SearchEntry.objects.all().delete()
        call_command("load_seeds", verbosity=0)
        kept = self.entries()

        call_command("rebuild_search_index", verbosity=0)

        self.assertEqual(kept, self.entries())
        self.assertTrue(kept)


class SearchPageTest(ReaderTestCase):
    url = reverse("reader:search")

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()

    def test_it_shows_ranked_results_with_matches_highlighted(self):
        response = self.get(self.url, query_params={"q": "shelter"})

        self.assertContains(response, "results for “<bdi>shelter</bdi>”")
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

        self.assertContains(response, "No approved quote, contradiction, actor or source matches “<bdi>zebra</bdi>”")

    def test_no_match_for_any_word_is_explained(self):
        response = self.get(self.url, query_params={"q": "zebra giraffe"})

        self.assertContains(response, "matches any word of “<bdi>zebra giraffe</bdi>”")
        self.assertNotContains(response, "search-results__note")

    def test_results_matching_only_some_words_say_so(self):
        response = self.get(self.url, query_params={"q": "shelter zebra"})

        self.assertContains(response, "Nothing matches every word of “<bdi>shelter zebra</bdi>”")
        self.assertContains(response, "<mark>shelter</mark>")

    def test_results_matching_every_word_carry_no_note(self):
        response = self.get(self.url, query_params={"q": "Taliban shelter"})

        self.assertNotContains(response, "Nothing matches every word")

    def test_words_to_leave_out_alone_are_explained(self):
        response = self.get(self.url, query_params={"q": "-shelter"})

        self.assertContains(response, "Nothing to search for")
        self.assertContains(response, "words to leave out cannot be searched for alone")

    def test_the_search_tips_describe_the_field(self):
        response = self.get(self.url)

        self.assertContains(response, 'aria-describedby="search-tips"')
        self.assertContains(response, '<p class="big-search__tips" id="search-tips">')

    def test_what_readers_type_never_breaks_the_page(self):
        for text in HOSTILE_QUERIES:
            with self.subTest(text):
                response = self.get(self.url, query_params={"q": text})

                self.assertEqual(response.status_code, 200)

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

        # Neither the search itself nor the results (a fragment kept per public data generation) are read again.
        self.assertEqual([q["sql"] for q in second if "search_searchentry" in q["sql"]], [])
        self.assertLess(len(second), len(first) - 1)
        self.assertContains(response, "<mark>shelter</mark>")

    def test_a_newly_approved_claim_is_found_at_once(self):
        self.client.force_login(self.analyst)
        self.client.get(self.url, query_params={"q": "spokesman"})

        with self.captureOnCommitCallbacks(execute=True):
            self.publish_claim(self.source, "Its chief spokesman said", self.taliban)

        self.assertContains(self.client.get(self.url, query_params={"q": "spokesman"}), "<mark>spokesman</mark>")


class QueryParsingTest(SimpleTestCase):
    def terms(self, text: str) -> list[str]:
        return [str(term) for term in parse_query(text).terms]

    def test_words_are_looked_for_one_by_one_in_lower_case(self):
        self.assertEqual(self.terms("Taliban  shelter, TTP"), ["taliban", "shelter", "ttp"])

    def test_quoted_words_are_an_exact_phrase(self):
        self.assertEqual(self.terms('"providing shelter" Pakistan'), ['"providing shelter"', "pakistan"])
        self.assertEqual(self.terms("“providing shelter”"), ['"providing shelter"'])

    def test_a_quotation_mark_without_its_pair_is_ignored(self):
        self.assertEqual(self.terms('"providing shelter'), ["providing", "shelter"])
        self.assertEqual(self.terms('"a b" "c d'), ['"a b"', "c", "d"])

    def test_words_joined_by_hyphens_or_apostrophes_are_a_phrase(self):
        self.assertEqual(self.terms("Kabul-datelined Mujahid’s"), ['"kabul datelined"', '"mujahid s"'])

    def test_a_minus_or_not_leaves_a_term_out(self):
        self.assertEqual(self.terms('taliban -pakistan NOT "safe haven"'), ["taliban", "-pakistan", '-"safe haven"'])
        self.assertEqual(self.terms('taliban -"safe haven"'), ["taliban", '-"safe haven"'])

    def test_a_star_makes_a_prefix(self):
        [term] = parse_query("shelt*").terms

        self.assertEqual(term, Term(("shelt",), prefix=True))

    def test_operators_in_capitals_and_punctuation_are_dropped(self):
        self.assertEqual(self.terms("NEAR(shelter AND TTP) OR title:x"), ["shelter", "ttp", "title", "x"])
        self.assertEqual(self.terms("and or near"), ["and", "or", "near"])

    def test_nothing_to_look_for(self):
        for text in ("", "!&|:()", '""', "*", "-", "AND OR", "-shelter", "_"):
            with self.subTest(text):
                self.assertFalse(parse_query(text))

    def test_terms_are_counted_once_and_capped(self):
        self.assertEqual(self.terms("ttp TTP ttp"), ["ttp"])
        self.assertEqual(len(parse_query(" ".join(f"w{n}" for n in range(30))).terms), 12)

    def test_arabic_short_vowels_and_tatweel_are_dropped(self):
        self.assertEqual(self.terms("كِتَابٌ مـــكتب"), ["كتاب", "مكتب"])

    def test_a_term_is_also_looked_for_with_the_other_yeh_and_kaf(self):
        [persian] = parse_query("کمکی").terms
        [arabic] = parse_query("كمكي").terms

        self.assertEqual(persian.spellings(), ["کمکی", "كمكي", "كمكى"])
        self.assertEqual(set(arabic.spellings()), set(persian.spellings()))
        self.assertEqual(parse_query("shelter").terms[0].spellings(), ["shelter"])


class NewsroomSearchTest(ReaderTestCase):
    """All words first, then any word; phrases, exclusions and prefixes; Persian, Urdu and Arabic."""

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()

    def test_when_nothing_has_every_word_records_with_any_are_found_most_words_first(self):
        self.publish_claim(self.source, "Its chief spokesman said", self.taliban, paraphrase="The spokesman on shelter")

        result = find("shelter pakistan spokesman")

        self.assertFalse(result.every_term)
        self.assertEqual(search("shelter pakistan spokesman"), [])
        titles = [hit.title_html for hit in result.hits]
        self.assertEqual(titles[0], "Its chief <mark>spokesman</mark> said")  # two of the three words
        self.assertIn("Government of <mark>Pakistan</mark>", titles)

    def test_records_with_every_word_are_found_without_the_fallback(self):
        result = find("taliban shelter")

        self.assertTrue(result.every_term)
        self.assertNotIn("claim", [hit.kind for hit in result.hits if "shelter" not in hit.title_html])

    def test_a_single_word_that_matches_nothing_finds_nothing(self):
        self.assertEqual(find("zebra").hits, [])

    def test_an_exact_phrase_must_appear_in_that_order(self):
        quote = "the Taliban is providing shelter for TTP members"

        self.assertEqual(found('"providing shelter"'), [("claim", quote)])
        self.assertEqual(found('"shelter providing"'), [])
        self.assertEqual(found("shelter providing"), [("claim", quote)])

    def test_a_phrase_is_highlighted(self):
        [hit] = search('"providing shelter"')

        # SQLite marks the phrase as a whole, PostgreSQL word by word.
        self.assertIn("<mark>providing", hit.title_html)
        self.assertIn("shelter</mark> for", hit.title_html)

    def test_excluded_words_leave_records_out(self):
        with_pakistan = found("shelter")
        without = found("shelter -pakistan")

        self.assertIn(("actor", "Government of Pakistan"), found("islamabad"))
        self.assertIn(("proposition", "The Afghan Taliban shelter the TTP."), without)
        self.assertLessEqual(len(without), len(with_pakistan))
        self.assertNotIn(("actor", "Government of Pakistan"), found("islamabad -pakistan"))

    def test_a_prefix_finds_every_ending(self):
        self.assertIn(("proposition", "The Afghan Taliban shelter the TTP."), found("shel*"))
        self.assertEqual(found("shelx*"), [])

    def persian_claim(self):
        source = make_source(
            text="سخنگوی طالبان گفت که آنها هیچ کمکی به تحریک طالبان پاکستان نمی‌کنند.",
            title="گزارش کابل",
            language="fa",
        )
        actor = Actor.objects.create(state="approved", name="ذبیح‌الله مجاهد")
        return self.publish_claim(source, "آنها هیچ کمکی به تحریک طالبان پاکستان نمی‌کنند", actor)

    def test_persian_words_are_found_and_highlighted(self):
        claim = self.persian_claim()

        [hit] = [hit for hit in search("کمکی") if hit.kind == "claim"]

        self.assertEqual(hit.object_id, claim.pk)
        self.assertIn("<mark>کمکی</mark>", hit.title_html)

    def test_persian_text_is_found_when_typed_with_arabic_yeh_and_kaf(self):
        claim = self.persian_claim()

        hits = [hit for hit in search("كمكي") if hit.kind == "claim"]

        self.assertEqual([hit.object_id for hit in hits], [claim.pk])
        self.assertIn("<mark>کمکی</mark>", hits[0].title_html)

    def test_a_word_written_with_a_zero_width_non_joiner_is_found_as_typed_with_a_space(self):
        claim = self.persian_claim()

        self.assertIn(claim.pk, [hit.object_id for hit in search("نمی کنند")])
        self.assertIn(claim.pk, [hit.object_id for hit in search('"نمی‌کنند"')])

    def test_arabic_text_is_found_when_typed_with_persian_yeh_and_kaf(self):
        source = make_source(
            text="قال المتحدث إن الحركة لا تقدم أي دعم لحركة طالبان باكستان.", title="تقرير", language="ar"
        )
        claim = self.publish_claim(source, "لا تقدم أي دعم لحركة طالبان باكستان", self.taliban)

        self.assertIn(claim.pk, [hit.object_id for hit in search("باكستان")])
        self.assertIn(claim.pk, [hit.object_id for hit in search("باکستان")])
        self.assertIn(claim.pk, [hit.object_id for hit in search("أي دعم")])

    def test_urdu_text_is_found(self):
        source = make_source(
            text="طالبان کے ترجمان نے کہا کہ وہ ٹی ٹی پی کی کوئی مدد نہیں کرتے۔", title="رپورٹ", language="ur"
        )
        claim = self.publish_claim(source, "وہ ٹی ٹی پی کی کوئی مدد نہیں کرتے", self.taliban)

        self.assertIn(claim.pk, [hit.object_id for hit in search("مدد")])
        self.assertIn(claim.pk, [hit.object_id for hit in search('"کوئی مدد"')])
        self.assertIn(claim.pk, [hit.object_id for hit in search("كوئي")])  # Arabic kaf and yeh
