import datetime
import json

from django.urls import reverse

from claims.models import Actor, ReviewState, Stance
from sources.dates import DatePrecision
from tests.reader.builders import ReaderTestCase


class ContradictionPageTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.url = reverse("reader:contradiction", args=[self.proposition.slug])

    def test_it_shows_the_claims_in_columns_by_side(self):
        response = self.get(self.url)

        self.assertContains(response, 'class="side side--supports"')
        self.assertContains(response, 'class="side side--disputes"')
        self.assertNotContains(response, "side--qualifies")
        supports, disputes = response.context["columns"]
        self.assertEqual([s.claim.claimant for s in supports[1]], [self.pakistan])
        self.assertEqual([s.claim.claimant for s in disputes[1]], [self.taliban])

    def test_each_claim_shows_claimant_exact_quote_and_paraphrase(self):
        response = self.get(self.url)

        self.assertContains(
            response, f'<a href="{self.pakistan.get_absolute_url()}"><bdi>Government of Pakistan</bdi></a>', html=False
        )
        self.assertContains(response, "<p>the Taliban is providing shelter for TTP members</p>", html=True)
        self.assertContains(response, "they do not provide support to TTP’s operations")

    def test_each_quote_expands_to_its_paragraph_with_the_quote_marked(self):
        response = self.get(self.url)

        self.assertContains(
            response,
            "KABUL – Pakistan claims that <mark>the Taliban is providing shelter for TTP members</mark> in Afghanistan.",
        )
        self.assertContains(response, '<details class="claim__context">')

    def test_each_claim_links_to_the_highlighted_passage_and_the_original(self):
        self.source.url = "https://news.example.org/report"
        self.source.save()
        claim = self.proposition.stances.get(side="supports").claim

        response = self.get(self.url)

        self.assertContains(response, f'href="/sources/{self.source.pk}/#claim-{claim.pk}"')
        self.assertContains(response, 'href="https://news.example.org/report" rel="noopener noreferrer"')

    def test_it_shows_the_reported_by_chain_and_the_assertion_date(self):
        tribune = Actor.objects.create(state="approved", name="The Express Tribune", kind="media_outlet")
        reported = self.publish_claim(
            self.source,
            "Its chief spokesman said that they are not responsible",
            self.taliban,
            self.proposition,
            "disputes",
            reported_by=tribune,
            asserted_on=datetime.date(2022, 12, 21),
            asserted_precision=DatePrecision.DAY,
        )

        response = self.get(self.url)

        self.assertContains(
            response, 'as reported by <a href="/actors/the-express-tribune/"><bdi>The Express Tribune</bdi></a>'
        )
        self.assertContains(response, '<time datetime="2022-12-21">21 December 2022</time>')
        self.assertContains(response, f'id="claim-{reported.pk}"')

    def test_it_shows_when_it_was_last_reviewed(self):
        response = self.get(self.url)

        latest = max(s.claim.reviewed_at for s in self.proposition.stances.all())
        self.assertEqual(
            response.context["last_reviewed"], max(latest, *(s.reviewed_at for s in self.proposition.stances.all()))
        )
        self.assertContains(response, "Last reviewed <time datetime=")

    def test_it_lists_related_contradictions_sharing_an_actor(self):
        other = self.build_contradiction(statement="Kabul denies all responsibility.")
        unrelated = self.publish_proposition("Something else entirely.")

        response = self.get(self.url)

        self.assertEqual(response.context["related"], [other])
        self.assertNotContains(response, unrelated.statement)

    def test_it_has_open_graph_tags_and_a_meaningful_title(self):
        response = self.get(self.url)

        self.assertContains(response, "<title>The Afghan Taliban shelter the TTP. — Claim Tracker</title>")
        self.assertContains(response, '<meta property="og:title" content="The Afghan Taliban shelter the TTP.">')
        self.assertContains(response, f'<meta property="og:url" content="http://testserver{self.url}">')

    def test_the_permanent_link_is_absolute_and_ignores_the_query_string(self):
        response = self.get(self.url, query_params={"utm_source": "chat"})

        self.assertContains(response, f'<a href="http://testserver{self.url}" rel="bookmark">Permanent link</a>')
        self.assertContains(response, f'<link rel="canonical" href="http://testserver{self.url}">')

    def test_it_embeds_schema_org_claims_as_json_ld(self):
        response = self.get(self.url)

        content = response.content.decode()
        start = content.index('<script type="application/ld+json">') + len('<script type="application/ld+json">')
        data = json.loads(content[start : content.index("</script>", start)])
        self.assertEqual(data["@type"], "WebPage")
        claims = {item["author"]["name"]: item for item in data["hasPart"]}
        self.assertEqual(claims["Government of Pakistan"]["@type"], "Claim")
        self.assertEqual(claims["Government of Pakistan"]["text"], "the Taliban is providing shelter for TTP members")
        self.assertEqual(claims["Afghan Taliban"]["appearance"]["name"], "Sample report")

    def test_json_ld_cannot_close_its_script_element(self):
        self.proposition.statement = "Closing </script><script>alert(1)</script> tags"
        self.proposition.save()

        response = self.get(self.url)

        self.assertNotContains(response, "</script><script>alert(1)")
        self.assertContains(response, "\\u003C/script\\u003E")

    def test_the_timeline_places_dated_claims_and_lists_undated_ones(self):
        claim = self.proposition.stances.get(side="supports").claim
        claim.asserted_on, claim.asserted_precision = datetime.date(2022, 6, 1), DatePrecision.MONTH
        claim.save()

        response = self.get(self.url)

        self.assertContains(response, '<svg class="timeline__chart"')
        self.assertContains(response, 'aria-label="Supports: Government of Pakistan, June 2022"')
        self.assertContains(response, "<circle ")  # supports are circles
        self.assertContains(response, "Date unknown:")
        self.assertContains(response, '<a href="#claim-', count=2)

    def test_the_timeline_says_so_when_no_claim_has_a_date(self):
        response = self.get(self.url)

        self.assertNotContains(response, "<svg")
        self.assertContains(response, "None of these claims has a known date")

    def test_it_is_404_for_an_unknown_slug(self):
        self.assertEqual(self.get(reverse("reader:contradiction", args=["no-such-thing"])).status_code, 404)

    def test_it_is_404_for_a_proposition_that_is_not_approved(self):
        self.proposition.return_to_draft(self.reviewer, reason="Rewording")

        self.assertEqual(self.get(self.url).status_code, 404)

    def test_it_never_shows_draft_pending_or_rejected_claims(self):
        self.unpublished_claims(self.proposition)

        response = self.get(self.url)

        self.assertNotContains(response, "SECRET")
        self.assertNotContains(response, "Hidden")

    def test_it_never_shows_an_approved_claim_through_an_unapproved_stance(self):
        claim = self.publish_claim(self.source, "Its chief spokesman", self.taliban)
        stance = Stance.objects.create(
            claim=claim, proposition=self.proposition, side="qualifies", created_by=self.analyst
        )
        stance.submit(self.analyst)

        response = self.get(self.url)

        self.assertNotContains(response, "side--qualifies")
        self.assertEqual(stance.state, ReviewState.PENDING)

    def test_query_count_does_not_grow_with_the_number_of_claims(self):
        small = self.contradiction_with(1, statement="Small")
        large = self.contradiction_with(10, statement="Large")

        with self.assertNumQueries(6):  # proposition, stances, source texts, translations, captures, related
            self.get(small.get_absolute_url())
        with self.assertNumQueries(6):  # proposition, stances, source texts, translations, captures, related
            response = self.get(large.get_absolute_url())
        self.assertEqual(len(response.context["stances"]), 20)


class ContradictionDataTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.url = reverse("reader:contradiction_json", args=[self.proposition.slug])

    def test_it_is_json_with_the_approved_claims(self):
        response = self.get(self.url)

        self.assertEqual(response["Content-Type"], "application/json")
        data = response.json()
        self.assertEqual(data["statement"], "The Afghan Taliban shelter the TTP.")
        self.assertEqual(data["url"], f"http://testserver{self.proposition.get_absolute_url()}")
        self.assertEqual(
            {c["side"]: c["claimant"]["name"] for c in data["claims"]},
            {"supports": "Government of Pakistan", "disputes": "Afghan Taliban"},
        )

    def test_each_claim_carries_its_selectors_into_the_source(self):
        claim = self.get(self.url).json()["claims"][0]

        position, quote = claim["selectors"]
        self.assertEqual(self.source.text[position["start"] : position["end"]], quote["exact"])
        self.assertEqual(claim["source"]["url"], f"http://testserver/sources/{self.source.pk}/")

    def test_it_never_includes_unapproved_claims(self):
        self.unpublished_claims(self.proposition)

        response = self.get(self.url)

        self.assertNotIn("SECRET", response.content.decode())
        self.assertEqual(len(response.json()["claims"]), 2)

    def test_it_is_404_for_a_draft_proposition(self):
        self.proposition.return_to_draft(self.reviewer)

        self.assertEqual(self.get(self.url).status_code, 404)

    def test_query_count_does_not_grow_with_the_number_of_claims(self):
        small = self.contradiction_with(1, statement="Small")
        large = self.contradiction_with(10, statement="Large")

        with self.assertNumQueries(4):  # proposition, stances, source texts, translations
            self.get(reverse("reader:contradiction_json", args=[small.slug]))
        with self.assertNumQueries(4):
            self.get(reverse("reader:contradiction_json", args=[large.slug]))
