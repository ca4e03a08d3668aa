import json
from io import StringIO

from django.core.management import call_command
from django.urls import reverse

from search.query import search
from tests.reader.builders import ReaderTestCase


class UnapprovedRevisionsTest(ReaderTestCase):
    """A proposed change to an approved record stays out of every output until a reviewer approves it."""

    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        self.claim = self.proposition.stances.get(side="supports").claim
        self.revisions = [
            self.proposition.propose_revision(self.analyst, {"statement": "REVISED statement awaiting review"}),
            self.claim.propose_revision(self.analyst, {"paraphrase": "REVISED paraphrase awaiting review"}),
        ]
        self.outputs = [
            reverse("reader:home"),
            reverse("reader:contradictions"),
            self.proposition.get_absolute_url(),
            reverse("reader:contradiction_json", args=[self.proposition.slug]),
            self.pakistan.get_absolute_url(),
            self.source.get_absolute_url(),
            reverse("reader:search") + "?q=revised",
            reverse("reader:feed"),
        ]

    def test_no_page_feed_or_json_shows_a_pending_revision(self):
        for url in self.outputs:
            with self.subTest(url=url):
                response = self.get(url)
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "REVISED")

    def test_search_does_not_find_a_pending_revision(self):
        self.assertEqual(search("revised"), [])

    def test_the_export_leaves_out_a_pending_revision(self):
        out = StringIO()
        call_command("export_public", stdout=out)

        self.assertNotIn("REVISED", out.getvalue())
        self.assertIn(
            "The Afghan Taliban shelter the TTP.",
            [json.loads(line).get("statement") for line in out.getvalue().splitlines()],
        )

    def test_an_approved_revision_reaches_readers_at_once(self):
        self.client.get(self.proposition.get_absolute_url())  # cached before the approval

        with self.captureOnCommitCallbacks(execute=True):
            for revision in self.revisions:
                revision.approve(self.reviewer)

        response = self.client.get(self.proposition.get_absolute_url())
        self.assertContains(response, "REVISED statement awaiting review")
        self.assertContains(response, "REVISED paraphrase awaiting review")
        self.assertEqual({hit.kind for hit in search("revised")}, {"proposition", "claim"})
