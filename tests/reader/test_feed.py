import xml.etree.ElementTree as ET

from django.urls import reverse

from claims.models import Proposition
from claims.translations import Translation
from tests.base import approve
from tests.reader.builders import ReaderTestCase

ATOM = "{http://www.w3.org/2005/Atom}"


class FeedTest(ReaderTestCase):
    url = reverse("reader:feed")

    def entries(self):
        response = self.get(self.url)
        self.assertEqual(response["Content-Type"], "application/atom+xml; charset=utf-8")
        feed = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
        return [(e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href")) for e in feed.iter(f"{ATOM}entry")]

    def test_it_is_an_atom_feed_of_new_contradictions_and_claims(self):
        proposition = self.build_contradiction()
        claim = proposition.stances.get(side="supports").claim

        entries = dict(self.entries())

        self.assertEqual(
            entries["Contradiction: The Afghan Taliban shelter the TTP."],
            f"http://testserver{proposition.get_absolute_url()}",
        )
        self.assertEqual(
            entries["Government of Pakistan: “the Taliban is providing shelter for TTP members”"],
            f"http://testserver{claim.get_absolute_url()}",
        )

    def test_newest_entries_come_first(self):
        self.build_contradiction(statement="First")
        self.build_contradiction(statement="Second")

        titles = [title for title, link in self.entries()]

        self.assertLess(titles.index("Contradiction: Second"), titles.index("Contradiction: First"))

    def test_it_never_carries_unapproved_records(self):
        proposition = self.build_contradiction()
        self.unpublished_claims(proposition)
        Proposition.objects.create(statement="Draft SECRET proposition", created_by=self.analyst)
        self.publish_proposition("Approved but uncontested")

        content = self.get(self.url).content.decode()

        self.assertNotIn("SECRET", content)
        self.assertNotIn("uncontested", content)

    def test_a_withdrawn_claim_leaves_the_feed(self):
        proposition = self.build_contradiction()
        claim = proposition.stances.get(side="disputes").claim
        claim.return_to_draft(self.reviewer, reason="Misattributed")

        self.assertNotIn("they do not provide support", self.get(self.url).content.decode())

    def test_query_count_does_not_grow_with_the_number_of_entries(self):
        self.build_contradiction(statement="One")
        with self.assertNumQueries(5):  # contradictions, disputed facts, claims, changes of position, translations
            self.get(self.url)
        for n in range(4):
            self.build_contradiction(statement=f"More {n}")
        with self.assertNumQueries(5):
            self.get(self.url)

    def translate(self, claim, language, text, *, approved=True):
        translation = Translation.record(
            claim=claim, language=language, text=text, translator="Desk translation team", created_by=self.analyst
        )
        return approve(translation, self.reviewer) if approved else translation

    def summaries(self):
        feed = ET.fromstring(self.get(self.url).content)  # noqa: S314 - our own feed, in a test
        return {e.find(f"{ATOM}title").text: e.find(f"{ATOM}summary").text for e in feed.iter(f"{ATOM}entry")}

    def test_a_claims_entry_carries_the_approved_translation_of_its_quote(self):
        claim = self.build_contradiction().stances.get(side="supports").claim
        self.translate(claim, "ur", "طالبان ٹی ٹی پی کے ارکان کو پناہ دے رہے ہیں")

        summary = self.summaries()["Government of Pakistan: “the Taliban is providing shelter for TTP members”"]

        self.assertIn(
            "Translation from English, human, reviewed, into Urdu by Desk translation team: "
            "“طالبان ٹی ٹی پی کے ارکان کو پناہ دے رہے ہیں”",
            summary,
        )

    def test_query_count_does_not_grow_with_the_number_of_translations(self):
        proposition = self.build_contradiction()
        claims = [stance.claim for stance in proposition.stances.all()]
        self.translate(claims[0], "ur", "ترجمہ")
        with self.assertNumQueries(5):
            self.get(self.url)
        for language in ("fa", "ps", "de", "fr"):
            for claim in claims:
                self.translate(claim, language, f"{language} words")
        with self.assertNumQueries(5):
            self.get(self.url)
