"""Actors at the desk: created and described by analysts, edited by their author, changed by revision once public."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from claims.models import Actor, FieldChange, ReviewState, Revision
from tests.base import approve
from tests.desk.base import DeskTestCase

NEW = reverse("desk:actor_new")


def actor_form(**values) -> dict:
    return {"name": "", "kind": "person", "aliases": "", "affiliation": "", "description": "", **values}


class NewActorTests(DeskTestCase):
    def setUp(self):
        self.login()

    def test_an_analyst_creates_a_described_draft(self):
        response = self.client.post(NEW, actor_form(
            name="Zabihullah Mujahid", aliases="Mujahid\r\nذبیح‌الله مجاهد\r\n", affiliation="Afghan Taliban",
            description="Chief spokesman of the *Islamic Emirate*.",
        ))  # fmt: skip
        actor = Actor.objects.get(name="Zabihullah Mujahid")
        self.assertRedirects(response, reverse("desk:actor", args=[actor.slug]))
        self.assertEqual(
            (actor.state, actor.created_by, actor.affiliation), (ReviewState.DRAFT, self.analyst, self.taliban)
        )
        self.assertEqual(actor.alias_list, ["Mujahid", "ذبیح‌الله مجاهد"])
        self.assertIn("<em>Islamic Emirate</em>", actor.description_html)

    def test_a_name_already_taken_is_refused_and_the_input_kept(self):
        response = self.client.post(NEW, actor_form(name="afghan taliban", description="Kept text"))
        self.assertContains(response, "An actor called “afghan taliban” already exists.", status_code=422)
        self.assertContains(response, "Kept text", status_code=422)
        self.assertEqual(Actor.objects.filter(name__iexact="afghan taliban").count(), 1)

    def test_a_name_differing_only_in_spaces_or_another_actors_alias_is_refused(self):
        response = self.client.post(NEW, actor_form(name="Afghan   Taliban"))
        self.assertContains(response, "An actor called “Afghan Taliban” already exists.", status_code=422)
        response = self.client.post(NEW, actor_form(name="islamabad"))
        self.assertContains(response, "is another name of Government of Pakistan", status_code=422)
        self.assertEqual(Actor.objects.count(), 2)

    def test_an_unknown_affiliation_is_refused(self):
        response = self.client.post(NEW, actor_form(name="Spokesman", affiliation="Nobody at all"))
        self.assertContains(response, "No actor is called “Nobody at all”", status_code=422)
        self.assertFalse(Actor.objects.filter(name="Spokesman").exists())

    def test_a_description_over_the_limit_is_refused(self):
        response = self.client.post(NEW, actor_form(name="Verbose", description="x" * 10_001))
        self.assertContains(response, "at most 10,000 characters", status_code=422)
        self.assertFalse(Actor.objects.filter(name="Verbose").exists())

    def test_the_affiliation_suggests_actors_as_one_types(self):
        page = self.client.get(NEW)
        self.assertContains(page, f"{reverse('desk:actor_suggestions')}?field=affiliation")
        self.assertNotContains(page, 'name="affiliation_is_new"')
        response = self.client.get(reverse("desk:actor_suggestions"), {"field": "affiliation", "affiliation": "Tali"})
        self.assertContains(response, 'data-fill="id_affiliation" data-value="Afghan Taliban"')
        none = self.client.get(reverse("desk:actor_suggestions"), {"field": "affiliation", "affiliation": "Nobody"})
        self.assertContains(none, "Create that actor first")

    def test_the_desk_lists_and_finds_actors(self):
        response = self.client.get(reverse("desk:actors"), {"q": "islamabad"})
        self.assertContains(response, "Government of Pakistan")
        self.assertNotContains(response, "Afghan Taliban</a>")


class DraftActorTests(DeskTestCase):
    def setUp(self):
        self.actor = Actor.objects.create(name="Kabul spokesman", created_by=self.analyst)
        self.url = reverse("desk:actor", args=[self.actor.slug])

    def post(self, **values):
        data = actor_form(name=self.actor.name, version=self.actor.version, **values)
        return self.client.post(self.url, data)

    def test_its_author_edits_it_in_place_with_history(self):
        self.login()
        self.post(description="Speaks for the interior ministry.")
        actor = Actor.objects.get(pk=self.actor.pk)
        self.assertEqual(actor.description, "Speaks for the interior ministry.")
        self.assertEqual(FieldChange.objects.for_record(actor).get().by, self.analyst)

    def test_another_analyst_sees_it_read_only_and_cannot_post(self):
        self.login(self.other_analyst)
        page = self.client.get(self.url)
        self.assertContains(page, "only its author edits it")
        self.assertNotContains(page, 'id="id_description"')
        response = self.post(description="Not mine to write.")
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Actor.objects.get(pk=self.actor.pk).description, "")

    def test_a_stale_edit_is_refused_and_keeps_the_input(self):
        self.login()
        loaded = self.actor.version
        self.actor.description = "Saved in another tab."
        self.actor.save_edit(expected_version=loaded, fields=["description"], by=self.analyst)
        response = self.client.post(self.url, actor_form(name=self.actor.name, version=loaded, description="My text"))
        self.assertContains(response, "Someone else saved this actor", status_code=409)
        self.assertContains(response, "My text", status_code=409)
        self.assertEqual(Actor.objects.get(pk=self.actor.pk).description, "Saved in another tab.")

    def test_it_cannot_be_its_own_affiliation(self):
        self.login()
        response = self.post(affiliation="Kabul spokesman")
        self.assertContains(response, "cannot belong to itself", status_code=422)

    def test_sending_it_to_review_takes_its_own_draft_body_along(self):
        body = Actor.objects.create(name="Interior ministry", created_by=self.analyst)
        self.actor.affiliation = body
        self.actor.save()
        self.login()
        self.client.post(reverse("desk:actor_submit", args=[self.actor.slug]))
        states = dict(Actor.objects.filter(pk__in=[self.actor.pk, body.pk]).values_list("name", "state"))
        self.assertEqual(states, {"Kabul spokesman": ReviewState.PENDING, "Interior ministry": ReviewState.PENDING})

    def test_nobody_else_sends_it_to_review(self):
        self.login(self.reviewer)
        response = self.client.post(reverse("desk:actor_submit", args=[self.actor.slug]))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(Actor.objects.get(pk=self.actor.pk).state, ReviewState.DRAFT)

    def test_its_page_reads_a_fixed_number_of_queries(self):
        self.login()
        self.client.get(self.url)  # the account and its roles are kept from here on
        with CaptureQueriesContext(connection) as before:
            self.client.get(self.url)
        self.actor.affiliation = self.pakistan
        self.actor.save()
        with CaptureQueriesContext(connection) as after:
            self.client.get(self.url)
        self.assertEqual(len(before), len(after))
        self.assertLessEqual(len(after), 6)


class PublicActorChangeTests(DeskTestCase):
    def setUp(self):
        self.url = reverse("desk:actor", args=[self.pakistan.slug])
        self.login(self.other_analyst)

    def test_a_change_is_proposed_as_a_revision_and_readers_see_no_change(self):
        response = self.client.post(self.url, actor_form(
            name="Government of Pakistan", kind="government", aliases="Islamabad",
            description="Run by the army.", version=self.pakistan.version, revision_note="Per the new report.",
        ))  # fmt: skip
        self.assertEqual(response.status_code, 302)
        revision = Revision.objects.for_record(self.pakistan).get()
        self.assertEqual(
            (revision.changes, revision.created_by), ({"description": "Run by the army."}, self.other_analyst)
        )
        self.assertEqual(Actor.objects.get(pk=self.pakistan.pk).description, "")
        page = self.client.get(self.url)
        self.assertContains(page, "A change to this actor is waiting for review")
        self.assertNotContains(page, 'id="id_description"')

    def test_nothing_changed_is_refused_with_a_message(self):
        response = self.client.post(self.url, actor_form(
            name="Government of Pakistan", kind="government", aliases="Islamabad", version=self.pakistan.version,
        ))  # fmt: skip
        self.assertContains(response, "Nothing changed", status_code=422)

    def test_the_approved_change_reaches_the_public_page(self):
        self.client.post(self.url, actor_form(
            name="Government of Pakistan", kind="government", aliases="Islamabad\nPakistan",
            description="Described.", version=self.pakistan.version,
        ))  # fmt: skip
        revision = Revision.objects.for_record(self.pakistan).get()
        approve(revision, self.reviewer)
        self.assertEqual(Actor.objects.get(pk=self.pakistan.pk).alias_list, ["Islamabad", "Pakistan"])
