"""The API's disputed facts: /api/v1/questions and /api/v1/questions/<slug>, as /questions/ and the .json pages give them."""

import datetime

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from claims.models import Answer, Question
from claims.questions import ValueType
from sources.dates import DatePrecision
from tests.api.base import ApiTestCase
from tests.base import approve, make_claim, make_source
from tests.test_questions import CEASEFIRE_TEXT

URDU_TEXT = "جنگ بندی جون 2022 میں ہوئی۔\n\nدوسروں کے مطابق مئی 2022 میں۔"


class QuestionApiTestCase(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.report = make_source(text=CEASEFIRE_TEXT, title="Ceasefire report")
        self.june = self.publish_claim(self.report, "ceasefire agreed in June 2022", self.pakistan)
        self.may = self.publish_claim(self.report, "signed in May 2022", self.taliban)
        self.ended = self.publish_claim(self.report, "ended the ceasefire in November 2022", self.pakistan)
        # Disputed: June against May. Agreeing: June and "2022".
        self.ceasefire = self.question("When was the ceasefire agreed?")
        self.answer(self.ceasefire, self.june, "June 2022")
        self.answer(self.ceasefire, self.may, "May 2022")
        self.talks = self.question("When did talks start?")
        self.answer(self.talks, self.june, "June 2022")
        self.answer(self.talks, self.ended, "2022")

    def question(self, text, value_type=ValueType.DATE, approved=True, **fields):
        question = Question.objects.create(text=text, value_type=value_type, created_by=self.analyst, **fields)
        return approve(question, self.reviewer) if approved else question

    def answer(self, question, claim, value_text, *, approved=True):
        answer = Answer(question=question, claim=claim, value_text=value_text, created_by=self.analyst)
        answer.full_clean()
        answer.save()
        return approve(answer, self.reviewer) if approved else answer

    def slugs(self, **params) -> list[str]:
        return [item["slug"] for item in self.items("questions", **params)]


class QuestionListTests(QuestionApiTestCase):
    def test_it_lists_every_public_question_newest_first_with_its_values_and_conflicts(self):
        items = self.items("questions")
        self.assertEqual([item["slug"] for item in items], [self.talks.slug, self.ceasefire.slug])
        ceasefire = items[1]
        self.assertEqual(ceasefire["question"], "When was the ceasefire agreed?")
        self.assertEqual(ceasefire["url"], f"http://testserver/questions/{self.ceasefire.slug}/")
        self.assertEqual((ceasefire["value_type"], ceasefire["is_contradiction"]), ("date", True))
        self.assertEqual(ceasefire["answers_count"], 2)
        self.assertEqual(
            ceasefire["values"][0],
            {"value": "May 2022", "low": "2022-05-01", "high": "2022-05-31", "precision": "month", "answers_count": 1},
        )
        self.assertEqual(ceasefire["conflicts"], [["May 2022", "June 2022"]])
        latest = Answer.objects.filter(question=self.ceasefire).latest("reviewed_at").reviewed_at
        self.assertEqual(ceasefire["last_reviewed"], latest.isoformat())

    def test_answers_that_agree_name_no_conflict(self):
        talks = self.items("questions")[0]
        self.assertEqual((talks["is_contradiction"], talks["conflicts"]), (False, []))
        self.assertEqual([value["value"] for value in talks["values"]], ["2022", "June 2022"])

    def test_disputed_keeps_the_disputed_facts_or_the_others(self):
        self.assertEqual(self.slugs(disputed="true"), [self.ceasefire.slug])
        self.assertEqual(self.slugs(disputed="false"), [self.talks.slug])

    def test_filters_keep_questions_with_a_matching_answering_claim(self):
        self.assertEqual(self.slugs(actor=self.taliban.slug), [self.ceasefire.slug])  # the Taliban gave May 2022
        self.assertEqual(self.slugs(actor=self.pakistan.slug, disputed="false"), [self.talks.slug])
        self.assertEqual(self.slugs(source=self.report.pk), [self.talks.slug, self.ceasefire.slug])
        contradiction = self.build_contradiction()  # public claims in self.source, which answer nothing
        self.assertEqual(self.slugs(source=self.source.pk), [])
        self.assertEqual(self.slugs(proposition=contradiction.slug), [])
        self.publish_stance(self.may, contradiction, "qualifies")
        self.assertEqual(self.slugs(proposition=contradiction.slug), [self.ceasefire.slug])

    def test_the_language_and_date_filters_read_the_answering_claims(self):
        urdu = make_source(text=URDU_TEXT, title="اردو رپورٹ", language="ur")
        when = {"asserted_on": datetime.date(2021, 5, 1), "asserted_precision": DatePrecision.MONTH}
        claim = self.publish_claim(urdu, "جنگ بندی جون 2022 میں ہوئی", self.pakistan, **when)
        agreed = self.question("When was the truce agreed?")
        self.answer(agreed, claim, "June 2022")
        self.assertEqual(self.slugs(language="ur"), [agreed.slug])
        self.assertEqual(self.slugs(asserted_from="2021-05", asserted_to="2021"), [agreed.slug])
        self.assertEqual(self.slugs(asserted_to="2021-04-30"), [])

    def test_updated_since_counts_a_new_answer(self):
        since = timezone.now()
        self.assertEqual(self.slugs(updated_since=since.isoformat()), [])
        self.answer(self.talks, self.may, "May 2022")
        self.assertEqual(self.slugs(updated_since=since.isoformat()), [self.talks.slug])

    def test_an_approved_question_without_public_answers_is_listed_without_values(self):
        unanswered = self.question("Who mediated?", ValueType.ACTOR)
        item = self.items("questions")[0]
        self.assertEqual((item["slug"], item["answers_count"], item["values"]), (unanswered.slug, 0, []))
        self.assertEqual(item["last_reviewed"], unanswered.reviewed_at.isoformat())

    def test_each_type_gives_its_interval(self):
        least = self.publish_claim(self.report, "At least 30 people were killed", self.pakistan)
        counted = self.publish_claim(self.report, "counted 41 dead", self.taliban)
        killed = self.question("How many were killed?", ValueType.QUANTITY, unit="people")
        self.answer(killed, least, "at least 30")
        self.answer(killed, counted, "41")
        who = self.question("Who mediated?", ValueType.ACTOR)
        self.answer(who, self.may, "Afghan Taliban")
        items = {item["slug"]: item for item in self.items("questions")}
        self.assertEqual(
            items[killed.slug]["values"],
            [
                {"value": "at least 30 people", "low": "30", "high": None, "approximate": False, "answers_count": 1},
                {"value": "41 people", "low": "41", "high": "41", "approximate": False, "answers_count": 1},
            ],
        )
        self.assertEqual((items[killed.slug]["unit"], items[killed.slug]["conflicts"]), ("people", []))
        self.assertEqual(
            items[who.slug]["values"], [{"value": "Afghan Taliban", "actor": self.taliban.slug, "answers_count": 1}]
        )
        page = self.client.get(reverse("reader:question_json", args=[killed.slug])).json()
        self.assertEqual([(value["low"], value["high"]) for value in page["values"]], [("30", None), ("41", "41")])

    def test_following_the_cursors_gives_every_question_once_in_order(self):
        for number in range(3):
            self.question(f"When did round {number} end?")
        whole = self.slugs(limit=200)
        paged = [item["slug"] for item in self.every_item("questions", limit=2, disputed="false")]
        self.assertEqual(len(whole), 5)
        self.assertEqual(paged, [slug for slug in whole if slug != self.ceasefire.slug])
        page = self.api("questions", limit=1, disputed="false").json()
        self.assertIn("disputed=false", page["next"])


class OneQuestionTests(QuestionApiTestCase):
    def test_it_is_what_its_page_json_gives(self):
        api = self.api(f"questions/{self.ceasefire.slug}").json()
        page = self.client.get(reverse("reader:question_json", args=[self.ceasefire.slug])).json()
        self.assertEqual(api, page)
        self.assertEqual(api["conflicts"], [["May 2022", "June 2022"]])
        self.assertEqual(api["values"][0]["answers"][0]["claim"]["quote"], "signed in May 2022")

    def test_a_draft_or_unknown_question_is_not_found(self):
        draft = self.question("When was it renewed?", approved=False)
        for slug in (draft.slug, "nope"):
            with self.subTest(slug=slug):
                self.assertProblem(self.api(f"questions/{slug}"), 404, slug="not-found")


class QuestionSchemaTests(QuestionApiTestCase):
    def test_the_schema_describes_both_endpoints_their_filters_and_problems(self):
        schema = self.client.get(reverse("api:openapi-json")).json()
        listed = schema["paths"]["/api/v1/questions"]["get"]
        self.assertIn("disputed", {parameter["name"] for parameter in listed["parameters"]})
        self.assertEqual(set(listed["responses"]), {"200", "401", "404", "422", "429"})
        one = schema["paths"]["/api/v1/questions/{slug}"]["get"]
        self.assertIn("404", one["responses"])
        self.assertIn("conflicts", schema["components"]["schemas"]["Question"]["properties"])
        self.assertIn("answers_count", schema["components"]["schemas"]["QuestionSummary"]["properties"])

    def test_the_root_names_the_list(self):
        self.assertEqual(self.api("").json()["questions"], "http://testserver/api/v1/questions")


class QuestionProblemTests(QuestionApiTestCase):
    def test_slugs_that_are_no_slugs(self):
        for slug in ("%C2%B2", "%C2%B9%C2%B2", "%00", "a" * 200, "x%20y", "%D9%A1"):
            with self.subTest(slug=slug):
                self.assertProblem(self.client.get(f"/api/v1/questions/{slug}"), 404, slug="not-found")

    def test_disputed_is_true_or_false(self):
        for value in ("maybe", "1", "yes", "True", "¹", ""):
            with self.subTest(value=value):
                problem = self.assertProblem(self.api("questions", disputed=value), 422, slug="invalid-request")
                self.assertEqual(problem["errors"][0]["parameter"], "disputed")
                self.assertIn("Give true", problem["errors"][0]["detail"])

    def test_filters_that_name_no_public_record_or_no_record_at_all(self):
        hidden = make_claim(self.report, "Hospital officials counted", self.taliban, self.analyst)
        for params, parameter in (
            ({"actor": "nobody"}, "actor"),
            ({"source": hidden.source_id + 1}, "source"),
            ({"source": "²"}, "source"),
            ({"limit": "²"}, "limit"),
            ({"asserted_from": "²⁰²²"}, "asserted_from"),
            ({"proposition": "no-such-thing"}, "proposition"),
        ):
            with self.subTest(params=params):
                problem = self.assertProblem(self.api("questions", **params), 422, slug="invalid-request")
                self.assertEqual(problem["errors"][0]["parameter"], parameter)

    def test_bad_cursors(self):
        other_list = self.api("claims", limit=1).json()["next_cursor"]
        own = self.api("questions", limit=1).json()["next_cursor"]
        for cursor in ("abc", own[:-2] + "xx", other_list, "%00", "¹"):
            with self.subTest(cursor=cursor):
                problem = self.assertProblem(self.api("questions", cursor=cursor), 422)
                self.assertEqual(problem["errors"][0]["parameter"], "cursor")
        self.assertEqual(len(self.items("questions", cursor=own)), 1)

    def test_hostile_values_are_never_a_server_error(self):
        for name in ("actor", "source", "proposition", "language", "asserted_from", "updated_since", "disputed"):
            for value in ("%00", "%C2%B2", "%ff", str(10**20), "-1", "x" * 3000, "%E2%80%AE", "null"):
                response = self.client.get(f"/api/v1/questions?{name}={value}")
                self.assertLess(response.status_code, 500, (name, value))
                if response.status_code >= 400:
                    self.assertEqual(response["Content-Type"], "application/problem+json", (name, value))


class QuestionQueryCountTests(QuestionApiTestCase):
    def add_questions(self, count: int) -> None:
        for number in range(count):
            question = self.question(f"When did round {number} of the talks end?")
            for claim, value in ((self.june, "June 2022"), (self.may, "May 2022"), (self.ended, "2022")):
                self.answer(question, claim, value)

    def test_the_list_is_read_in_two_queries_however_many_questions_and_answers(self):
        for growth in (0, 4):
            self.add_questions(growth)
            with self.subTest(growth=growth), self.assertNumQueries(2):  # the page, then every answer on it
                self.assertEqual(len(self.items("questions", limit=200)), 2 + growth)

    def test_filters_add_one_query_for_each_record_they_name(self):
        self.add_questions(2)
        with self.assertNumQueries(4):  # the actor and the source
            self.api("questions", actor=self.taliban.slug, source=self.report.pk, language="en", disputed="true")

    def test_one_question_is_read_in_a_fixed_number_of_queries_as_its_page_json_is(self):
        counts = []
        for quote in ("The TTP ended the ceasefire", "Hospital officials counted"):
            claim = self.publish_claim(self.report, quote, self.taliban)
            self.answer(self.ceasefire, claim, "2022")
            cache.clear()
            page = self.count_queries(
                lambda: self.client.get(reverse("reader:question_json", args=[self.ceasefire.slug]))
            )
            api = self.count_queries(lambda: self.api(f"questions/{self.ceasefire.slug}"))
            counts.append((page, api))
        # The question, its answers, their source texts, re-check notices, related contradictions: one query each.
        self.assertEqual(counts[0], counts[1])
        self.assertEqual(counts[0][0], counts[0][1])
        self.assertGreaterEqual(counts[0][1], 5)
