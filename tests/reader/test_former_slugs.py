"""A public record's former slug still leads to it (claims.addresses): a permanent redirect, never a leak."""

import importlib

from django.apps import apps
from django.urls import reverse

from claims.addresses import FormerSlug
from claims.models import Actor, Proposition, ReviewState, unique_slug
from tests.base import make_source
from tests.reader.builders import ReaderTestCase

seed_addresses = importlib.import_module("claims.migrations.0014_seed_actor_addresses")


class FormerSlugRedirectTests(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        FormerSlug.objects.create(kind="proposition", slug="old-address", record_id=self.proposition.pk)

    def assert_moved(self, old: str, new: str):
        response = self.get(old)
        self.assertEqual(response.status_code, 301, old)
        self.assertEqual(response["Location"], new)

    def test_every_address_of_a_contradiction_made_with_its_former_slug_redirects_to_the_current_one(self):
        slug = self.proposition.slug
        for name, kwargs in (
            ("reader:contradiction", {}),
            ("reader:contradiction_json", {}),
            ("reader:contradiction_citation", {"extension": "bib"}),
            ("reader:embed_contradiction", {}),
        ):
            with self.subTest(name):
                self.assert_moved(
                    reverse(name, kwargs={"slug": "old-address", **kwargs}),
                    reverse(name, kwargs={"slug": slug, **kwargs}),
                )

    def test_the_redirect_keeps_the_language_of_the_address(self):
        self.assert_moved("/ur/contradictions/old-address/", f"/ur/contradictions/{self.proposition.slug}/")

    def test_the_redirect_keeps_the_query_the_page_reads_and_drops_the_rest(self):
        FormerSlug.objects.create(kind="actor", slug="islamabad-government", record_id=self.pakistan.pk)
        self.assert_moved("/actors/islamabad-government/?page=1&utm_source=x", f"/actors/{self.pakistan.slug}/?page=1")

    def test_the_api_redirects_too(self):
        response = self.client.get("/api/v1/contradictions/old-address")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], f"/api/v1/contradictions/{self.proposition.slug}")
        followed = self.client.get(response["Location"])
        self.assertEqual(followed.status_code, 200)
        self.assertEqual(followed.json()["slug"], self.proposition.slug)

    def test_oembed_finds_a_contradiction_by_its_former_address(self):
        response = self.get(
            reverse("reader:oembed"), query_params={"url": "http://testserver/contradictions/old-address/"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn(self.proposition.slug, response.json()["html"])

    def test_a_former_slug_of_a_record_readers_may_not_see_is_not_found_and_names_nothing(self):
        draft = Proposition.objects.create(statement="A draft nobody reviewed yet.", created_by=self.analyst)
        FormerSlug.objects.create(kind="proposition", slug="drafted-address", record_id=draft.pk)
        for address in ("/contradictions/drafted-address/", "/api/v1/contradictions/drafted-address"):
            with self.subTest(address):
                response = self.get(address)
                self.assertEqual(response.status_code, 404)
                self.assertNotIn(draft.slug, response.content.decode())

    def test_a_withdrawn_record_is_not_found_under_its_former_slug(self):
        self.proposition.return_to_draft(self.reviewer)
        self.assertEqual(self.get("/contradictions/old-address/").status_code, 404)

    def test_an_address_that_never_was_is_still_not_found(self):
        self.assertEqual(self.get("/contradictions/never-was/").status_code, 404)
        self.assertEqual(self.get("/api/v1/contradictions/never-was").status_code, 404)

    def test_no_new_record_is_given_a_former_slug(self):
        self.assertEqual(unique_slug(Proposition, "Old address"), "old-address-2")


class SeedActorAddressesMigrationTests(ReaderTestCase):
    """Migration 0014 gives the seed's two actors named after a seed file addresses of their own words."""

    def setUp(self):
        super().setUp()
        self.author = Actor.objects.create(
            state=ReviewState.APPROVED, name="Author of the Kabul-datelined report", slug="source-000-author"
        )
        source = make_source(text="Sources say that the talks went on.")
        self.publish_claim(source, "the talks went on", self.author)

    def test_the_actor_gets_its_new_address_and_the_old_one_redirects_to_it(self):
        seed_addresses.rename(apps, None)

        self.author.refresh_from_db()
        self.assertEqual(self.author.slug, "kabul-report-author")
        response = self.get("/actors/source-000-author/")
        self.assertEqual(response.status_code, 301)
        self.assertEqual(response["Location"], "/actors/kabul-report-author/")
        self.assertEqual(self.get(response["Location"]).status_code, 200)

    def test_a_database_where_the_new_address_is_taken_is_left_as_it_is(self):
        Actor.objects.create(state=ReviewState.APPROVED, name="Someone else", slug="kabul-report-author")

        seed_addresses.rename(apps, None)

        self.author.refresh_from_db()
        self.assertEqual(self.author.slug, "source-000-author")
        self.assertFalse(FormerSlug.objects.exists())

    def test_it_can_be_reversed(self):
        seed_addresses.rename(apps, None)
        seed_addresses.restore(apps, None)

        self.author.refresh_from_db()
        self.assertEqual(self.author.slug, "source-000-author")
        self.assertFalse(FormerSlug.objects.exists())
