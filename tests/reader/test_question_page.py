"""A question's public page: the answers on one axis, grouped by value, and which values conflict."""

from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from claims.models import Answer, Question
from claims.questions import ValueType
from tests.base import approve, make_claim
from tests.test_questions import QuestionTestCase


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
class QuestionPageTests(QuestionTestCase):
    def answer(self, *args, **kwargs):
        with self.captureOnCommitCallbacks(execute=True):  # the cache is told once the approval commits
            return super().answer(*args, **kwargs)

    def setUp(self):
        self.ceasefire = self.question()
        self.answer(self.ceasefire, self.june, "June 2022")
        self.answer(self.ceasefire, self.may, "May 2022")

    def get(self, question=None):
        return self.client.get(reverse("reader:question", args=[(question or self.ceasefire).slug]))

    def test_it_names_the_conflicting_values(self):
        response = self.get()
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "These answers cannot all be true:")
        self.assertContains(response, "May 2022</bdi></a> conflicts with <a")
        self.assertContains(response, "Contradiction · disputed fact: a date")

    def test_each_answer_is_a_mark_on_the_axis_with_its_claimant(self):
        response = self.get()
        self.assertContains(response, '<svg class="answer-axis__chart"', count=1)
        self.assertContains(response, "Afghan Taliban · May 2022</text>", count=2)
        self.assertContains(response, "Government of Pakistan · June 2022")
        self.assertContains(response, 'class="answer-axis__bar"', count=2)  # months are bars, not dots

    def test_the_quotes_are_grouped_by_value_below(self):
        response = self.get()
        content = response.content.decode()
        self.assertIn("signed in May 2022", content)
        self.assertIn("ceasefire agreed in June 2022", content)
        self.assertLess(content.index("signed in May 2022"), content.index("ceasefire agreed in June 2022"))

    def test_compatible_answers_are_shown_agreeing(self):
        ended = self.question("When did the ceasefire end?")
        self.answer(ended, self.ended, "November 2022")
        self.answer(ended, self.june, "2022")
        response = self.get(ended)
        self.assertContains(response, "The answers agree: they can all be true.")
        self.assertContains(response, "(at a different precision)")
        self.assertNotContains(response, "cannot all be true")

    def test_unapproved_answers_and_questions_are_not_public(self):
        draft = self.answer(self.ceasefire, self.ended, "November 2022", approved=False)
        response = self.get()
        self.assertNotContains(response, "November 2022")
        self.assertNotContains(response, draft.claim.quote)
        pending = self.question("Who mediated?", ValueType.ACTOR, approved=False)
        self.assertEqual(self.get(pending).status_code, 404)

    def test_an_unknown_or_hostile_slug_is_a_404(self):
        for slug in ("nope", "²", "a" * 500):
            with self.subTest(slug=slug):
                self.assertEqual(self.client.get(f"/questions/{slug}/").status_code, 404)

    def test_a_number_question_draws_a_number_line_with_open_bounds(self):
        source = self.ceasefire_source
        least = approve(
            make_claim(source, "At least 30 people were killed", self.pakistan, self.analyst), self.reviewer
        )
        counted = approve(make_claim(source, "counted 41 dead", self.taliban, self.analyst), self.reviewer)
        killed = self.question("How many were killed in the attack?", ValueType.QUANTITY, unit="people")
        self.answer(killed, least, "at least 30")
        self.answer(killed, counted, "41")
        response = self.get(killed)
        self.assertContains(response, "at least 30 people")
        self.assertContains(response, "▶")  # the open bound runs off the line
        self.assertContains(response, 'class="answer-axis__dot"', count=1)
        self.assertContains(response, "The answers agree")

    def test_an_actor_question_lists_values_without_an_axis(self):
        who = self.question("Who mediated the ceasefire?", ValueType.ACTOR)
        self.answer(who, self.june, "Afghan Taliban")
        self.answer(who, self.may, "Government of Pakistan")
        response = self.get(who)
        self.assertNotContains(response, "answer-axis__chart")
        self.assertContains(response, "Afghan Taliban</bdi></a> conflicts with")

    def test_query_count_does_not_grow_with_the_answers(self):
        self.get()  # warm the content types
        counts = []
        for quote in ("The TTP ended the ceasefire", "Hospital officials counted"):
            claim = approve(make_claim(self.ceasefire_source, quote, self.pakistan, self.analyst), self.reviewer)
            self.answer(self.ceasefire, claim, "2022")
            with self.assertNumQueries(6) as context:  # with the claims' translations
                self.get()
            counts.append(len(context.captured_queries))
        self.assertEqual(counts[0], counts[1])

    def test_an_approval_shows_on_the_next_request(self):
        self.assertNotContains(self.get(), "November 2022")
        self.answer(self.ceasefire, self.ended, "November 2022")
        self.assertContains(self.get(), "November 2022")

    def test_a_withdrawal_hides_the_answer_at_once(self):
        may = Answer.objects.get(claim=self.may)
        self.assertContains(self.get(), "signed in May 2022")
        with self.captureOnCommitCallbacks(execute=True):
            may.return_to_draft(self.reviewer, reason="Misread.")
        self.assertNotContains(self.get(), "signed in May 2022")

    def test_the_page_links_to_its_related_contradictions(self):
        proposition = self.build_contradiction()
        self.ceasefire.propositions.add(proposition)
        Question.objects.filter(pk=self.ceasefire.pk).update(text=self.ceasefire.text)
        self.answer(self.ceasefire, self.ended, "2022")  # a change that renews the page
        self.assertContains(self.get(), proposition.statement)


@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}})
class DisputedFactsListedTests(QuestionTestCase):
    def setUp(self):
        self.ceasefire = self.question()
        with self.captureOnCommitCallbacks(execute=True):
            self.answer(self.ceasefire, self.june, "June 2022")
            self.answer(self.ceasefire, self.may, "May 2022")
        self.agreed = self.question("When did talks start?")
        with self.captureOnCommitCallbacks(execute=True):
            self.answer(self.agreed, self.june, "June 2022")
            self.answer(self.agreed, self.may, "2022")

    def test_the_home_page_lists_questions_whose_answers_conflict(self):
        response = self.client.get(reverse("reader:home"))
        self.assertContains(response, "Disputed facts")
        self.assertContains(response, self.ceasefire.get_absolute_url())
        self.assertContains(response, '<span class="value-chip value-chip--g0"><bdi>May 2022</bdi></span>')
        self.assertNotContains(response, self.agreed.get_absolute_url())  # its answers agree

    def test_the_feed_announces_the_disputed_fact_with_its_values(self):
        response = self.client.get(reverse("reader:feed"))
        content = response.content.decode()
        self.assertIn("<title>Disputed fact: When was the ceasefire agreed?</title>", content)
        self.assertIn(":question/when-was-the-ceasefire-agreed</id>", content)
        self.assertIn("cannot all be true: May 2022 · June 2022.", content)
        self.assertNotIn("When did talks start?", content)  # its answers agree
        cache.clear()
        # Contradictions, disputed facts with their values, claims, changes, the quotes' translations.
        with self.assertNumQueries(5):
            self.client.get(reverse("reader:feed"))

    def test_the_contradiction_list_counts_and_lists_them_filtered_like_the_rest(self):
        url = reverse("reader:contradictions")
        response = self.client.get(url)
        self.assertContains(response, "and 1 disputed fact")
        self.assertContains(response, self.ceasefire.get_absolute_url())
        response = self.client.get(url, {"actor": self.taliban.slug})
        self.assertContains(response, self.ceasefire.get_absolute_url())  # the Taliban gave May 2022
        response = self.client.get(url, {"actor": self.outsider_actor().slug})
        self.assertNotContains(response, self.ceasefire.get_absolute_url())

    def outsider_actor(self):
        """A public actor (one approved claim) who answered nothing."""
        from claims.models import Actor

        actor = Actor.objects.create(name="Someone Else", kind="person", state="approved")
        with self.captureOnCommitCallbacks(execute=True):
            approve(make_claim(self.source, "they do not provide support", actor, self.analyst), self.reviewer)
        return actor

    def test_search_finds_a_question_by_its_text_and_its_values(self):
        for query in ("ceasefire agreed", "May 2022"):
            with self.subTest(query=query):
                response = self.client.get(reverse("reader:search"), {"q": query})
                self.assertContains(response, self.ceasefire.get_absolute_url())
        self.assertContains(
            self.client.get(reverse("reader:search"), {"q": "ceasefire agreed"}),
            "Contradiction · disputed fact: a date",
        )

    def test_an_unapproved_question_is_in_no_list_and_no_search(self):
        pending = self.question("When was the ceasefire renewed?", approved=False)
        for url in (reverse("reader:home"), reverse("reader:contradictions")):
            self.assertNotContains(self.client.get(url), pending.text)
        self.assertNotContains(self.client.get(reverse("reader:search"), {"q": "renewed"}), pending.text)

    def test_the_lists_query_count_does_not_grow_with_the_disputed_facts(self):
        counts = []
        for text in ("When did talks resume?", "When did talks end?"):
            question = self.question(text)
            with self.captureOnCommitCallbacks(execute=True):
                self.answer(question, self.june, "June 2022")
                self.answer(question, self.may, "May 2022")
            cache.clear()
            with self.assertNumQueries(7) as home:  # five counts, propositions, disputed facts with their values
                self.client.get(reverse("reader:home"))
            cache.clear()
            with self.assertNumQueries(5) as listed:  # filter choices, count, page (empty), disputed facts
                self.client.get(reverse("reader:contradictions"))
            counts.append((len(home.captured_queries), len(listed.captured_queries)))
        self.assertEqual(counts[0], counts[1])


class QuestionDataTests(QuestionTestCase):
    def setUp(self):
        self.ceasefire = self.question()
        self.answer(self.ceasefire, self.june, "June 2022")
        self.answer(self.ceasefire, self.may, "May 2022")
        self.answer(self.ceasefire, self.ended, "November 2022", approved=False)

    def test_the_json_has_each_value_with_its_interval_answers_and_conflicts(self):
        response = self.client.get(reverse("reader:question_json", args=[self.ceasefire.slug]))
        self.assertEqual(response["Content-Type"], "application/json")
        data = response.json()
        self.assertEqual(data["value_type"], "date")
        self.assertTrue(data["is_contradiction"])
        self.assertEqual([value["value"] for value in data["values"]], ["May 2022", "June 2022"])
        self.assertEqual((data["values"][0]["low"], data["values"][0]["high"]), ("2022-05-01", "2022-05-31"))
        self.assertEqual(data["values"][0]["answers"][0]["claim"]["quote"], "signed in May 2022")
        self.assertEqual(data["conflicts"], [["May 2022", "June 2022"]])
        self.assertNotIn("November 2022", response.content.decode())  # not approved

    def test_the_public_export_carries_questions_and_approved_answers_only(self):
        import io
        import json

        from django.core.management import call_command

        out = io.StringIO()
        call_command("export_public", stdout=out)
        records = [json.loads(line) for line in out.getvalue().splitlines()]
        questions = [record for record in records if record["type"] == "question"]
        answers = [record for record in records if record["type"] == "answer"]
        self.assertEqual([question["slug"] for question in questions], [self.ceasefire.slug])
        self.assertEqual(sorted(answer["value"] for answer in answers), ["June 2022", "May 2022"])
        self.assertEqual({answer["claim"] for answer in answers}, {self.june.pk, self.may.pk})

    def test_the_list_shows_at_most_the_ten_latest_disputed_facts(self):
        for number in range(11):
            question = self.question(f"When did round {number} of the talks end?")
            with self.captureOnCommitCallbacks(execute=True):
                self.answer(question, self.june, "June 2022")
                self.answer(question, self.may, "May 2022")
        response = self.client.get(reverse("reader:contradictions"))
        self.assertContains(response, "and the 10 latest disputed facts")
        self.assertContains(response, "contradiction-card--question", count=10)
        self.assertContains(response, "When did round 10 of the talks end?")  # the latest
        self.assertNotContains(response, "When was the ceasefire agreed?")  # the oldest of twelve
