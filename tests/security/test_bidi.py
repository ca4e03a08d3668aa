"""Bidi controls cannot disguise a name, a title or a paraphrase.

An override (U+202E) makes the text after it show reversed, and one left open
runs on over what follows it on the page. Forms strip the embedding, override
and isolate controls from names, titles, statements and paraphrases; pages
show those fields stripped again (for records saved by other paths) and inside
``<bdi>``, and the admin's list cells without them. Quotes and source text are
evidence and are never changed.
"""

import re

from django.test import Client
from django.urls import reverse

from claims.models import Actor, Claim, Proposition
from sources.models import Source
from tests.base import BaseTestCase, make_claim

RLO, PDF, RLI, PDI, LRE = "\u202e", "\u202c", "\u2067", "\u2069", "\u202a"
CONTROLS = (RLO, PDF, RLI, PDI, LRE, "\u202b", "\u202d", "\u2066", "\u2068")
SPOOFED_NAME = f"Government of {RLO}natsikaP{PDF}"
SPOOFED_TITLE = f"Sample {RLI}report{PDI}"
SPOOFED_STATEMENT = f"The Afghan Taliban {LRE}shelter{PDF} the TTP."


class BidiTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.proposition = cls.build_contradiction(cls)
        # Saved with the controls as an older record or another path could have them.
        Actor.objects.filter(pk=cls.pakistan.pk).update(name=SPOOFED_NAME, aliases=f"{RLO}dabamalsI")
        Source.objects.filter(pk=cls.source.pk).update(title=SPOOFED_TITLE, outlet=f"{RLO}enummaC")
        Proposition.objects.filter(pk=cls.proposition.pk).update(statement=SPOOFED_STATEMENT)
        Claim.objects.filter(claimant=cls.pakistan).update(paraphrase=f"Shelter {RLO}dna{PDF} training.")
        cls.draft = make_claim(cls.source, "Its chief spokesman", cls.pakistan, cls.analyst, paraphrase=f"{RLO}x")

    def assert_no_controls(self, response):
        # JSON-LD is data for machines, as the .json export is: it keeps the stored value. The
        # passage markers' aria-labels are built in reader/templatetags/source_text.py.
        content = re.sub(
            r'<script type="application/ld\+json">.*?</script>|aria-label="[^"]*"',
            "",
            response.content.decode(),
            flags=re.S,
        )
        self.assertEqual([hex(ord(c)) for c in CONTROLS if c in content], [], response.request["PATH_INFO"])

    def get(self, url, user=None):
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response


class PublicPageTests(BidiTestCase):
    def test_names_titles_and_statements_are_stripped_and_isolated_on_public_pages(self):
        self.proposition.refresh_from_db()
        self.pakistan.refresh_from_db()
        urls = [
            self.proposition.get_absolute_url(),
            self.pakistan.get_absolute_url(),
            reverse("reader:source", args=[self.source.pk]),
            reverse("reader:contradictions"),
            reverse("reader:home"),
        ]
        for url in urls:
            response = self.get(url)
            self.assert_no_controls(response)
        self.assertContains(self.get(self.proposition.get_absolute_url()), "<bdi>Government of natsikaP</bdi>")
        self.assertContains(self.get(self.pakistan.get_absolute_url()), "<h1><bdi>Government of natsikaP</bdi></h1>")
        self.assertContains(self.get(self.pakistan.get_absolute_url()), "<title>Government of natsikaP: claims")

    def test_the_title_and_the_filter_options_are_stripped(self):
        response = self.get(reverse("reader:source", args=[self.source.pk]))
        self.assertContains(response, "<title>Sample report — source")
        self.assertContains(response, "<bdi>Sample report</bdi>")
        self.assertContains(self.get(reverse("reader:contradictions")), '<option value="Sample report">')

    def test_quotes_and_source_text_are_not_changed(self):
        text = "KABUL – Pakistan claims " + RLO + "that the Taliban"
        Source.objects.filter(pk=self.source.pk).update(text=text + self.source.text[len(text) :])
        response = self.get(reverse("reader:source", args=[self.source.pk]))
        self.assertIn(RLO, response.content.decode())


class SearchQueryTests(BaseTestCase):
    def test_a_query_with_an_override_is_echoed_stripped_and_isolated(self):
        response = self.client.get(reverse("reader:search"), {"q": "\u202egnilleps"})
        title = re.search(r"<title>(.*?)</title>", response.content.decode(), re.S)[1]
        self.assertNotIn("\u202e", title)
        self.assertContains(response, "“<bdi>gnilleps</bdi>”")
        self.assertNotContains(response, "“\u202egnilleps”")


class DeskAndAdminTests(BidiTestCase):
    def test_desk_rows_and_the_source_page_isolate_names(self):
        for url in (
            reverse("desk:home"),
            reverse("desk:home") + "?show=drafts",
            reverse("desk:source", args=[self.source.pk]),
        ):
            response = self.get(url, self.analyst)
            self.assert_no_controls(response)
            self.assertContains(response, "<bdi>Government of natsikaP</bdi>")

    def test_admin_lists_and_the_review_queue_show_no_controls(self):
        self.draft.submit(self.analyst)
        urls = [
            reverse("admin:claims_actor_changelist"),
            reverse("admin:claims_claim_changelist"),
            reverse("admin:claims_proposition_changelist"),
            reverse("admin:sources_source_changelist"),
            reverse("admin:review_queue"),
        ]
        for url in urls:
            self.assert_no_controls(self.get(url, self.reviewer))
        self.assertContains(self.get(reverse("admin:review_queue"), self.reviewer), "<bdi>Government of natsikaP</bdi>")


class FormTests(BaseTestCase):
    def post(self, url, data, user):
        client = Client()
        client.force_login(user)
        return client.post(url, data)

    def test_the_desk_import_strips_controls_from_the_title_outlet_and_authors(self):
        data = {
            "title": f"{RLO}Kabul report",
            "outlet": f"Dawn{RLI}",
            "authors": f"A. {LRE}Writer{PDF}",
            "language": "en",
            "text": f"The text keeps its {RLO}controls.",
        }
        self.assertEqual(self.post(reverse("desk:source_import"), data, self.analyst).status_code, 302)
        source = Source.objects.latest("pk")
        self.assertEqual((source.title, source.outlet, source.authors), ("Kabul report", "Dawn", "A. Writer"))
        self.assertEqual(source.text, f"The text keeps its {RLO}controls.")

    def test_a_new_claim_strips_controls_from_the_paraphrase_and_a_new_claimant(self):
        data = {
            "quote": "Its chief spokesman",
            "claimant": f"Mujahid{RLO}",
            "claimant_is_new": "on",
            "claimant_kind": "person",
            "paraphrase": f"Not {RLO}us{PDF}.",
        }
        self.post(reverse("desk:claim_new", args=[self.source.pk]), data, self.analyst)
        claim = Claim.objects.latest("pk")
        self.assertEqual((claim.claimant.name, claim.paraphrase), ("Mujahid", "Not us."))

    def test_right_to_left_marks_are_kept(self):
        data = {"title": "گزارش\u200f کابل", "language": "fa", "text": "متن."}
        self.post(reverse("desk:source_import"), data, self.analyst)
        self.assertEqual(Source.objects.latest("pk").title, "گزارش\u200f کابل")

    def test_the_admin_strips_controls_from_an_actor_name(self):
        data = {"name": f"{RLO}Tehrik-i-Taliban", "kind": "armed_group", "aliases": f"TTP{PDF}", "description": ""}
        response = self.post(reverse("admin:claims_actor_add"), data, self.admin)
        self.assertEqual(response.status_code, 302, response.content.decode()[:2000])
        actor = Actor.objects.latest("pk")
        self.assertEqual((actor.name, actor.aliases), ("Tehrik-i-Taliban", "TTP"))
