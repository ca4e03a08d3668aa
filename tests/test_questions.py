"""Questions and answers as records: typed values, review, and conflicts found on approval."""

import datetime

from django.core.exceptions import ValidationError
from django.urls import reverse

from claims.models import Answer, Question, ReviewError, ReviewState, review_records
from claims.questions import ValueType, conflicting_pairs
from tests.base import BaseTestCase, approve, make_claim, make_source

CEASEFIRE_TEXT = (
    "Talks mediated by the Taliban led to a ceasefire agreed in June 2022.\n\n"
    "Officials said the truce was signed in May 2022 in Kabul.\n\n"
    "The TTP ended the ceasefire in November 2022.\n\n"
    "At least 30 people were killed in the attack, police said.\n\n"
    "Hospital officials counted 41 dead."
)


class QuestionTestCase(BaseTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ceasefire_source = make_source(text=CEASEFIRE_TEXT, title="Ceasefire report")
        cls.june = approve(
            make_claim(cls.ceasefire_source, "ceasefire agreed in June 2022", cls.pakistan, cls.analyst), cls.reviewer
        )
        cls.may = approve(
            make_claim(cls.ceasefire_source, "signed in May 2022", cls.taliban, cls.analyst), cls.reviewer
        )
        cls.ended = approve(
            make_claim(cls.ceasefire_source, "ended the ceasefire in November 2022", cls.pakistan, cls.analyst),
            cls.reviewer,
        )

    def question(self, text="When was the ceasefire agreed?", value_type=ValueType.DATE, approved=True, **fields):
        question = Question.objects.create(text=text, value_type=value_type, created_by=self.analyst, **fields)
        return approve(question, self.reviewer) if approved else question

    def answer(self, question, claim, value_text, *, approved=True, by=None):
        answer = Answer(question=question, claim=claim, value_text=value_text, created_by=by or self.analyst)
        answer.full_clean()
        answer.save()
        return approve(answer, self.reviewer) if approved else answer


class AnswerValueTests(QuestionTestCase):
    def test_a_date_answer_keeps_its_interval_and_precision(self):
        answer = self.answer(self.question(), self.may, "May 2022", approved=False)
        self.assertEqual((answer.date_low, answer.date_high), (datetime.date(2022, 5, 1), datetime.date(2022, 5, 31)))
        self.assertEqual(answer.date_precision, "month")
        self.assertEqual(answer.value_display, "May 2022")

    def test_a_value_that_does_not_fit_the_type_is_refused_naming_the_field(self):
        question = self.question()
        for text in ("May 32nd 2022", "thirty", "June to May 2022"):
            with self.subTest(text=text), self.assertRaises(ValidationError) as raised:
                Answer(question=question, claim=self.may, value_text=text, created_by=self.analyst).full_clean()
            self.assertIn("value_text", raised.exception.message_dict)
        self.assertFalse(Answer.objects.exists())

    def test_a_number_with_another_unit_is_refused(self):
        question = self.question("How many were killed?", ValueType.QUANTITY, unit="people")
        with self.assertRaisesMessage(ValidationError, "This question counts people"):
            Answer(question=question, claim=self.june, value_text="30 tanks", created_by=self.analyst).full_clean()

    def test_save_refuses_a_bad_value_too_whatever_the_path(self):
        with self.assertRaises(ValidationError):
            Answer.objects.create(question=self.question(), claim=self.may, value_text="soon", created_by=self.analyst)
        self.assertFalse(Answer.objects.exists())

    def test_an_actor_answer_names_an_existing_actor_by_name_or_alias(self):
        question = self.question("Who mediated the talks?", ValueType.ACTOR)
        answer = self.answer(question, self.june, "islamabad", approved=False)
        self.assertEqual(answer.actor, self.pakistan)
        self.assertEqual(answer.value_text, "Government of Pakistan")
        with self.assertRaisesMessage(ValidationError, "No actor is called “Nobody”"):
            Answer(question=question, claim=self.may, value_text="Nobody", created_by=self.analyst).full_clean()

    def test_a_quantity_question_needs_a_unit_and_others_have_none(self):
        with self.assertRaises(ValidationError) as raised:
            Question(text="How many?", value_type=ValueType.QUANTITY, created_by=self.analyst).full_clean()
        self.assertIn("unit", raised.exception.message_dict)
        with self.assertRaises(ValidationError):
            Question(text="When?", value_type=ValueType.DATE, unit="days", created_by=self.analyst).full_clean()

    def test_a_questions_type_cannot_change_once_answered(self):
        question = self.question()
        self.answer(question, self.may, "May 2022", approved=False)
        question.value_type = ValueType.YES_NO
        with self.assertRaisesMessage(ValidationError, "can no longer change"):
            question.full_clean()

    def test_one_claim_answers_a_question_once(self):
        question = self.question()
        self.answer(question, self.may, "May 2022", approved=False)
        with self.assertRaises(ValidationError):
            Answer(question=question, claim=self.may, value_text="2022", created_by=self.analyst).full_clean()


class AnswerReviewTests(QuestionTestCase):
    def test_an_answer_is_approved_only_once_its_claim_and_question_are(self):
        question = self.question(approved=False)
        answer = self.answer(question, self.may, "May 2022", approved=False)
        answer.submit(self.analyst)
        with self.assertRaisesMessage(ReviewError, "its question"):
            answer.approve(self.reviewer)
        approve(question, self.reviewer)
        answer.approve(self.reviewer)
        self.assertEqual(answer.state, ReviewState.APPROVED)

    def test_four_eyes_the_author_cannot_approve(self):
        author = self.reviewer
        question = self.question()
        answer = self.answer(question, self.may, "May 2022", approved=False, by=author)
        answer.submit(author)
        with self.assertRaisesMessage(ReviewError, "You cannot review your own work"):
            answer.approve(author)
        answer.refresh_from_db()
        self.assertEqual(answer.state, ReviewState.PENDING)


class ConflictDetectionTests(QuestionTestCase):
    def test_conflicting_approved_answers_make_the_question_a_contradiction(self):
        question = self.question()
        self.answer(question, self.june, "June 2022")
        question.refresh_from_db()
        self.assertFalse(question.is_contradiction)
        self.answer(question, self.may, "May 2022")
        question.refresh_from_db()
        self.assertTrue(question.has_conflict)
        self.assertTrue(question.is_contradiction)
        self.assertEqual(question.answers_count, 2)
        self.assertIsNotNone(question.became_contradiction_at)
        self.assertIn(question, Question.objects.contradictions())

    def test_answers_at_different_precision_that_overlap_agree(self):
        question = self.question()
        self.answer(question, self.may, "May 2022")
        self.answer(question, self.june, "2022")
        question.refresh_from_db()
        self.assertFalse(question.has_conflict)
        self.assertNotIn(question, Question.objects.contradictions())

    def test_unapproved_answers_never_count(self):
        question = self.question()
        self.answer(question, self.june, "June 2022")
        submitted = self.answer(question, self.may, "May 2022", approved=False)
        submitted.submit(self.analyst)
        question.refresh_from_db()
        self.assertFalse(question.has_conflict)
        self.assertEqual(question.answers_count, 1)

    def test_returning_an_answer_to_draft_ends_the_conflict(self):
        question = self.question()
        self.answer(question, self.june, "June 2022")
        may = self.answer(question, self.may, "May 2022")
        may.return_to_draft(self.reviewer, reason="Misread the quote.")
        question.refresh_from_db()
        self.assertFalse(question.has_conflict)
        self.assertNotIn(question, Question.objects.contradictions())

    def test_withdrawing_the_claim_of_an_answer_ends_the_conflict_and_approving_it_again_restores_it(self):
        question = self.question()
        self.answer(question, self.june, "June 2022")
        self.answer(question, self.may, "May 2022")
        self.may.return_to_draft(self.reviewer, reason="Misattributed.")
        question.refresh_from_db()
        self.assertEqual((question.has_conflict, question.answers_count), (False, 1))
        self.assertNotIn(question, Question.objects.contradictions())
        self.may.submit(self.analyst)
        self.may.approve(self.reviewer)
        question.refresh_from_db()
        self.assertEqual((question.has_conflict, question.answers_count), (True, 2))

    def test_an_unapproved_question_is_never_a_contradiction(self):
        question = self.question()
        self.answer(question, self.june, "June 2022")
        self.answer(question, self.may, "May 2022")
        question.return_to_draft(self.reviewer, reason="Reword.")
        self.assertNotIn(question, Question.objects.contradictions())

    def test_number_answers_conflict_beyond_the_tolerance(self):
        source = self.ceasefire_source
        least = approve(
            make_claim(source, "At least 30 people were killed", self.pakistan, self.analyst), self.reviewer
        )
        counted = approve(make_claim(source, "counted 41 dead", self.taliban, self.analyst), self.reviewer)
        question = self.question("How many were killed?", ValueType.QUANTITY, unit="people", tolerance_percent=10)
        self.answer(question, least, "at least 30")
        self.answer(question, counted, "41")
        question.refresh_from_db()
        self.assertFalse(question.has_conflict)  # 41 is at least 30

    def test_conflicting_pairs_names_each_pair_of_values_once(self):
        question = self.question()
        june = self.answer(question, self.june, "June 2022")
        may = self.answer(question, self.may, "May 2022")
        late = self.answer(question, self.ended, "November 2022")
        pairs = conflicting_pairs([june, may, late])
        self.assertEqual(
            {(pair.first.pk, pair.second.pk) for pair in pairs},
            {(june.pk, may.pk), (june.pk, late.pk), (may.pk, late.pk)},
        )


class ReviewQueueTests(QuestionTestCase):
    def test_questions_and_answers_wait_in_the_queue_with_what_would_be_published(self):
        question = self.question("How many were killed?", ValueType.QUANTITY, unit="people", approved=False)
        question.submit(self.analyst)
        answer = self.answer(self.question(), self.may, "May 2022", approved=False)
        answer.submit(self.analyst)
        self.client.force_login(self.reviewer)
        response = self.client.get(reverse("admin:review_queue"))
        self.assertContains(response, "How many were killed?")
        self.assertContains(response, "counts <bdi>people</bdi>")
        self.assertContains(
            response,
            "<bdi>Afghan Taliban</bdi> answers “<bdi>May 2022</bdi>”: <bdi>When was the ceasefire agreed?</bdi>",
        )
        self.assertContains(response, "“<bdi>signed in May 2022</bdi>”")

    def test_bulk_approval_takes_the_question_before_its_answers(self):
        question = self.question(approved=False)
        answer = self.answer(question, self.may, "May 2022", approved=False)
        question.submit(self.analyst)
        answer.submit(self.analyst)
        outcome = review_records([answer, question], "approve", self.reviewer)
        self.assertEqual(outcome.refused, [])
        answer.refresh_from_db()
        self.assertEqual(answer.state, ReviewState.APPROVED)
