"""/questions/: every public question, whether its approved answers conflict, filtered like /contradictions/."""

import datetime

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from claims.models import Actor, Answer, Question, ReviewState
from claims.questions import ValueType
from sources.dates import DatePrecision
from tests.base import approve, make_claim
from tests.test_questions import QuestionTestCase

URL = reverse("reader:questions")


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
class QuestionListTestCase(QuestionTestCase):
    def setUp(self):
        super().setUp()
        cache.clear()
        # Disputed: June against May. Agreeing: June and "2022". Unanswered: approved, no public answer.
        self.ceasefire = self.question()
        self.publish(self.ceasefire, self.june, "June 2022")
        self.publish(self.ceasefire, self.may, "May 2022")
        self.talks = self.question("When did talks start?")
        self.publish(self.talks, self.june, "June 2022")
        self.publish(self.talks, self.ended, "2022")
        self.unanswered = self.question("Who mediated the ceasefire?", ValueType.ACTOR)

    def publish(self, question, claim, value_text):
        with self.captureOnCommitCallbacks(execute=True):  # the cache is told once the approval commits
            return self.answer(question, claim, value_text)

    def get(self, **params):
        cache.clear()
        return self.client.get(URL, params)

    def listed(self, **params) -> list[Question]:
        response = self.get(**params)
        self.assertEqual(response.status_code, 200)
        return list(response.context["page"].object_list)


class QuestionListTests(QuestionListTestCase):
    def test_it_lists_every_public_question_latest_approved_first(self):
        self.assertEqual(self.listed(), [self.unanswered, self.talks, self.ceasefire])

    def test_a_disputed_question_names_its_conflicting_values_in_words(self):
        response = self.get()
        self.assertContains(response, "Disputed fact · a date")
        self.assertContains(
            response,
            '<strong>Disputed:</strong>\n      <span class="value-chip value-chip--g0"><bdi>May 2022</bdi></span>'
            ' conflicts with <span class="value-chip value-chip--g1"><bdi>June 2022</bdi></span>.',
            html=False,
        )

    def test_a_question_whose_answers_agree_says_so(self):
        response = self.get()
        self.assertContains(response, "<strong>The answers agree:</strong>")
        self.assertContains(response, "<bdi>2022</bdi></span> and <span")
        self.assertContains(response, "can both be true.")

    def test_each_row_has_its_number_of_answers_and_latest_approval(self):
        latest = Answer.objects.filter(question=self.ceasefire).latest("reviewed_at").reviewed_at
        response = self.get()
        self.assertContains(response, "2 answers · last approved", count=2)
        self.assertContains(response, f'<time datetime="{latest.replace(microsecond=0).isoformat()}"')
        self.assertContains(response, "No approved claim answers it yet.")
        self.assertContains(response, "0 answers · last approved")

    def test_a_value_keeps_the_colour_it_has_on_the_question_page(self):
        page = self.client.get(self.ceasefire.get_absolute_url())
        self.assertContains(page, 'value-chip--g1"><bdi>June 2022</bdi>')
        self.assertContains(self.get(), 'value-chip value-chip--g1"><bdi>June 2022</bdi>')

    def test_it_shows_disputed_facts_only_or_those_not_disputed(self):
        self.assertEqual(self.listed(disputed="true"), [self.ceasefire])
        self.assertEqual(self.listed(disputed="false"), [self.unanswered, self.talks])
        self.assertContains(self.get(disputed="true"), "1 disputed fact</h2>")
        self.assertContains(self.get(), "3 questions of fact</h2>")

    def test_it_sorts_by_most_answers(self):
        third = approve(
            make_claim(self.ceasefire_source, "Hospital officials counted", self.pakistan, self.analyst), self.reviewer
        )
        self.publish(self.talks, third, "2022")
        self.assertEqual(self.listed(sort="answers"), [self.talks, self.ceasefire, self.unanswered])

    def test_it_filters_by_actor_source_and_year_as_the_contradictions_list_does(self):
        self.assertEqual(self.listed(actor=self.taliban.slug), [self.ceasefire])  # the Taliban gave May 2022
        self.assertEqual(self.listed(actor="afghan TALIBAN"), [self.ceasefire])  # by name, in any case
        self.assertEqual(self.listed(source="Ceasefire report"), [self.talks, self.ceasefire])
        self.build_contradiction()  # a public source no answer quotes
        self.assertEqual(self.listed(source=self.source.pk), [])
        self.assertEqual(self.listed(actor=self.pakistan.slug, disputed="true"), [self.ceasefire])

    def test_the_year_filter_reads_when_the_answering_claim_was_asserted(self):
        self.june.asserted_on, self.june.asserted_precision = datetime.date(2023, 1, 1), DatePrecision.YEAR
        self.june.save(update_fields=["asserted_on", "asserted_precision"])
        self.assertEqual(self.listed(year=2023), [self.talks, self.ceasefire])
        self.assertEqual(self.get().context["form"].fields["year"].choices, [("", "Any year"), (2023, "2023")])

    def test_the_filter_form_is_the_contradictions_lists_with_every_control_labelled(self):
        response = self.get()
        for name, label in (("actor", "Actor"), ("source", "Source"), ("year", "Year asserted"), ("disputed", "Show")):
            self.assertContains(response, f'<label for="id_{name}">{label}</label>')
        self.assertContains(response, '<label for="id_sort">Order</label>')
        self.assertContains(response, 'list="actor-suggestions"')
        self.assertContains(response, '<option value="Afghan Taliban">')

    def test_an_unknown_actor_or_source_is_reported_and_every_filter_ignored(self):
        response = self.get(actor="nobody", source="Nowhere Times", disputed="true")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Some filters could not be used and were ignored")
        self.assertContains(response, "No actor named “nobody” has public claims.")
        self.assertContains(response, "No source “Nowhere Times” has public claims.")
        self.assertEqual(len(response.context["page"].object_list), 3)

    def test_values_nobody_offers_are_ignored(self):
        for params in (
            {"disputed": "maybe"},
            {"disputed": "¹"},
            {"sort": "claims"},
            {"year": "20²2"},
            {"page": "²"},
            {"page": "99999"},
            {"actor": "x" * 300},
        ):
            with self.subTest(params=params):
                self.assertEqual(len(self.listed(**params)), 3)

    def test_it_paginates_keeping_the_filters(self):
        for number in range(20):
            question = self.question(f"When did round {number} of the talks end?")
            self.publish(question, self.june, "June 2022")
            self.publish(question, self.may, "May 2022")
        first = self.get(disputed="true")
        self.assertEqual(len(first.context["page"].object_list), 20)
        self.assertContains(first, 'href="?disputed=true&amp;page=2"')
        self.assertEqual(self.listed(disputed="true", page=2), [self.ceasefire])

    def test_htmx_requests_get_only_the_results(self):
        cache.clear()
        response = self.client.get(URL, headers={"HX-Request": "true"})
        self.assertContains(response, '<section id="results"')
        self.assertNotContains(response, "<html")

    def test_the_contradictions_list_the_home_page_and_the_navigation_link_to_it(self):
        cache.clear()
        response = self.client.get(reverse("reader:contradictions"), {"actor": self.taliban.slug, "sort": "claims"})
        self.assertContains(
            response, f'<a href="{URL}?actor={self.taliban.slug}&amp;disputed=true">All disputed facts →</a>'
        )
        self.assertContains(self.get(), f'<a href="{URL}" aria-current="page">Disputed facts</a>')
        self.assertContains(
            self.client.get(reverse("reader:home")), f'<a href="{URL}?disputed=true">All 1 disputed fact →</a>'
        )

    def test_an_approval_or_a_withdrawal_shows_on_the_next_request(self):
        self.assertContains(self.client.get(URL), "When did talks start?")
        talks = Answer.objects.get(question=self.talks, claim=self.ended)
        with self.captureOnCommitCallbacks(execute=True):
            talks.return_to_draft(self.reviewer, reason="Misread.")
        self.assertContains(self.client.get(URL), "One value so far:")
        self.publish(self.talks, self.may, "May 2022")
        self.assertIn(self.talks, self.client.get(URL, {"disputed": "true"}).context["page"].object_list)

    def test_anonymous_readers_get_a_cached_page_with_an_etag(self):
        with override_settings(DEBUG=False):
            first = self.client.get(URL)
            self.assertTrue(first.has_header("ETag"))
            with self.assertNumQueries(0):
                again = self.client.get(URL, headers={"If-None-Match": first["ETag"]})
        self.assertEqual(again.status_code, 304)


class QuestionListLeakTests(QuestionListTestCase):
    """Drafts, pending and rejected questions and answers are never listed and never make a question disputed."""

    def setUp(self):
        super().setUp()
        # A conflicting answer to the agreeing question in every state but approved.
        self.hidden_answers = []
        for state, quote in (
            (ReviewState.DRAFT, "At least 30 people were killed"),
            (ReviewState.PENDING, "Hospital officials counted 41 dead"),
            (ReviewState.REJECTED, "police said"),
        ):
            claim = approve(make_claim(self.ceasefire_source, quote, self.taliban, self.analyst), self.reviewer)
            answer = self.answer(self.talks, claim, "March 2021", approved=False)
            if state != ReviewState.DRAFT:
                answer.submit(self.analyst)
            if state == ReviewState.REJECTED:
                answer.reject(self.reviewer, reason="Not what it says.")
            self.hidden_answers.append(answer)
        # An answer that is approved but whose claim was withdrawn afterwards.
        withdrawn = approve(
            make_claim(self.ceasefire_source, "Officials said", self.taliban, self.analyst), self.reviewer
        )
        self.publish(self.talks, withdrawn, "April 2023")
        with self.captureOnCommitCallbacks(execute=True):
            withdrawn.return_to_draft(self.reviewer, reason="Checking.")
        # Questions in every state but approved; the withdrawn one keeps its conflicting approved answers.
        self.hidden_questions = []
        for state in (ReviewState.DRAFT, ReviewState.PENDING, ReviewState.REJECTED):
            question = self.question(f"SECRET {state} question?", approved=False)
            if state != ReviewState.DRAFT:
                question.submit(self.analyst)
            if state == ReviewState.REJECTED:
                question.reject(self.reviewer, reason="Unclear.")
            self.hidden_questions.append(question)
        withdrawn_question = self.question("SECRET withdrawn question?")
        self.publish(withdrawn_question, self.june, "June 2022")
        self.publish(withdrawn_question, self.may, "May 2022")
        with self.captureOnCommitCallbacks(execute=True):
            withdrawn_question.return_to_draft(self.reviewer, reason="Reworded.")
        self.hidden_questions.append(withdrawn_question)

    def every_response(self):
        for params in ({}, {"disputed": "true"}, {"disputed": "false"}, {"actor": self.taliban.slug}, {"year": "2021"}):
            yield params, self.get(**params)

    def test_no_unapproved_question_or_answer_is_listed(self):
        for params, response in self.every_response():
            with self.subTest(params=params):
                self.assertEqual(response.status_code, 200)
                self.assertNotContains(response, "SECRET")
                self.assertNotContains(response, "March 2021")
                self.assertNotContains(response, "April 2023")

    def test_unapproved_answers_never_make_a_question_disputed(self):
        self.assertEqual(self.listed(disputed="true"), [self.ceasefire])
        row = next(question for question in self.listed() if question == self.talks)
        self.assertFalse(row.summary.is_disputed)
        self.assertEqual(row.summary.answers_count, 2)

    def test_the_filters_name_no_unapproved_record(self):
        hidden = Actor.objects.create(name="SECRET draft actor", created_by=self.analyst)
        response = self.get(actor=hidden.slug)
        self.assertContains(response, "Some filters could not be used")
        self.assertNotContains(response, '<option value="SECRET')


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
class QuestionListQueryCountTests(QuestionListTestCase):
    def add_questions(self, count: int, answers_each: int = 2) -> None:
        claims = [self.june, self.may, self.ended]
        for number in range(count):
            question = self.question(f"When did round {number} of the talks end?")
            for claim, value in zip(claims[:answers_each], ("June 2022", "May 2022", "2022"), strict=False):
                self.publish(question, claim, value)

    def test_query_count_does_not_grow_with_the_number_of_questions_or_answers(self):
        counts = []
        for growth in (0, 4):
            self.add_questions(growth, answers_each=3)
            # Filter choices (years, actors, sources), the count, the page, and every answer on it.
            with self.assertNumQueries(6) as context:
                self.get()
            counts.append(len(context.captured_queries))
        self.assertEqual(counts[0], counts[1])

    def test_filters_add_one_query_for_each_record_they_name(self):
        self.add_questions(3)
        with self.assertNumQueries(8):  # the actor and the source, read to be named back
            self.get(actor=self.taliban.slug, source=self.ceasefire_source.pk, year="2022", disputed="true")
