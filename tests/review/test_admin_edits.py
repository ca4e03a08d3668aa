"""Editing in the admin: drafts in place with history, approved records through revisions, anchors kept true."""

from unittest import mock

from django.urls import reverse

from claims.models import Actor, Claim, FieldChange, Proposition, ReviewState, Revision
from sources.models import Source
from tests.base import BaseTestCase, approve, make_claim, make_source
from tests.review.records import QUOTES, pending_claim


def form_data(response, **changes) -> dict:
    """What the change form would post back unchanged, with ``changes`` applied."""
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    data.update(changes)
    return data


class DraftEditTests(BaseTestCase):
    def setUp(self):
        self.claim = make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.url = reverse("admin:claims_claim_change", args=[self.claim.pk])
        self.client.force_login(self.analyst)

    def test_an_edit_is_saved_with_its_field_history(self):
        data = form_data(self.client.get(self.url), paraphrase="Pakistan says the Taliban shelter the TTP.")
        self.client.post(self.url, data)
        change = FieldChange.objects.for_record(self.claim).get()
        self.assertEqual(
            (change.field, change.new, change.by),
            ("paraphrase", "Pakistan says the Taliban shelter the TTP.", self.analyst),
        )
        self.assertEqual(Claim.objects.get(pk=self.claim.pk).version, self.claim.version + 1)

    def test_a_changed_quote_is_anchored_again(self):
        data = form_data(self.client.get(self.url), quote="providing   shelter for TTP members")
        self.client.post(self.url, data)
        claim = Claim.objects.get(pk=self.claim.pk)
        start = self.source.text.index("providing shelter for TTP members")
        self.assertEqual(
            (claim.quote, claim.start, claim.end), ("providing shelter for TTP members", start, start + 33)
        )

    def test_a_quote_not_in_the_source_is_refused_with_the_reason(self):
        data = form_data(self.client.get(self.url), quote="The Taliban are angels.")
        response = self.client.post(self.url, data)
        self.assertContains(response, "The quote is not in the source text.")
        self.assertContains(response, "The Taliban are angels.")  # what was typed is kept
        self.assertEqual(Claim.objects.get(pk=self.claim.pk).quote, QUOTES[0])

    def test_offsets_and_state_cannot_be_posted(self):
        data = form_data(self.client.get(self.url), paraphrase="New", start="0", end="5", state="approved")
        self.client.post(self.url, data)
        claim = Claim.objects.get(pk=self.claim.pk)
        self.assertEqual((claim.start, claim.state, claim.paraphrase), (self.claim.start, ReviewState.DRAFT, "New"))

    def test_a_stale_edit_is_refused_and_keeps_the_input(self):
        data = form_data(self.client.get(self.url), paraphrase="Mine")
        self.claim.paraphrase = "Theirs"
        # The same author, in another tab: nobody else edits a draft.
        self.claim.save_edit(expected_version=self.claim.version, fields=["paraphrase"], by=self.analyst)
        response = self.client.post(self.url, data)
        self.assertContains(response, "Someone else saved this claim after you opened it")
        self.assertContains(response, "Mine")
        self.assertEqual(Claim.objects.get(pk=self.claim.pk).paraphrase, "Theirs")

    def test_adding_a_claim_anchors_it_and_records_the_analyst(self):
        add = reverse("admin:claims_claim_add")
        self.client.post(
            add,
            {
                "source": self.source.pk,
                "claimant": self.taliban.pk,
                "quote": "they do not provide  support to TTP's operations",
                "paraphrase": "The Taliban deny supporting the TTP.",
                "asserted_precision": "unknown",
            },
        )
        claim = Claim.objects.get(claimant=self.taliban)
        self.assertEqual((claim.quote, claim.created_by, claim.state), (QUOTES[1], self.analyst, ReviewState.DRAFT))


class ReviewedRecordEditTests(BaseTestCase):
    def test_a_pending_record_cannot_be_edited(self):
        claim = pending_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        self.client.force_login(self.analyst)
        response = self.client.get(url)
        self.assertContains(response, "<h1>View claim</h1>", html=True)
        self.assertNotContains(response, 'name="_save"')
        self.assertEqual(self.client.post(url, {"paraphrase": "Sneaky"}).status_code, 403)

    def test_editing_an_approved_claim_proposes_a_revision(self):
        claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst), self.reviewer)
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        self.client.force_login(self.analyst)
        data = form_data(self.client.get(url), paraphrase="Clearer paraphrase")
        response = self.client.post(url, data, follow=True)
        self.assertContains(response, "wait for review as revision")
        self.assertEqual(Claim.objects.get(pk=claim.pk).paraphrase, QUOTES[0])
        self.assertEqual(Revision.objects.get().changes, {"paraphrase": "Clearer paraphrase"})

    def test_a_changed_quote_is_anchored_once_by_the_form_not_again_by_the_model(self):
        claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst), self.reviewer)
        url = reverse("admin:claims_claim_change", args=[claim.pk])
        self.client.force_login(self.analyst)
        data = form_data(self.client.get(url), quote=QUOTES[0][4:])
        with mock.patch("claims.models.anchor_quote", side_effect=AssertionError("anchored twice")):
            self.client.post(url, data)
        changes = Revision.objects.get().changes
        self.assertEqual((changes["quote"], changes["start"]), (QUOTES[0][4:], claim.start + 4))

    def test_only_revisable_fields_are_editable_on_an_approved_claim(self):
        claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst), self.reviewer)
        self.client.force_login(self.analyst)
        form = self.client.get(reverse("admin:claims_claim_change", args=[claim.pk])).context["adminform"].form
        self.assertEqual(set(form.fields) - {"loaded_version"}, set(Claim.REVISABLE_FIELDS))

    def test_an_approved_record_with_a_waiting_revision_is_read_only(self):
        claim = approve(make_claim(self.source, QUOTES[0], self.pakistan, self.analyst), self.reviewer)
        claim.propose_revision(self.analyst, {"paraphrase": "First"})
        self.client.force_login(self.other_analyst)
        response = self.client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
        self.assertContains(response, "<h1>View claim</h1>", html=True)
        self.assertNotContains(response, 'name="_save"')


def draft_source(analyst) -> Source:
    return make_source(
        text="A draft report, not yet reviewed.", title="Draft report", state="draft", created_by=analyst
    )


class SourceEditTests(BaseTestCase):
    def test_the_text_is_read_only_once_claims_are_anchored_in_it(self):
        make_claim(self.source, QUOTES[0], self.pakistan, self.analyst)
        self.client.force_login(self.analyst)
        response = self.client.get(reverse("admin:sources_source_change", args=[self.source.pk]))
        self.assertNotIn("text", response.context["adminform"].form.fields)

    def test_an_edit_of_a_draft_is_recorded_in_the_history(self):
        source = draft_source(self.analyst)
        url = reverse("admin:sources_source_change", args=[source.pk])
        self.client.force_login(self.analyst)
        data = form_data(self.client.get(url), outlet="The Express Tribune")
        self.client.post(url, data)
        self.assertEqual(Source.objects.get(pk=source.pk).outlet, "The Express Tribune")
        change = FieldChange.objects.for_record(source).get()
        self.assertEqual(
            (change.field, change.old, change.new, change.by), ("outlet", "", "The Express Tribune", self.analyst)
        )


class AddTests(BaseTestCase):
    def test_a_proposition_gets_its_address_from_its_statement(self):
        self.client.force_login(self.analyst)
        self.client.post(
            reverse("admin:claims_proposition_add"),
            {"statement": "The TTP ended the ceasefire in November 2022.", "slug": "", "description": ""},
        )
        proposition = Proposition.objects.get()
        self.assertEqual(proposition.slug, "the-ttp-ended-the-ceasefire-in-november-2022")
        self.assertEqual((proposition.created_by, proposition.state), (self.analyst, ReviewState.DRAFT))

    def test_an_actor_gets_its_address_from_its_name(self):
        self.client.force_login(self.analyst)
        self.client.post(
            reverse("admin:claims_actor_add"),
            {"name": "Zabihullah Mujahid", "slug": "", "kind": "person", "aliases": "", "description": ""},
        )
        self.assertEqual(Actor.objects.get(name="Zabihullah Mujahid").slug, "zabihullah-mujahid")


class SourceVersionTests(BaseTestCase):
    def setUp(self):
        self.source = draft_source(self.analyst)
        self.url = reverse("admin:sources_source_change", args=[self.source.pk])
        self.client.force_login(self.analyst)

    def test_an_edit_is_saved_with_its_field_history(self):
        self.client.post(self.url, form_data(self.client.get(self.url), outlet="The Express Tribune"))

        change = FieldChange.objects.for_record(self.source).get()
        self.assertEqual((change.field, change.new, change.by), ("outlet", "The Express Tribune", self.analyst))
        self.assertEqual(Source.objects.get(pk=self.source.pk).version, self.source.version + 1)

    def test_a_stale_edit_is_refused_and_keeps_the_input(self):
        data = form_data(self.client.get(self.url), outlet="Mine")
        Source.objects.filter(pk=self.source.pk).update(outlet="Theirs", version=self.source.version + 1)

        response = self.client.post(self.url, data)

        self.assertContains(response, "Someone else saved this source after you opened it")
        self.assertContains(response, "Mine")
        self.assertEqual(Source.objects.get(pk=self.source.pk).outlet, "Theirs")

    def test_a_save_that_lands_after_the_form_check_is_still_refused(self):
        from django.contrib.admin import site

        from claims.models import StaleEdit

        form = type("Form", (), {"cleaned_data": {"loaded_version": self.source.version}})()
        request = type("Request", (), {"user": self.analyst})()
        Source.objects.filter(pk=self.source.pk).update(outlet="Theirs", version=self.source.version + 1)
        self.source.outlet = "Mine"

        with self.assertRaises(StaleEdit):
            site._registry[Source].save_change(request, self.source, form, ["outlet"])
        self.assertEqual(Source.objects.get(pk=self.source.pk).outlet, "Theirs")
