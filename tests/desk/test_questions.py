"""Questions and answers at the desk: the list, the question board, answers from the board and the claim panel."""

import re

from django.test import Client
from django.urls import reverse
from django.utils.html import strip_tags

from claims.models import Answer, Claim, Question, ReviewState, Revision
from claims.questions import ValueType
from tests.base import approve, keep_account, make_claim, make_source
from tests.desk.base import HTMX, DeskTestCase, htmx_target

CEASEFIRE_TEXT = (
    "Talks mediated by the Taliban led to a ceasefire agreed in June 2022.\n\n"
    "Officials said the truce was signed in May 2022 in Kabul.\n\n"
    "A commander said the ceasefire was agreed in April 2022.\n\n"
    "At least 30 people were killed in the attack, police said."
)
QUESTION = "When was the ceasefire agreed?"


def answer_cards(response) -> list[int]:
    """The answers a board shows, by id, in order."""
    return [
        int(pk) for pk in re.findall(r'<article class="answer-card[^"]*" id="answer-(\d+)"', response.content.decode())
    ]


def groups(response) -> list[str]:
    """The values a board groups its answers by, in order."""
    headings = re.findall(
        r'class="answer-group__heading"><span class="value-chip[^"]*">(.*?)</span>', response.content.decode()
    )
    return [strip_tags(heading) for heading in headings]


class QuestionDeskTestCase(DeskTestCase):
    """DeskTestCase plus a source about the ceasefire, two approved claims and an approved date question."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.ceasefire = make_source(text=CEASEFIRE_TEXT, title="Ceasefire report", created_by=cls.analyst)
        cls.june = approve(make_claim(cls.ceasefire, "agreed in June 2022", cls.pakistan, cls.analyst), cls.reviewer)
        cls.may = approve(make_claim(cls.ceasefire, "signed in May 2022", cls.taliban, cls.analyst), cls.reviewer)
        cls.april = make_claim(cls.ceasefire, "agreed in April 2022", cls.taliban, cls.analyst)  # the analyst's draft
        cls.question = approve(
            Question.objects.create(text=QUESTION, value_type=ValueType.DATE, created_by=cls.analyst), cls.reviewer
        )

    def answer(self, claim, value, *, by=None, approved=False, question=None):
        answer = Answer(
            question=question or self.question, claim=claim, value_text=value, created_by=by or self.analyst
        )
        answer.full_clean()
        answer.save()
        return approve(answer, self.reviewer) if approved else answer

    def board_url(self, question=None):
        return reverse("desk:question", args=[(question or self.question).slug])


# ---------------------------------------------------------------------------
# Who may do what


class QuestionAccessTests(QuestionDeskTestCase):
    def test_anonymous_visitors_are_sent_to_log_in(self):
        for url in (reverse("desk:questions"), self.board_url(), reverse("desk:question_new")):
            with self.subTest(url=url):
                response = self.client.get(url)
                self.assertRedirects(response, f"{reverse('login')}?next={url}", fetch_redirect_response=False)

    def test_readers_with_an_account_are_refused_with_a_reason(self):
        self.client.force_login(self.outsider)
        for url in (reverse("desk:questions"), self.board_url(), reverse("desk:claim_answer", args=[self.june.pk])):
            with self.subTest(url=url):
                self.assertContains(self.client.get(url), "The desk is for analysts and reviewers", status_code=403)

    def test_analysts_and_reviewers_work_here(self):
        for user in (self.analyst, self.reviewer):
            self.client.force_login(user)
            self.assertEqual(self.client.get(self.board_url()).status_code, 200)

    def test_someone_elses_draft_question_is_read_only_to_me(self):
        draft = Question.objects.create(text="How many were killed?", value_type="quantity", unit="people")
        draft.created_by = self.analyst
        draft.save()
        self.login(self.other_analyst)
        response = self.client.post(
            reverse("desk:question_edit", args=[draft.slug]), {"text": "Mine now?", "value_type": "yes_no"}
        )
        self.assertContains(response, "This question is alice&#x27;s draft: only its author edits it", status_code=403)
        submit = self.client.post(reverse("desk:question_submit", args=[draft.slug]))
        self.assertEqual(submit.status_code, 403)
        draft.refresh_from_db()
        self.assertEqual((draft.text, draft.state), ("How many were killed?", ReviewState.DRAFT))

    def test_someone_elses_draft_answer_is_read_only_to_me(self):
        answer = self.answer(self.may, "May 2022")
        self.login(self.other_analyst)
        edit = self.client.post(reverse("desk:answer_edit", args=[answer.pk]), {"value_text": "2021", "version": 1})
        self.assertContains(edit, "This answer is alice&#x27;s draft: only its author edits it", status_code=403)
        submit = self.client.post(reverse("desk:answer_submit", args=[answer.pk]), **HTMX)
        self.assertContains(submit, "only its author edits it or sends it to review", status_code=403)
        answer.refresh_from_db()
        self.assertEqual((answer.value_text, answer.state), ("May 2022", ReviewState.DRAFT))

    def test_the_board_offers_no_controls_on_someone_elses_draft(self):
        answer = self.answer(self.may, "May 2022")
        self.login(self.other_analyst)
        response = self.client.get(self.board_url())
        self.assertIn(answer.pk, answer_cards(response))
        self.assertNotContains(response, reverse("desk:answer_edit", args=[answer.pk]))
        self.assertNotContains(response, reverse("desk:answer_submit", args=[answer.pk]))

    def test_an_approved_question_is_not_edited_in_place(self):
        self.login()
        response = self.client.get(reverse("desk:question_edit", args=[self.question.slug]))
        self.assertContains(response, "approved and public", status_code=403)


# ---------------------------------------------------------------------------
# The list and the new-question form


class QuestionListTests(QuestionDeskTestCase):
    url = reverse("desk:questions")

    def setUp(self):
        self.login()

    def test_it_lists_questions_with_their_answers_count(self):
        self.answer(self.may, "May 2022")
        response = self.client.get(self.url)
        self.assertContains(response, f'href="{self.board_url()}"><bdi>{QUESTION}</bdi></a>')
        self.assertContains(response, "1 answer")

    def test_it_finds_questions_by_their_words(self):
        Question.objects.create(text="Who mediated the talks?", value_type="actor", created_by=self.analyst)
        response = self.client.get(self.url, {"q": "mediated"}, **HTMX)
        self.assertContains(response, "Who mediated the talks?")
        self.assertNotContains(response, QUESTION)
        self.assertNotContains(response, "<html")

    def test_its_query_count_does_not_grow_with_the_questions_and_answers(self):
        self.client.get(self.url)  # the account and its roles are kept from here on
        with self.assertNumQueries(1):  # questions with their answers counted
            self.client.get(self.url)
        for number in range(3):
            question = Question.objects.create(text=f"Question {number}?", value_type="yes_no")
            self.answer(self.june, "yes", question=question)
        self.answer(self.may, "May 2022")
        with self.assertNumQueries(1):
            self.client.get(self.url)

    def test_the_desk_navigation_links_to_it(self):
        response = self.client.get(self.url)
        self.assertContains(response, f'<a href="{self.url}" aria-current="page">Questions</a>', html=True)


class NewQuestionTests(QuestionDeskTestCase):
    url = reverse("desk:question_new")

    def setUp(self):
        self.login()

    def test_it_creates_a_draft_question_with_its_related_propositions(self):
        data = {
            "text": "How many people were killed in the attack?",
            "value_type": "quantity",
            "unit": "people killed",
            "tolerance_percent": "10",
            "description": "Police and hospital *disagree*.",
            "related": f"{self.proposition.statement}\n",
        }
        response = self.client.post(self.url, data)
        question = Question.objects.get(text=data["text"])
        self.assertRedirects(response, self.board_url(question))
        self.assertEqual(
            (question.state, question.created_by, question.unit, question.tolerance_percent),
            (ReviewState.DRAFT, self.analyst, "people killed", 10),
        )
        self.assertEqual(list(question.propositions.all()), [self.proposition])
        self.assertIn("<em>disagree</em>", question.description_html)

    def test_a_number_question_without_a_unit_is_refused_naming_the_field(self):
        response = self.client.post(self.url, {"text": "How many were killed?", "value_type": "quantity"})
        self.assertContains(response, "Not saved: check the unit.", status_code=422)
        self.assertContains(response, "Say what the number counts", status_code=422)
        self.assertFalse(Question.objects.filter(text="How many were killed?").exists())

    def test_a_unit_left_in_the_hidden_number_fields_does_not_stop_a_date_question(self):
        self.client.post(self.url, {"text": "When did it end?", "value_type": "date", "unit": "days"})
        question = Question.objects.get(text="When did it end?")
        self.assertEqual((question.unit, question.tolerance_percent), ("", 0))

    def test_an_unknown_related_proposition_is_refused(self):
        data = {"text": "When did it end?", "value_type": "date", "related": "Nothing like this exists."}
        response = self.client.post(self.url, data)
        self.assertContains(response, "No proposition says “Nothing like this exists.”", status_code=422)
        self.assertFalse(Question.objects.filter(text="When did it end?").exists())

    def test_a_duplicate_question_is_refused(self):
        response = self.client.post(self.url, {"text": QUESTION.upper(), "value_type": "date"})
        self.assertContains(response, "already exists", status_code=422)
        self.assertEqual(Question.objects.count(), 1)

    def test_a_question_is_never_given_the_address_of_the_form(self):
        self.client.post(self.url, {"text": "New", "value_type": "yes_no"})
        self.assertNotEqual(Question.objects.get(text="New").slug, "new")

    def test_the_related_proposition_suggestions_fill_the_line_being_typed(self):
        url = reverse("desk:proposition_suggestions")
        response = self.client.get(url, {"field": "related", "related": "Something\nAfghan Taliban shelter"})
        self.assertContains(response, f'data-value="{self.proposition.statement}" data-append')


# ---------------------------------------------------------------------------
# The question board


class QuestionBoardAnswersFragmentTests(QuestionDeskTestCase):
    """The board's answers are rendered once per desk generation for each analyst, with their own CSRF token."""

    def board_with_csrf(self, user):
        client = Client(enforce_csrf_checks=True)
        client.force_login(user)
        return client, client.get(self.board_url())

    def submit_form_token(self, response, answer) -> str:
        action = re.escape(reverse("desk:answer_submit", args=[answer.pk]))
        form = re.search(
            rf'action="{action}".*?name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode(), re.S
        )
        return form[1]

    def test_a_second_visit_reads_neither_the_answers_nor_the_drafts(self):
        self.answer(self.june, "June 2022", approved=True)
        self.answer(self.may, "May 2022")
        self.login()
        keep_account(self.analyst)
        self.client.get(self.board_url())

        with self.assertNumQueries(1):  # the question: the page is kept whole for this analyst
            response = self.client.get(self.board_url())
        self.assertEqual(groups(response), ["May 2022", "June 2022"])
        self.assertContains(response, "Send my 1 draft on this question to review")

    def test_each_analyst_gets_answer_cards_with_their_own_controls_and_token(self):
        draft = self.answer(self.may, "May 2022")
        self.board_with_csrf(self.other_analyst)
        client, response = self.board_with_csrf(self.analyst)

        sent = client.post(
            reverse("desk:answer_submit", args=[draft.pk]),
            {"csrfmiddlewaretoken": self.submit_form_token(response, draft)},
        )

        self.assertEqual(sent.status_code, 302)
        draft.refresh_from_db()
        self.assertEqual(draft.state, ReviewState.PENDING)

    def test_another_analysts_draft_offers_no_controls(self):
        draft = self.answer(self.may, "May 2022")
        self.board_with_csrf(self.analyst)
        _, response = self.board_with_csrf(self.other_analyst)

        self.assertContains(response, f'id="answer-{draft.pk}"')
        self.assertNotContains(response, reverse("desk:answer_edit", args=[draft.pk]))
        self.assertNotContains(response, reverse("desk:answer_submit", args=[draft.pk]))

    def test_a_new_answer_shows_at_once(self):
        self.login()
        self.client.get(self.board_url())
        self.answer(self.april, "April 2022", by=self.other_analyst)

        self.assertEqual(groups(self.client.get(self.board_url())), ["April 2022"])


class QuestionBoardTests(QuestionDeskTestCase):
    def setUp(self):
        self.login()

    def test_it_groups_the_answers_by_value_in_every_state(self):
        june = self.answer(self.june, "June 2022", approved=True)
        may = self.answer(self.may, "2022-05")
        self.answer(self.april, "April 2022", by=self.analyst).submit(self.analyst)
        response = self.client.get(self.board_url())
        self.assertEqual(groups(response), ["April 2022", "May 2022", "June 2022"])
        self.assertEqual(answer_cards(response)[1:], [may.pk, june.pk])
        self.assertContains(response, '<span class="state state--pending">Pending review</span>')
        self.assertContains(response, '<span class="state state--draft">Draft</span>')

    def test_conflicts_are_worked_out_on_unapproved_answers_and_marked_so(self):
        self.answer(self.june, "June 2022", approved=True)
        self.answer(self.may, "May 2022")
        text = strip_tags(self.client.get(self.board_url()).content.decode())
        self.assertIn("These values cannot all be true:", text)
        self.assertRegex(
            text, r"May 2022\s+conflicts with\s+June 2022\s+not public yet: it rests on unapproved answers"
        )
        self.assertRegex(text, r"May 2022\s+1 claim\s+no approved answer yet")

    def test_a_conflict_between_approved_answers_is_marked_public(self):
        self.answer(self.june, "June 2022", approved=True)
        self.answer(self.may, "May 2022", approved=True)
        response = self.client.get(self.board_url())
        self.assertContains(response, '<span class="conflict-status conflict-status--public">public</span>')
        self.assertContains(response, f'href="{self.question.get_absolute_url()}" hx-boost="false">Public page</a>')

    def test_answers_at_another_precision_agree(self):
        self.answer(self.june, "June 2022")
        self.answer(self.may, "2022")
        self.assertContains(self.client.get(self.board_url()), "The values agree: they can all be true.")

    def test_rejected_answers_are_shown_apart_and_left_out_of_the_conflicts(self):
        self.answer(self.june, "June 2022", approved=True)
        rejected = self.answer(self.may, "May 2022")
        rejected.submit(self.analyst)
        rejected.reject(self.reviewer, reason="The truce was signed, not agreed.")
        response = self.client.get(self.board_url())
        self.assertEqual(groups(response), ["June 2022"])
        self.assertContains(response, "The truce was signed, not agreed.")
        self.assertNotContains(response, "These values cannot all be true")

    def test_a_draft_question_has_no_public_page_link(self):
        draft = Question.objects.create(text="Who mediated?", value_type="actor", created_by=self.analyst)
        response = self.client.get(self.board_url(draft))
        self.assertNotContains(response, "Public page")
        self.assertContains(response, "Send question to review")

    def test_its_query_count_does_not_grow_with_the_answers(self):
        self.answer(self.june, "June 2022", approved=True)
        keep_account(self.analyst)
        with self.assertNumQueries(3):  # question, answers with their claims, related propositions
            self.client.get(self.board_url())
        self.answer(self.may, "May 2022")
        self.answer(self.april, "April 2022", by=self.other_analyst)
        self.answer(self.claim, "2022")
        with self.assertNumQueries(3):
            self.client.get(self.board_url())

    def test_searching_finds_claims_that_do_not_answer_it_yet(self):
        self.answer(self.june, "June 2022")
        response = self.client.get(self.board_url(), {"q": "2022"}, **htmx_target("answer-claim-results"))
        found = [int(pk) for pk in re.findall(r'name="claim" value="(\d+)"', response.content.decode())]
        self.assertEqual(sorted(found), sorted([self.may.pk, self.april.pk]))
        self.assertContains(response, 'id="value-help"', count=0)
        self.assertContains(response, 'aria-describedby="value-help"', count=2)
        self.assertNotContains(response, "<html")


class AddAnswerTests(QuestionDeskTestCase):
    def setUp(self):
        self.login()
        self.url = reverse("desk:answer_add", args=[self.question.slug])

    def test_it_adds_a_draft_answer_and_shows_it_on_the_board(self):
        response = self.client.post(self.url, {"claim": self.may.pk, "value_text": "May 2022"})
        answer = Answer.objects.get()
        self.assertRedirects(response, f"{self.board_url()}#answer-{answer.pk}", fetch_redirect_response=False)
        self.assertEqual(
            (answer.claim, answer.state, answer.created_by, answer.date_precision),
            (self.may, ReviewState.DRAFT, self.analyst, "month"),
        )

    def test_over_htmx_the_result_says_added_and_the_answers_are_swapped(self):
        response = self.client.post(self.url, {"claim": self.may.pk, "value_text": "May 2022"}, **HTMX)
        self.assertContains(response, f'id="result-{self.may.pk}" class="result result--added"')
        self.assertContains(response, 'id="question-answers" class="question-answers"')
        self.assertContains(response, 'hx-swap-oob="true"', count=2)  # the answers and the "send my drafts" button
        self.assertContains(response, "Send my 1 draft on this question to review")

    def test_each_value_that_does_not_fit_is_refused_naming_the_field_and_nothing_is_stored(self):
        quantity = approve(
            Question.objects.create(
                text="How many were killed?", value_type="quantity", unit="people", created_by=self.analyst
            ),
            self.reviewer,
        )
        cases = [
            (self.question, "May 32nd 2022", "May 2022 has no day 32."),
            (self.question, "the day after", "is not a date"),
            (self.question, "June to May 2022", "ends before it starts"),
            (self.question, "at least 30", "is not a date"),
            (quantity, "30 tanks", "This question counts people, not “tanks”"),
            (quantity, "40–30", "ends before it starts"),
            (quantity, "May 2022", "is not a number"),
        ]
        for question, value, message in cases:
            with self.subTest(value=value):
                url = reverse("desk:answer_add", args=[question.slug])
                response = self.client.post(url, {"claim": self.may.pk, "value_text": value, "q": "may"}, **HTMX)
                self.assertContains(response, message, status_code=422)
                self.assertContains(
                    response, f'<ul class="errorlist" id="value-{self.may.pk}-error"><li>Value: ', status_code=422
                )
                self.assertContains(response, 'aria-invalid="true"', status_code=422)
                self.assertContains(response, f'value="{value}"', status_code=422)  # what was typed stays
        self.assertFalse(Answer.objects.exists())

    def test_without_htmx_a_refused_value_shows_the_board_with_the_reason(self):
        response = self.client.post(self.url, {"claim": self.may.pk, "value_text": "May 32nd 2022", "q": "May"})
        self.assertEqual(response.status_code, 422)
        self.assertIn(
            "Not added (Afghan Taliban): Value: May 2022 has no day 32.", strip_tags(response.content.decode())
        )
        self.assertContains(response, "<html", status_code=422)
        self.assertFalse(Answer.objects.exists())

    def test_a_claim_that_already_answers_is_refused(self):
        self.answer(self.may, "May 2022")
        response = self.client.post(self.url, {"claim": self.may.pk, "value_text": "2022"}, **HTMX)
        self.assertContains(response, "This claim already answers this question", status_code=409)
        self.assertEqual(Answer.objects.count(), 1)

    def test_an_unknown_claim_is_a_404(self):
        response = self.client.post(self.url, {"claim": 999_999, "value_text": "May 2022"})
        self.assertEqual(response.status_code, 404)
        self.assertFalse(Answer.objects.exists())

    def test_an_actor_is_named_by_an_alias_and_stored_by_name(self):
        question = approve(
            Question.objects.create(text="Who mediated?", value_type="actor", created_by=self.analyst), self.reviewer
        )
        self.client.post(
            reverse("desk:answer_add", args=[question.slug]), {"claim": self.june.pk, "value_text": "islamabad"}
        )
        answer = Answer.objects.get()
        self.assertEqual((answer.actor, answer.value_text), (self.pakistan, "Government of Pakistan"))


# ---------------------------------------------------------------------------
# Answering from the claim panel of a source


class ClaimPanelAnswerTests(QuestionDeskTestCase):
    def setUp(self):
        self.login()
        self.url = reverse("desk:claim_answer", args=[self.april.pk])
        self.source_url = reverse("desk:source", args=[self.ceasefire.pk])

    def test_every_claim_in_the_list_offers_to_answer_a_question(self):
        response = self.client.get(self.source_url)
        for claim in (self.june, self.may, self.april):
            self.assertContains(response, f'href="{reverse("desk:claim_answer", args=[claim.pk])}"')

    def test_over_htmx_the_panel_opens_with_the_answer_form_for_that_claim(self):
        response = self.client.get(self.url, **HTMX)
        self.assertContains(response, 'id="claim-panel"')
        self.assertContains(response, 'id="answer-box"')
        self.assertContains(response, "agreed in April 2022")
        self.assertContains(response, '<label for="id_answer_question">Question</label>', html=True)
        self.assertContains(response, 'id="id_answer_value_text"')
        self.assertContains(response, 'id="claim-form"')  # recording the next claim stays possible
        self.assertNotContains(response, "<html")

    def test_it_saves_a_draft_answer_tied_to_the_claim(self):
        response = self.client.post(self.url, {"question": QUESTION, "value_text": "April 2022"}, **HTMX)
        answer = Answer.objects.get()
        self.assertEqual((answer.claim, answer.question, answer.state), (self.april, self.question, ReviewState.DRAFT))
        self.assertContains(response, f"Answer to “{QUESTION}” recorded as a draft: April 2022.")
        # The claim list is swapped out of band with the answer under its claim, and sends it along.
        self.assertContains(
            response, 'id="source-claims" class="panel" aria-labelledby="claims-heading" hx-swap-oob="true"'
        )
        self.assertIn(
            f"Answers {QUESTION} April 2022 (answer draft)", " ".join(strip_tags(response.content.decode()).split())
        )
        self.assertContains(response, "1 claim, 1 answer")

    def test_a_plain_post_returns_to_the_claim(self):
        response = self.client.post(self.url, {"question": self.question.slug, "value_text": "2022-04"})
        self.assertRedirects(response, f"{self.source_url}#claim-{self.april.pk}")
        self.assertEqual(Answer.objects.get().date_precision, "month")

    def test_a_value_that_does_not_fit_is_refused_naming_the_field(self):
        for value, message in (
            ("May 32nd 2022", "May 2022 has no day 32."),
            ("June to May 2022", "ends before it starts"),
        ):
            with self.subTest(value=value):
                response = self.client.post(self.url, {"question": QUESTION, "value_text": value}, **HTMX)
                self.assertContains(response, "Not saved: check the value.", status_code=422)
                self.assertContains(response, message, status_code=422)
                self.assertContains(response, f'value="{value}"', status_code=422)
                self.assertContains(response, f'value="{QUESTION}"', status_code=422)
                # The form shown again says how to write a value for the question chosen.
                self.assertContains(response, "A date: a day, a month, a year or a range", status_code=422)
        self.assertFalse(Answer.objects.exists())

    def test_an_unknown_question_is_refused_naming_the_field(self):
        response = self.client.post(self.url, {"question": "Who won?", "value_text": "yes"}, **HTMX)
        self.assertContains(response, "Not saved: check the question.", status_code=422)
        self.assertContains(response, "No question asks “Who won?”", status_code=422)
        self.assertFalse(Answer.objects.exists())

    def test_without_htmx_a_refused_answer_shows_the_source_page_with_the_reason(self):
        response = self.client.post(self.url, {"question": QUESTION, "value_text": "soon"})
        self.assertContains(response, "<html", status_code=422)
        self.assertContains(response, "“soon” is not a date", status_code=422)
        self.assertFalse(Answer.objects.exists())

    def test_after_recording_a_claim_the_panel_offers_to_answer_a_question_with_it(self):
        data = {
            "quote": "At least 30 people were killed",
            "claimant": "Government of Pakistan",
            "paraphrase": "Police count at least 30 dead.",
        }
        response = self.client.post(reverse("desk:claim_new", args=[self.ceasefire.pk]), data, **HTMX)
        claim = Claim.objects.get(quote=data["quote"])
        self.assertContains(response, 'id="answer-box"')
        self.assertContains(response, f'hx-post="{reverse("desk:claim_answer", args=[claim.pk])}"')

    def test_question_suggestions_say_how_to_write_the_value(self):
        Question.objects.create(text="How many were killed?", value_type="quantity", unit="people")
        response = self.client.get(reverse("desk:question_suggestions"), {"question": "killed"})
        self.assertContains(response, 'data-fill="id_answer_question" data-value="How many were killed?"')
        self.assertContains(response, 'data-help="A number of people: 30, at least 30, at most 30')
        self.assertNotContains(response, QUESTION)

    def test_sending_my_drafts_from_the_source_sends_the_answers_along(self):
        self.client.post(self.url, {"question": QUESTION, "value_text": "April 2022"})
        response = self.client.post(reverse("desk:source_submit", args=[self.ceasefire.pk]), **HTMX)
        self.assertContains(response, "Sent to review: 1 claim, 1 answer.")
        self.assertEqual(Answer.objects.get().state, ReviewState.PENDING)

    def test_the_source_page_query_count_does_not_grow_with_the_answers(self):
        self.client.get(self.source_url)  # the account and its roles are kept from here on
        with self.assertNumQueries(6):  # with the claims' answers and the translations
            self.client.get(self.source_url)
        self.answer(self.june, "June 2022")
        self.answer(self.may, "May 2022")
        self.answer(self.april, "April 2022")
        with self.assertNumQueries(6):  # with the claims' answers and the translations
            self.client.get(self.source_url)


# ---------------------------------------------------------------------------
# Editing, sending to review and proposing changes


class EditAnswerTests(QuestionDeskTestCase):
    def setUp(self):
        self.login()
        self.draft = self.answer(self.may, "May 2022")
        self.url = reverse("desk:answer_edit", args=[self.draft.pk])

    def test_over_htmx_the_card_turns_into_a_form(self):
        response = self.client.get(self.url, **HTMX)
        self.assertContains(response, 'name="value_text"')
        self.assertContains(response, f'name="version" value="{self.draft.version}"')
        self.assertNotContains(response, "<html")

    def test_it_saves_the_new_value_and_regroups_the_board(self):
        response = self.client.post(self.url, {"value_text": "2022-05-12", "version": 1}, **HTMX)
        self.assertEqual(response.headers["HX-Retarget"], "#question-body")
        self.assertContains(response, "Answer saved: “12 May 2022”.")
        self.draft.refresh_from_db()
        self.assertEqual((self.draft.date_precision, self.draft.version), ("day", 2))

    def test_a_bad_value_is_refused_naming_the_field_and_changes_nothing(self):
        response = self.client.post(self.url, {"value_text": "May 32nd 2022", "version": 1}, **HTMX)
        self.assertContains(response, "Not saved: check the value.", status_code=422)
        self.assertContains(response, "May 2022 has no day 32.", status_code=422)
        self.draft.refresh_from_db()
        self.assertEqual((self.draft.value_text, self.draft.version), ("May 2022", 1))

    def test_a_stale_edit_is_refused_showing_their_value_and_keeping_mine(self):
        self.draft.value_text = "2022"
        self.draft.save_edit(expected_version=1, fields=["value_text"], by=self.analyst)
        response = self.client.post(self.url, {"value_text": "2022-05-20", "version": 1}, **HTMX)
        self.assertContains(response, "Someone else saved this answer", status_code=409)
        self.assertContains(response, "<dt>Their value</dt><dd>2022</dd>", status_code=409)
        self.assertContains(response, 'value="2022-05-20"', status_code=409)
        self.assertContains(response, 'name="version" value="2"', status_code=409)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.value_text, "2022")

    def test_a_pending_answer_is_read_only(self):
        self.draft.submit(self.analyst)
        response = self.client.get(self.url, **HTMX)
        self.assertContains(response, "This answer is pending review", status_code=403)


class SubmitTests(QuestionDeskTestCase):
    def setUp(self):
        self.login()

    def test_an_answer_goes_to_review_with_my_draft_claim_and_question(self):
        question = Question.objects.create(text="Who agreed?", value_type="actor", created_by=self.analyst)
        answer = self.answer(self.april, "Afghan Taliban", question=question)
        response = self.client.post(reverse("desk:answer_submit", args=[answer.pk]), **HTMX)
        self.assertContains(response, "Answer sent to review.")
        for record in (answer, self.april, question):
            record.refresh_from_db()
            self.assertEqual(record.state, ReviewState.PENDING)

    def test_an_answer_resting_on_someone_elses_draft_claim_is_refused(self):
        claim = make_claim(self.ceasefire, "police said", self.pakistan, self.other_analyst)
        answer = self.answer(claim, "June 2022")
        response = self.client.post(reverse("desk:answer_submit", args=[answer.pk]), **HTMX)
        self.assertContains(response, "ahmad&#x27;s draft, not yet sent to review", status_code=409)
        answer.refresh_from_db()
        self.assertEqual(answer.state, ReviewState.DRAFT)

    def test_all_my_drafts_on_the_question_go_at_once(self):
        question = Question.objects.create(text="Who agreed?", value_type="actor", created_by=self.analyst)
        self.answer(self.april, "Afghan Taliban", question=question)
        self.answer(self.june, "Islamabad", question=question)
        self.answer(self.may, "Afghan Taliban", question=question, by=self.other_analyst)
        url = reverse("desk:question_submit_drafts", args=[question.slug])
        response = self.client.post(url, **HTMX)
        self.assertContains(response, "Sent to review: 1 claim, 2 answers, 1 question.")
        states = dict(Answer.objects.values_list("created_by__username", "state").order_by("created_by"))
        self.assertEqual(states, {"alice": ReviewState.PENDING, "ahmad": ReviewState.DRAFT})

    def test_with_no_drafts_there_is_nothing_to_send(self):
        response = self.client.post(reverse("desk:question_submit_drafts", args=[self.question.slug]))
        self.assertContains(response, "You have no drafts on this question", status_code=403)

    def test_a_draft_question_is_sent_on_its_own(self):
        question = Question.objects.create(text="Who agreed?", value_type="actor", created_by=self.analyst)
        response = self.client.post(reverse("desk:question_submit", args=[question.slug]))
        self.assertRedirects(response, self.board_url(question))
        question.refresh_from_db()
        self.assertEqual(question.state, ReviewState.PENDING)


class EditQuestionTests(QuestionDeskTestCase):
    def setUp(self):
        self.login()
        self.draft = Question.objects.create(
            text="How many died?", value_type="quantity", unit="people", created_by=self.analyst
        )
        self.url = reverse("desk:question_edit", args=[self.draft.slug])

    def data(self, **fields):
        return {"text": "How many people died?", "value_type": "quantity", "unit": "people", "version": 1, **fields}

    def test_it_edits_my_draft_in_place_and_keeps_its_address(self):
        response = self.client.post(self.url, self.data(related=self.proposition.statement), **HTMX)
        self.assertEqual(response.headers["HX-Retarget"], "#question-body")
        self.draft.refresh_from_db()
        self.assertEqual(
            (self.draft.text, self.draft.slug, self.draft.version), ("How many people died?", "how-many-died", 2)
        )
        self.assertEqual(list(self.draft.propositions.all()), [self.proposition])

    def test_a_stale_edit_keeps_my_text(self):
        self.draft.description = "Their description."
        self.draft.save_edit(expected_version=1, fields=["description"], by=self.analyst)
        response = self.client.post(self.url, self.data(), **HTMX)
        self.assertContains(response, "Someone else saved this question", status_code=409)
        self.assertContains(response, "Their description.", status_code=409)
        self.assertContains(response, 'value="How many people died?"', status_code=409)
        self.draft.refresh_from_db()
        self.assertEqual(self.draft.text, "How many died?")

    def test_once_answered_its_type_and_unit_stay(self):
        self.answer(self.june, "30", question=self.draft)
        self.client.post(self.url, self.data(value_type="yes_no", unit="tanks"))
        self.draft.refresh_from_db()
        self.assertEqual(
            (self.draft.text, self.draft.value_type, self.draft.unit), ("How many people died?", "quantity", "people")
        )


class RevisionTests(QuestionDeskTestCase):
    def setUp(self):
        self.login()

    def test_a_change_to_an_approved_question_waits_for_review(self):
        url = reverse("desk:question_revise", args=[self.question.slug])
        self.assertContains(self.client.get(url, **HTMX), 'id="question-header"')
        data = {"text": "When was the TTP ceasefire agreed?", "description": "", "version": self.question.version}
        response = self.client.post(url, {**data, "revision_note": "Name the TTP."}, **HTMX)
        self.assertContains(response, "Change sent to review")
        revision = self.question.pending_revision()
        self.assertEqual(revision.changes, {"text": "When was the TTP ceasefire agreed?"})
        self.question.refresh_from_db()
        self.assertEqual(self.question.text, QUESTION)

    def test_a_stale_change_to_a_question_is_refused(self):
        url = reverse("desk:question_revise", args=[self.question.slug])
        self.question.propose_revision(self.reviewer, {"description": "Theirs."}).approve(self.other_reviewer)
        response = self.client.post(url, {"text": QUESTION, "description": "Mine.", "version": 1}, **HTMX)
        self.assertContains(response, "Theirs.", status_code=409)
        self.assertContains(response, "Mine.", status_code=409)

    def test_a_change_to_an_approved_answer_is_read_as_a_value_once_approved(self):
        answer = self.answer(self.may, "May 2022", approved=True)
        url = reverse("desk:answer_revise", args=[answer.pk])
        response = self.client.post(url, {"value_text": "12 May 2022", "version": answer.version}, **HTMX)
        self.assertContains(response, "Change sent to review")
        answer.refresh_from_db()
        self.assertEqual(answer.date_precision, "month")  # readers keep the approved value meanwhile
        Revision.objects.get().approve(self.other_reviewer)
        answer.refresh_from_db()
        self.assertEqual((answer.value_text, answer.date_precision), ("12 May 2022", "day"))

    def test_a_change_to_an_answer_with_a_bad_value_is_refused_naming_the_field(self):
        answer = self.answer(self.may, "May 2022", approved=True)
        url = reverse("desk:answer_revise", args=[answer.pk])
        response = self.client.post(url, {"value_text": "May 32nd 2022", "version": answer.version}, **HTMX)
        self.assertContains(response, "May 2022 has no day 32.", status_code=422)
        self.assertContains(response, 'id="id_value_text_error"', status_code=422)
        self.assertIsNone(answer.pending_revision())

    def test_the_board_offers_to_propose_a_change_to_approved_answers(self):
        answer = self.answer(self.may, "May 2022", approved=True)
        response = self.client.get(self.board_url())
        self.assertContains(response, f'href="{reverse("desk:answer_revise", args=[answer.pk])}"')
        self.assertContains(response, f'href="{reverse("desk:question_revise", args=[self.question.slug])}"')


class DeskHomeQuestionTests(QuestionDeskTestCase):
    def test_desk_home_lists_my_draft_questions_and_answers(self):
        draft = Question.objects.create(text="Who agreed?", value_type="actor", created_by=self.analyst)
        answer = self.answer(self.april, "Afghan Taliban", question=draft)
        self.login()
        response = self.client.get(reverse("desk:home"))
        drafts = re.search(r'<section aria-labelledby="drafts-heading".*?</section>', response.content.decode(), re.S)[
            0
        ]
        self.assertIn(f'href="{self.board_url(draft)}"', drafts)
        self.assertIn(f'href="{self.board_url(draft)}#answer-{answer.pk}"', drafts)
        self.assertContains(response, "Recently changed questions")

    def test_a_pending_change_to_an_answer_is_listed_as_waiting(self):
        answer = self.answer(self.may, "May 2022", approved=True)
        answer.propose_revision(self.analyst, {"value_text": "2022-05"})
        self.login()
        response = self.client.get(reverse("desk:home"))
        self.assertContains(response, "Change to answer")

    def test_desk_home_query_count_does_not_grow_with_my_questions_and_answers(self):
        def add_questions_and_answers(number):
            question = Question.objects.create(
                text=f"Did it hold {number}?", value_type="yes_no", created_by=self.analyst
            )
            self.answer(self.april, "no", question=question).submit(self.analyst)
            approve(question, self.reviewer).propose_revision(self.analyst, {"description": f"Changed {number}."})
            answer = self.answer(self.june, "yes", question=question, approved=True)
            answer.propose_revision(self.analyst, {"value_text": "no"})

        self.login()
        self.client.get(reverse("desk:home"))  # content types, the account and its roles are read once
        add_questions_and_answers(0)
        # Desk home's 12 (with my translations), my questions, my answers, the questions and answers revised.
        with self.assertNumQueries(14):
            self.client.get(reverse("desk:home"))
        for number in range(1, 4):
            add_questions_and_answers(number)
        with self.assertNumQueries(14):
            response = self.client.get(reverse("desk:home"))
        self.assertContains(response, "Change to question")
        self.assertContains(response, "Change to answer")
