"""Translations of quotes and of sources' summaries as records: checks, review, revisions, history."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings
from django.urls import reverse

from claims.models import FieldChange, ReviewError, ReviewState, Revision, review_records
from claims.translations import TRANSLATION_MAX_LENGTH, Translation, TranslationKind, language_name
from tests.base import BaseTestCase, approve, make_claim, make_source

PASHTO_TEXT = "ذبیح الله مجاهد وویل چې د پاکستان د کورني امنیت مسؤلیت په دوی نه دی."
PASHTO_QUOTE = "د پاکستان د کورني امنیت مسؤلیت په دوی نه دی"
ENGLISH_OF_PASHTO = "the responsibility for Pakistan's internal security is not theirs"


class TranslationTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.claim = approve(
            make_claim(
                cls.source, "they are not responsible for Pakistan’s internal security issues", cls.taliban, cls.analyst
            ),
            cls.reviewer,
        )
        cls.pashto_source = make_source(text=PASHTO_TEXT, title="Pashto report", language="ps")
        cls.pashto_claim = approve(make_claim(cls.pashto_source, PASHTO_QUOTE, cls.taliban, cls.analyst), cls.reviewer)

    def translation(
        self, *, claim=None, language="ur", text="وہ پاکستان کی اندرونی سلامتی کے ذمہ دار نہیں", by=None, **fields
    ):
        fields.setdefault("translator", "Desk translation team")
        return Translation.record(
            claim=claim or self.claim, language=language, text=text, created_by=by or self.analyst, **fields
        )


class TranslationCheckTests(TranslationTestCase):
    def test_a_translation_is_recorded_as_a_draft(self):
        translation = self.translation()
        self.assertEqual(translation.state, ReviewState.DRAFT)
        self.assertEqual(translation.kind, TranslationKind.HUMAN)
        self.assertFalse(Translation.objects.public().exists())

    def test_empty_or_blank_text_is_refused_naming_the_field(self):
        for text in ("", "   \n ", "\u200b\u200f"):
            with self.subTest(text=repr(text)), self.assertRaises(ValidationError) as raised:
                self.translation(text=text)
            self.assertIn("text", raised.exception.message_dict)
        self.assertFalse(Translation.objects.exists())

    def test_a_translation_in_the_language_of_the_original_is_refused(self):
        with self.assertRaises(ValidationError) as raised:
            self.translation(language="en", text="They are not responsible.")
        self.assertEqual(
            raised.exception.message_dict["language"],
            ["The original is in English already: translate it into another language."],
        )
        with self.assertRaises(ValidationError) as raised:
            self.translation(claim=self.pashto_claim, language="ps", text="نه")
        self.assertIn("Pashto", raised.exception.message_dict["language"][0])
        self.assertFalse(Translation.objects.exists())

    def test_a_language_not_offered_is_refused(self):
        with self.assertRaises(ValidationError) as raised:
            self.translation(language="xx")
        self.assertIn("language", raised.exception.message_dict)

    def test_text_longer_than_the_limit_is_refused_with_the_limit(self):
        with self.assertRaises(ValidationError) as raised:
            self.translation(text="و" * (TRANSLATION_MAX_LENGTH + 1))
        self.assertIn("at most 10,000 characters", raised.exception.message_dict["text"][0])
        self.assertFalse(Translation.objects.exists())

    def test_bidi_controls_are_stripped_from_text_and_translator(self):
        translation = self.translation(text="\u202eوہ ذمہ دار نہیں\u202c", translator="\u202eDesk\u2066 team")
        translation.refresh_from_db()
        self.assertEqual(translation.text, "وہ ذمہ دار نہیں")
        self.assertEqual(translation.translator, "Desk team")

    def test_a_translation_is_of_a_claim_or_of_a_source_never_both(self):
        with self.assertRaises(IntegrityError), transaction.atomic():
            Translation.objects.create(
                claim=self.claim, source=self.source, language="ur", text="x", translator="Desk", kind="human"
            )

    def test_a_source_summary_translation_is_checked_against_the_source_language(self):
        summary = Translation.record(
            source=self.pashto_source, language="en", text="A Taliban spokesman disowns Pakistan's security.",
            translator="Desk translation team", created_by=self.analyst,
        )  # fmt: skip
        self.assertEqual(summary.original_language, "ps")
        with self.assertRaises(ValidationError):
            Translation.record(
                source=self.pashto_source, language="ps", text="x", translator="D", created_by=self.analyst
            )

    def test_the_label_names_the_language_of_the_original_and_the_kind(self):
        translation = self.translation(claim=self.pashto_claim, language="en", text=ENGLISH_OF_PASHTO)
        self.assertEqual(translation.label, "Translation from Pashto, human, reviewed")
        translation.kind = TranslationKind.MACHINE
        self.assertEqual(translation.label, "Translation from Pashto, machine, reviewed")
        self.assertEqual(language_name("fa-AF"), "Persian")
        self.assertEqual(translation.direction, "ltr")
        self.assertEqual(self.translation().direction, "rtl")


class TranslationReviewTests(TranslationTestCase):
    def test_a_translation_goes_draft_pending_approved(self):
        translation = self.translation()
        translation.submit(self.analyst)
        self.assertEqual(translation.state, ReviewState.PENDING)
        translation.approve(self.reviewer)
        self.assertEqual(translation.state, ReviewState.APPROVED)
        self.assertEqual(list(Translation.objects.public()), [translation])
        self.assertEqual(
            [(c.from_state, c.to_state) for c in translation.history().order_by("at", "pk")],
            [("draft", "pending"), ("pending", "approved")],
        )

    def test_rejecting_needs_a_reason(self):
        translation = self.translation()
        translation.submit(self.analyst)
        with self.assertRaisesMessage(ReviewError, "A reason is required to reject."):
            translation.reject(self.reviewer, reason="  ")
        translation.reject(self.reviewer, reason="The negation is lost.")
        self.assertEqual(translation.state, ReviewState.REJECTED)
        self.assertEqual(translation.review_reason, "The negation is lost.")

    def test_four_eyes_the_author_cannot_approve(self):
        translation = self.translation(by=self.reviewer)
        translation.submit(self.reviewer)
        with self.assertRaisesMessage(ReviewError, "You cannot review your own work"):
            translation.approve(self.reviewer)
        translation.refresh_from_db()
        self.assertEqual(translation.state, ReviewState.PENDING)

    @override_settings(REVIEW_FOUR_EYES=False)
    def test_one_person_teams_can_relax_four_eyes(self):
        translation = self.translation(by=self.reviewer)
        approve(translation, self.reviewer)
        self.assertEqual(translation.state, ReviewState.APPROVED)

    def test_analysts_cannot_approve(self):
        translation = self.translation(by=self.other_analyst)
        translation.submit(self.other_analyst)
        with self.assertRaisesMessage(Exception, "Only reviewers can approve or reject."):
            translation.approve(self.analyst)

    def test_a_translation_of_an_unapproved_claim_waits_for_it(self):
        draft_claim = make_claim(self.source, "the Taliban is providing shelter", self.pakistan, self.analyst)
        translation = self.translation(claim=draft_claim, text="طالبان پناہ دے رہے ہیں")
        translation.submit(self.analyst)  # sends the analyst's draft claim along
        draft_claim.refresh_from_db()
        self.assertEqual(draft_claim.state, ReviewState.PENDING)
        with self.assertRaisesMessage(ReviewError, "its claim"):
            translation.approve(self.reviewer)
        outcome = review_records([translation, draft_claim], "approve", self.reviewer)
        self.assertEqual(outcome.refused, [])

    def test_one_approved_translation_per_claim_and_language(self):
        approve(self.translation(), self.reviewer)
        second = self.translation(text="وہ ذمہ دار نہیں ہیں")
        second.submit(self.analyst)
        with self.assertRaisesMessage(ReviewError, "An approved Urdu translation of this is public already"):
            second.approve(self.reviewer)
        second.refresh_from_db()
        self.assertEqual(second.state, ReviewState.PENDING)
        approve(self.translation(language="ps", text="دوی مسؤل نه دي"), self.reviewer)  # another language is fine
        self.assertEqual(Translation.objects.public().count(), 2)

    def test_an_approved_translation_is_changed_by_a_reviewed_revision(self):
        translation = approve(self.translation(), self.reviewer)
        revision = translation.propose_revision(
            self.other_analyst, {"text": "وہ پاکستان کی داخلی سلامتی کے ذمہ دار نہیں", "kind": "machine"}
        )
        translation.refresh_from_db()
        self.assertEqual(translation.kind, TranslationKind.HUMAN)  # readers keep the approved text meanwhile
        revision.approve(self.reviewer)
        translation.refresh_from_db()
        self.assertEqual(translation.text, "وہ پاکستان کی داخلی سلامتی کے ذمہ دار نہیں")
        self.assertEqual(translation.kind, TranslationKind.MACHINE)
        changed = set(FieldChange.objects.for_record(translation).values_list("field", flat=True))
        self.assertEqual(changed, {"text", "kind"})
        self.assertEqual(Revision.objects.get().record, translation)

    def test_a_revision_cannot_change_the_language(self):
        translation = approve(self.translation(), self.reviewer)
        with self.assertRaisesMessage(ReviewError, "These fields cannot be revised: language."):
            translation.propose_revision(self.other_analyst, {"language": "fa"})

    def test_the_review_queue_shows_a_translation_with_its_quote(self):
        self.translation().submit(self.analyst)
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("admin:review_queue"))
        self.assertContains(response, "Urdu translation (human, <bdi>Desk translation team</bdi>)")
        self.assertContains(response, 'dir="rtl">وہ پاکستان کی اندرونی سلامتی کے ذمہ دار نہیں</bdi>')

    def test_the_admin_change_page_shows_the_quote_in_its_paragraph(self):
        translation = self.translation()
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("admin:claims_translation_change", args=[translation.pk]))
        self.assertContains(response, "internal security issues")
        self.assertContains(response, "Desk translation team")
