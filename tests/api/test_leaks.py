"""Nothing unreviewed reaches the API: drafts, pending, rejected and withdrawn records appear in no list and no record."""

from claims.models import Actor, Proposition, ReviewState, Stance
from tests.api.base import ApiTestCase
from tests.base import approve, make_claim, make_source

LISTS = ("contradictions", "claims", "stances", "actors", "sources")


class LeakTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.contradiction = self.build_contradiction()
        self.hidden = self.unpublished_claims(self.contradiction)  # quotes say SECRET-<state>
        # A withdrawn claim: approved, then returned to draft; and a withdrawn proposition.
        withdrawn = approve(
            make_claim(self.source, "Its chief spokesman said", self.taliban, self.analyst), self.reviewer
        )
        withdrawn.paraphrase = "SECRET-withdrawn"
        withdrawn.save(update_fields=["paraphrase"])
        withdrawn.return_to_draft(self.reviewer, reason="Checking")
        self.hidden["withdrawn"] = withdrawn
        gone = approve(
            Proposition.objects.create(statement="SECRET-withdrawn proposition", created_by=self.analyst), self.reviewer
        )
        gone.return_to_draft(self.reviewer)
        # A draft actor and a draft source whose approved-looking claim waits for them.
        draft_actor = Actor.objects.create(name="SECRET-draft actor", created_by=self.analyst)
        draft_source = make_source(text="SECRET-draft source text.", title="SECRET-draft source", state="draft")
        self.hidden["draft source"] = make_claim(draft_source, "SECRET-draft source text", draft_actor, self.analyst)
        # A pending revision of a public claim, and a draft stance on the public proposition.
        public = self.contradiction.stances.first().claim
        public.propose_revision(self.analyst, {"paraphrase": "SECRET-revision"})
        Stance.objects.create(
            claim=withdrawn, proposition=self.contradiction, side="qualifies", created_by=self.analyst
        )
        self.hidden_stances = list(Stance.objects.exclude(state=ReviewState.APPROVED))
        self.hidden_propositions = [
            gone,
            Proposition.objects.create(statement="SECRET-draft proposition", created_by=self.analyst),
        ]
        self.hidden_actors = [draft_actor, *Actor.objects.filter(name__startswith="Hidden")]

    def every_response(self):
        filters = [{}, {"actor": self.pakistan.slug}, {"proposition": self.contradiction.slug}, {"language": "en"}]
        for path in LISTS:
            for params in filters:
                response = self.api(path, limit=200, **params)
                yield path, response
                for item in response.json()["items"]:
                    key = item.get("slug") or item["id"]
                    yield f"{path}/{key}", self.api(f"{path}/{key}")

    def test_no_list_or_record_shows_an_unreviewed_word(self):
        seen = 0
        for path, response in self.every_response():
            self.assertEqual(response.status_code, 200, path)
            self.assertNotIn("SECRET", response.content.decode(), path)
            self.assertNotIn("Hidden", response.content.decode(), path)
            seen += 1
        self.assertGreater(seen, 20)

    def test_unreviewed_records_are_not_found_by_address(self):
        for state, claim in self.hidden.items():
            with self.subTest(state=state):
                self.assertProblem(self.api(f"claims/{claim.pk}"), 404)
        for stance in self.hidden_stances:
            self.assertProblem(self.api(f"stances/{stance.pk}"), 404)
        for proposition in self.hidden_propositions:
            self.assertProblem(self.api(f"contradictions/{proposition.slug}"), 404)
        for actor in self.hidden_actors:
            self.assertProblem(self.api(f"actors/{actor.slug}"), 404)
        self.assertProblem(self.api(f"sources/{self.hidden['draft source'].source_id}"), 404)

    def test_filters_naming_unreviewed_records_are_refused(self):
        self.assertProblem(self.api("claims", actor=self.hidden_actors[0].slug), 422)
        self.assertProblem(self.api("claims", proposition=self.hidden_propositions[0].slug), 422)
        self.assertProblem(self.api("claims", source=self.hidden["draft source"].source_id), 422)

    def test_no_review_or_authorship_fields(self):
        claim = self.api("claims").json()["items"][0]
        text = str(self.api("claims").json()) + str(self.api("contradictions").json()) + str(self.api("actors").json())
        for field in ("created_by", "review_reason", "reviewed_by", "version", "state"):
            self.assertNotIn(f"'{field}'", text)
        self.assertNotIn("SECRET", str(claim))


class QuestionLeakTests(ApiTestCase):
    """Unreviewed questions and answers are in no list and no record, and never make a question disputed."""

    def setUp(self):
        super().setUp()
        from tests.test_questions import CEASEFIRE_TEXT

        report = make_source(text=CEASEFIRE_TEXT, title="Ceasefire report")
        june = self.publish_claim(report, "ceasefire agreed in June 2022", self.pakistan)
        self.agreed = self.question("When was the ceasefire agreed?")
        self.answer(self.agreed, june, "June 2022")
        self.answer(self.agreed, self.publish_claim(report, "The TTP ended the ceasefire", self.taliban), "2022")
        # Conflicting answers that readers must not see: draft, pending, rejected, and one whose claim was withdrawn.
        for state, quote in (
            ("draft", "signed in May 2022"),
            ("pending", "At least 30 people were killed"),
            ("rejected", "Hospital officials counted"),
        ):
            answer = self.answer(self.agreed, self.publish_claim(report, quote, self.taliban), "March 2021", False)
            if state != "draft":
                answer.submit(self.analyst)
            if state == "rejected":
                answer.reject(self.reviewer, reason="Not what it says.")
        withdrawn = self.publish_claim(report, "police said", self.taliban)
        self.answer(self.agreed, withdrawn, "April 2023")
        withdrawn.return_to_draft(self.reviewer, reason="Checking.")
        # Questions readers must not see, one with conflicting approved answers, then withdrawn.
        self.hidden = [self.question(f"SECRET {state} question?", approved=False) for state in ("draft", "pending")]
        self.hidden[1].submit(self.analyst)
        gone = self.question("SECRET withdrawn question?")
        self.answer(gone, june, "June 2022")
        self.answer(gone, self.publish_claim(report, "Officials said", self.pakistan), "May 2021")
        gone.return_to_draft(self.reviewer, reason="Reworded.")
        self.hidden.append(gone)

    def question(self, text, approved=True):
        from claims.models import Question

        question = Question.objects.create(text=text, value_type="date", created_by=self.analyst)
        return approve(question, self.reviewer) if approved else question

    def answer(self, question, claim, value_text, approved=True):
        from claims.models import Answer

        answer = Answer.objects.create(question=question, claim=claim, value_text=value_text, created_by=self.analyst)
        return approve(answer, self.reviewer) if approved else answer

    def test_no_list_or_record_shows_an_unreviewed_question_or_answer(self):
        responses = [
            self.api("questions", limit=200, **params) for params in ({}, {"disputed": "true"}, {"disputed": "false"})
        ]
        responses.append(self.api(f"questions/{self.agreed.slug}"))
        for response in responses:
            self.assertEqual(response.status_code, 200)
            for word in ("SECRET", "March 2021", "April 2023", "May 2021", "police said"):
                self.assertNotIn(word, response.content.decode())
        self.assertEqual([item["slug"] for item in self.items("questions")], [self.agreed.slug])

    def test_unreviewed_answers_never_make_a_question_disputed(self):
        self.assertEqual(self.items("questions", disputed="true"), [])
        item = self.items("questions")[0]
        self.assertEqual((item["is_contradiction"], item["conflicts"], item["answers_count"]), (False, [], 2))
        self.assertEqual(self.api(f"questions/{self.agreed.slug}").json()["conflicts"], [])

    def test_unreviewed_questions_are_not_found_by_address(self):
        for question in self.hidden:
            self.assertProblem(self.api(f"questions/{question.slug}"), 404, slug="not-found")
