"""The desk's translations of quotes: adding, editing drafts in place, sending to review, proposing changes."""

from django.urls import reverse

from claims.models import FieldChange, ReviewState, Revision
from claims.translations import Translation
from tests.base import approve, make_claim, make_source
from tests.desk.base import HTMX, DeskTestCase

URDU = "طالبان ٹی ٹی پی کے ارکان کو پناہ دے رہے ہیں"


class TranslationDeskTestCase(DeskTestCase):
    def page_url(self, claim=None):
        return reverse("desk:claim_translations", args=[(claim or self.claim).pk])

    def add(self, *, client_headers=None, **data):
        fields = {"language": "ur", "text": URDU, "translator": "Desk translation team", "kind": "human", "notes": ""}
        return self.client.post(self.page_url(), fields | data, **(client_headers or {}))

    def draft(self, by=None, **fields):
        values = {"language": "ur", "text": URDU, "translator": "Desk translation team"} | fields
        return Translation.record(claim=self.claim, created_by=by or self.analyst, **values)


class AddTranslationTests(TranslationDeskTestCase):
    def test_the_page_shows_the_quote_and_the_form(self):
        self.login()
        response = self.client.get(self.page_url())
        self.assertContains(response, "the Taliban is providing shelter for TTP members")
        self.assertContains(response, '<label for="id_language">Into</label>', html=False)
        self.assertContains(response, "Save the translation as a draft")

    def test_the_form_never_offers_the_quotes_own_language_first(self):
        self.login()

        english = self.client.get(self.page_url())
        pashto = self.client.get("/ps" + self.page_url())

        self.assertEqual(english.context["form"]["language"].value(), "ur")  # the first that is not English
        self.assertEqual(pashto.context["form"]["language"].value(), "ps")  # the desk's own language

    def test_an_analyst_adds_a_draft_translation(self):
        self.login()
        response = self.add()
        self.assertRedirects(response, self.page_url())
        translation = Translation.objects.get()
        self.assertEqual(
            (translation.state, translation.language, translation.created_by), ("draft", "ur", self.analyst)
        )

    def test_with_htmx_the_list_comes_back_with_the_new_draft(self):
        self.login()
        response = self.add(client_headers=HTMX)
        self.assertContains(response, "Urdu translation saved as a draft.")
        self.assertContains(response, f'lang="ur" dir="rtl">{URDU}</blockquote>')
        self.assertNotContains(response, "<html")

    def test_bad_input_is_refused_naming_the_field_and_nothing_is_stored(self):
        self.login()
        for data, field, message in (
            ({"text": "  \n "}, "text", "This field is required."),
            ({"text": "\u200b\u200b"}, "text", "no visible characters"),
            ({"text": "و" * 10_001}, "text", "at most 10,000 characters"),
            ({"language": "en"}, "language", "The original is in English already"),
            ({"language": "xx"}, "language", "Select a valid choice"),
            ({"translator": ""}, "translator", "This field is required."),
            ({"kind": "oracle"}, "kind", "Select a valid choice"),
        ):
            with self.subTest(field=field, message=message):
                response = self.add(**data)
                self.assertEqual(response.status_code, 422)
                self.assertContains(response, message, status_code=422)
                self.assertIn(field, response.context["form"].errors)
        self.assertFalse(Translation.objects.exists())

    def test_bidi_controls_are_stripped_before_saving(self):
        self.login()
        self.add(text=f"\u202e{URDU}", translator="Desk\u2066 team")
        translation = Translation.objects.get()
        self.assertEqual((translation.text, translation.translator), (URDU, "Desk team"))

    def test_a_ten_megabyte_field_is_refused_and_saves_nothing(self):
        self.login()
        response = self.add(text="word " * 2_000_000)
        self.assertIn(response.status_code, (400, 413))
        self.assertFalse(Translation.objects.exists())

    def test_an_unknown_claim_is_a_404_with_a_message(self):
        self.login()
        response = self.client.get(reverse("desk:claim_translations", args=[999_999]))
        self.assertContains(response, "There is no such claim.", status_code=404)

    def test_readers_and_outsiders_cannot_enter(self):
        response = self.client.get(self.page_url())
        self.assertEqual(response.status_code, 302)
        self.login(self.outsider)
        self.assertEqual(self.add().status_code, 403)
        self.assertFalse(Translation.objects.exists())

    def test_the_source_page_and_the_boards_link_to_the_translations(self):
        self.login()
        for url in (reverse("desk:source", args=[self.source.pk]), self.board_url()):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), self.page_url())


class EditTranslationTests(TranslationDeskTestCase):
    def edit(self, translation, *, version=None, **data):
        fields = {"text": URDU, "translator": "Desk translation team", "kind": "machine", "notes": ""}
        fields["version"] = translation.version if version is None else version
        return self.client.post(reverse("desk:translation_edit", args=[translation.pk]), fields | data)

    def test_the_author_edits_a_draft_in_place_and_the_history_says_so(self):
        translation = self.draft()
        self.login()
        self.assertRedirects(self.edit(translation, text="نیا ترجمہ"), self.page_url())
        translation.refresh_from_db()
        self.assertEqual((translation.text, translation.kind, translation.version), ("نیا ترجمہ", "machine", 2))
        self.assertEqual(
            set(FieldChange.objects.for_record(translation).values_list("field", flat=True)), {"text", "kind"}
        )

    def test_a_stale_edit_is_refused_and_keeps_the_other_version(self):
        translation = self.draft()
        self.login()
        self.edit(translation, text="پہلا")
        response = self.edit(translation, text="دوسرا", version=1)
        self.assertContains(response, "Someone else saved this translation", status_code=409)
        translation.refresh_from_db()
        self.assertEqual(translation.text, "پہلا")

    def test_someone_elses_draft_is_not_edited(self):
        translation = self.draft()
        self.login(self.other_analyst)
        response = self.edit(translation, text="کسی اور کا")
        self.assertEqual(response.status_code, 403)
        translation.refresh_from_db()
        self.assertEqual(translation.text, URDU)

    def test_an_approved_translation_is_not_edited_in_place(self):
        approve(self.claim, self.reviewer)
        translation = approve(self.draft(), self.reviewer)
        self.login()
        self.assertEqual(self.edit(translation, text="بدلا ہوا").status_code, 403)


class SubmitAndReviseTests(TranslationDeskTestCase):
    def test_sending_to_review_takes_the_authors_draft_claim_along(self):
        translation = self.draft()
        self.login()
        response = self.client.post(reverse("desk:translation_submit", args=[translation.pk]), **HTMX)
        self.assertContains(response, "Translation sent to review.")
        translation.refresh_from_db()
        self.claim.refresh_from_db()
        self.assertEqual((translation.state, self.claim.state), (ReviewState.PENDING, ReviewState.PENDING))

    def test_a_pending_translation_cannot_be_sent_again(self):
        translation = self.draft()
        translation.submit(self.analyst)
        self.login()
        response = self.client.post(reverse("desk:translation_submit", args=[translation.pk]))
        self.assertEqual(response.status_code, 403)

    def test_anyone_at_the_desk_proposes_a_change_to_an_approved_translation(self):
        approve(self.claim, self.reviewer)
        translation = approve(self.draft(), self.reviewer)
        self.login(self.other_analyst)
        url = reverse("desk:translation_revise", args=[translation.pk])
        self.assertContains(self.client.get(url), "Propose the change")
        response = self.client.post(
            url,
            {"text": "بہتر ترجمہ", "translator": "Desk", "kind": "human", "notes": "", "version": translation.version},
        )
        self.assertRedirects(response, self.page_url())
        revision = Revision.objects.get()
        self.assertEqual(revision.changes, {"text": "بہتر ترجمہ", "translator": "Desk"})
        translation.refresh_from_db()
        self.assertEqual(translation.text, URDU)  # until a reviewer approves the change

    def test_a_stale_proposal_is_refused(self):
        approve(self.claim, self.reviewer)
        translation = approve(self.draft(), self.reviewer)
        self.login(self.other_analyst)
        fields = {
            "text": "بہتر",
            "translator": "Desk",
            "kind": "human",
            "notes": "",
            "version": translation.version - 1,
        }
        response = self.client.post(reverse("desk:translation_revise", args=[translation.pk]), fields)
        self.assertContains(response, "Someone else saved this translation", status_code=409)
        self.assertFalse(Revision.objects.exists())

    def test_query_count_of_the_page_does_not_grow_with_translations(self):
        self.login()
        self.client.get(self.page_url())
        with self.assertNumQueries(2):  # the claim with its source, translations with authors
            self.client.get(self.page_url())
        for language in ("fa", "ps", "ar", "de"):
            self.draft(language=language, text=f"{language} words")
        with self.assertNumQueries(2):
            self.client.get(self.page_url())


SUMMARY = "پاکستان کا کہنا ہے کہ طالبان ٹی ٹی پی کو پناہ دیتے ہیں؛ طالبان اس سے انکار کرتے ہیں۔"


class SourceSummaryTestCase(TranslationDeskTestCase):
    def page_url(self, source=None):
        return reverse("desk:source_translations", args=[(source or self.source).pk])

    def draft(self, by=None, source=None, **fields):
        values = {"language": "ur", "text": SUMMARY, "translator": "Desk translation team"} | fields
        return Translation.record(source=source or self.source, created_by=by or self.analyst, **values)


class SourceSummaryTranslationTests(SourceSummaryTestCase):
    def test_the_page_names_the_source_and_offers_the_form(self):
        self.login()
        response = self.client.get(self.page_url())
        self.assertContains(response, "The source’s summary in other languages")
        self.assertContains(response, self.source.title)
        self.assertContains(response, "A short summary of the source in the other language")
        self.assertContains(response, "Save the translation as a draft")

    def test_an_analyst_adds_a_draft_summary(self):
        self.login()
        response = self.add(text=SUMMARY)
        self.assertRedirects(response, self.page_url())
        translation = Translation.objects.get()
        self.assertEqual((translation.source, translation.claim, translation.state), (self.source, None, "draft"))

    def test_with_htmx_the_list_comes_back_with_the_new_summary(self):
        self.login()
        response = self.add(text=SUMMARY, client_headers=HTMX)
        self.assertContains(response, "Urdu translation saved as a draft.")
        self.assertContains(response, f'lang="ur" dir="rtl">{SUMMARY}</blockquote>')
        self.assertNotContains(response, "<html")

    def test_a_summary_in_the_sources_own_language_is_refused_and_nothing_is_stored(self):
        self.login()
        response = self.add(language="en", text="Pakistan says the Taliban shelter the TTP.")
        self.assertContains(response, "The original is in English already", status_code=422)
        self.assertFalse(Translation.objects.exists())

    def test_an_unknown_source_is_a_404_with_a_message(self):
        self.login()
        response = self.client.get(reverse("desk:source_translations", args=[999_999]))
        self.assertContains(response, "There is no such source", status_code=404)

    def test_the_author_edits_a_draft_summary_in_place(self):
        translation = self.draft()
        self.login()
        url = reverse("desk:translation_edit", args=[translation.pk])
        self.assertContains(self.client.get(url), "Save the translation")
        data = {"text": "نیا خلاصہ", "translator": "Desk", "kind": "machine", "notes": "", "version": 1}
        self.assertRedirects(self.client.post(url, data), self.page_url())
        translation.refresh_from_db()
        self.assertEqual((translation.text, translation.kind, translation.version), ("نیا خلاصہ", "machine", 2))

    def test_a_stale_edit_of_a_summary_is_refused_with_409(self):
        translation = self.draft()
        self.login()
        url = reverse("desk:translation_edit", args=[translation.pk])
        data = {"translator": "Desk", "kind": "human", "notes": ""}
        self.client.post(url, data | {"text": "پہلا", "version": 1})
        response = self.client.post(url, data | {"text": "دوسرا", "version": 1})
        self.assertContains(response, "Someone else saved this translation", status_code=409)
        translation.refresh_from_db()
        self.assertEqual(translation.text, "پہلا")

    def test_a_summary_is_sent_to_review_from_its_page(self):
        translation = self.draft()
        self.login()
        response = self.client.post(reverse("desk:translation_submit", args=[translation.pk]), **HTMX)
        self.assertContains(response, "Translation sent to review.")
        translation.refresh_from_db()
        self.assertEqual(translation.state, ReviewState.PENDING)

    def test_a_change_to_an_approved_summary_is_proposed_as_a_revision(self):
        translation = approve(self.draft(), self.reviewer)
        self.login(self.other_analyst)
        url = reverse("desk:translation_revise", args=[translation.pk])
        self.assertContains(self.client.get(url), "Propose the change")
        data = {"text": "بہتر خلاصہ", "translator": "Desk translation team", "kind": "human", "notes": ""}
        response = self.client.post(url, data | {"version": translation.version})
        self.assertRedirects(response, self.page_url())
        self.assertEqual(Revision.objects.get().changes, {"text": "بہتر خلاصہ"})
        translation.refresh_from_db()
        self.assertEqual(translation.text, SUMMARY)

    def test_the_source_page_lists_its_summaries_with_their_state_and_links_to_them(self):
        approve(self.draft(), self.reviewer)
        self.draft(language="ps", text="لنډیز")
        self.login()
        response = self.client.get(reverse("desk:source", args=[self.source.pk]))
        self.assertContains(response, "Summary in other languages:")
        self.assertContains(response, 'Pashto <span class="state state--draft">')
        self.assertContains(response, 'Urdu <span class="state state--approved">')
        self.assertContains(response, self.page_url())

    def test_query_count_of_the_summary_page_does_not_grow_with_translations(self):
        self.login()
        self.client.get(self.page_url())
        with self.assertNumQueries(2):  # the source, translations with authors
            self.client.get(self.page_url())
        for language in ("fa", "ps", "ar", "de"):
            self.draft(language=language, text=f"{language} words")
        with self.assertNumQueries(2):
            self.client.get(self.page_url())


class SourceSummaryAccessTests(SourceSummaryTestCase):
    def test_anonymous_visitors_go_to_log_in(self):
        for response in (self.client.get(self.page_url()), self.add(text=SUMMARY)):
            self.assertTrue(response["Location"].startswith(reverse("login")))
        self.assertFalse(Translation.objects.exists())

    def test_users_in_no_role_are_refused(self):
        self.login(self.outsider)
        self.assertEqual(self.client.get(self.page_url()).status_code, 403)
        self.assertEqual(self.add(text=SUMMARY).status_code, 403)
        self.assertFalse(Translation.objects.exists())

    def test_analysts_reviewers_and_admins_add_summaries(self):
        for user, language in ((self.analyst, "ur"), (self.reviewer, "fa"), (self.admin, "ps")):
            with self.subTest(user=user.username):
                self.login(user)
                self.assertEqual(self.client.get(self.page_url()).status_code, 200)
                self.assertRedirects(self.add(language=language, text=SUMMARY), self.page_url())
        self.assertEqual(Translation.objects.filter(source=self.source).count(), 3)

    def test_only_the_author_or_an_admin_edits_or_sends_a_draft_summary(self):
        translation = self.draft()
        edit = {"text": "کسی اور کا", "translator": "Desk", "kind": "human", "notes": "", "version": 1}
        for user in (self.other_analyst, self.reviewer):
            with self.subTest(user=user.username):
                self.login(user)
                response = self.client.post(reverse("desk:translation_edit", args=[translation.pk]), edit)
                self.assertContains(response, "only its author edits it", status_code=403)
                response = self.client.post(reverse("desk:translation_submit", args=[translation.pk]))
                self.assertContains(response, "only its author edits it", status_code=403)
        translation.refresh_from_db()
        self.assertEqual((translation.text, translation.state), (SUMMARY, ReviewState.DRAFT))
        self.login(self.admin)
        response = self.client.post(reverse("desk:translation_submit", args=[translation.pk]))
        self.assertRedirects(response, self.page_url())


class SendMyDraftsTests(SourceSummaryTestCase):
    def send(self, **headers):
        return self.client.post(reverse("desk:source_submit", args=[self.source.pk]), **headers)

    def claim_translation(self, claim=None, by=None, **fields):
        values = {"language": "ur", "text": URDU, "translator": "Desk translation team"} | fields
        return Translation.record(claim=claim or self.claim, created_by=by or self.analyst, **values)

    def assert_state(self, record, state):
        record.refresh_from_db()
        self.assertEqual(record.state, state, record)

    def test_my_draft_translation_goes_with_my_draft_claim(self):
        translation = self.claim_translation()
        self.login()
        self.assertContains(
            self.client.get(reverse("desk:source", args=[self.source.pk])), "1 claim, 1 stance, 1 translation"
        )
        response = self.send(**HTMX)
        self.assertContains(response, "Sent to review: 1 claim, 1 stance, 1 translation, 1 proposition.")
        self.assert_state(self.claim, ReviewState.PENDING)
        self.assert_state(translation, ReviewState.PENDING)

    def test_a_translation_alone_is_sent_when_its_claim_is_public_or_pending(self):
        approve(self.claim, self.reviewer)
        public = self.claim_translation()
        pending_claim = make_claim(self.source, "the Taliban insists", self.taliban, self.other_analyst)
        pending_claim.submit(self.other_analyst)
        of_pending = self.claim_translation(claim=pending_claim, language="ps", text="طالبان ټینګار کوي")
        self.login()
        self.assertContains(self.client.get(reverse("desk:source", args=[self.source.pk])), "2 translations")
        self.assertRedirects(self.send(), reverse("desk:source", args=[self.source.pk]))
        self.assert_state(public, ReviewState.PENDING)
        self.assert_state(of_pending, ReviewState.PENDING)

    def test_a_translation_of_someone_elses_draft_claim_waits_for_them(self):
        approve(self.claim, self.reviewer)
        theirs = make_claim(self.source, "the Taliban insists", self.taliban, self.other_analyst)
        waiting = self.claim_translation(claim=theirs)
        self.login()
        response = self.send(**HTMX)
        self.assertContains(response, "Sent to review: 1 stance, 1 proposition.")
        self.assert_state(waiting, ReviewState.DRAFT)

    def test_my_draft_summary_is_sent_and_my_draft_source_with_it(self):
        source = make_source(text="Another report.", title="A draft source", state="draft", created_by=self.analyst)
        summary = self.draft(source=source)
        self.login()
        response = self.client.post(reverse("desk:source_submit", args=[source.pk]), **HTMX)
        self.assertContains(response, "Sent to review: 1 translation, 1 source.")
        self.assert_state(summary, ReviewState.PENDING)
        self.assert_state(source, ReviewState.PENDING)

    def test_someone_elses_draft_translation_stays_theirs(self):
        approve(self.claim, self.reviewer)
        theirs = self.claim_translation(by=self.other_analyst)
        mine = self.draft()
        self.login()
        self.send()
        self.assert_state(mine, ReviewState.PENDING)
        self.assert_state(theirs, ReviewState.DRAFT)

    def test_the_board_sends_my_translations_of_the_claims_it_sends(self):
        translation = self.claim_translation()
        self.login()
        self.client.post(reverse("desk:board_submit", args=[self.proposition.slug]))
        self.assert_state(self.claim, ReviewState.PENDING)
        self.assert_state(translation, ReviewState.PENDING)
