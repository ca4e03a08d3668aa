"""Readers see sources named as published text names them, never by the seed files' numbers."""

import io
import re

from django.core.cache import cache
from django.core.management import call_command
from django.test import TestCase
from django.urls import reverse

from claims.models import Actor, Proposition
from sources.models import Source

FILE_NAME = re.compile(r"seed\s+00", re.IGNORECASE)
# A seed file's number as a word of an address: /actors/source-000-author/, /actors/unnamed-sources-000/.
SEED_NUMBER_IN_ADDRESS = re.compile(r"(?<![0-9a-z])00[0-9](?![0-9a-z])")


class SeedPublicTextTest(TestCase):
    @classmethod
    def setUpTestData(cls):
        call_command("load_seeds", stdout=io.StringIO())

    def public_urls(self) -> list[str]:
        urls = [
            reverse("reader:home"),
            reverse("reader:contradictions"),
            reverse("reader:questions"),
            reverse("reader:feed"),
            f"{reverse('reader:search')}?q=Taliban",
            f"{reverse('reader:search')}?q=ceasefire",
        ]
        for slug in Proposition.objects.contradictions().values_list("slug", flat=True):
            urls += [reverse("reader:contradiction", args=[slug]), reverse("reader:contradiction_json", args=[slug])]
        urls += [actor.get_absolute_url() for actor in Actor.objects.public()]
        urls += [source.get_absolute_url() for source in Source.objects.public()]
        return urls

    def test_no_public_page_names_a_seed_file(self):
        urls = self.public_urls()
        self.assertGreater(len(urls), 20)
        for url in urls:
            cache.clear()
            response = self.client.get(url)
            self.assertEqual(response.status_code, 200, url)
            self.assertIsNone(FILE_NAME.search(response.content.decode()), url)

    def test_descriptions_name_the_sources_instead(self):
        proposition = Proposition.objects.get(slug="ttp-ceasefire-agreed-in-june-2022")

        self.assertIn("Taliban Mediates, Again, Between TTP and Islamabad", proposition.description)
        self.assertIn("Doğacan Başaran", proposition.description)

    def test_no_public_address_names_a_seed_file(self):
        urls = self.public_urls()
        self.assertIn("/actors/kabul-report-author/", urls)
        for url in urls:
            self.assertIsNone(SEED_NUMBER_IN_ADDRESS.search(url), url)
