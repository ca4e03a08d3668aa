"""Who may use each desk endpoint: analysts, reviewers and admins; not anonymous readers or outsiders."""

from django.urls import resolve, reverse

from claims.models import Actor, Answer, Proposition, Question, Side, Stance
from claims.translations import Translation
from tests.base import approve, make_claim, make_source
from tests.desk.base import HTMX, DeskTestCase

# What each endpoint answers its author with the data endpoints() sends: a page (200), a redirect
# after the change (302), or the form again because the data sent is incomplete on purpose (422).
INCOMPLETE_FORMS = {
    "claim_edit", "proposition_edit", "stance_edit", "question_edit", "answer_edit", "translation_edit",
}  # fmt: skip


def expected_status(method: str, url: str) -> int:
    name = resolve(url.split("?")[0]).url_name
    if method == "get":
        # A card alone is a fragment: a plain GET goes to its board.
        return 302 if name in ("stance_card", "answer_card") else 200
    return 422 if name in INCOMPLETE_FORMS else 302


class DeskAccessTests(DeskTestCase):
    def endpoints(self, author=None):
        """(method, url, data) for every desk endpoint, on fresh records the request may change.

        The drafts are ``author``'s (the analyst's by default); the public records are the analyst's.
        """
        author = author or self.analyst
        claim = make_claim(self.source, "they do not provide support to TTP’s operations", self.taliban, author)
        proposition = Proposition.objects.create(statement=f"Proposition for claim {claim.pk}", created_by=author)
        stance = Stance.objects.create(claim=claim, proposition=proposition, side=Side.DISPUTES, created_by=author)
        other = make_claim(self.source, "they are not responsible for Pakistan’s", self.taliban, author)
        source, slug = self.source.pk, proposition.slug
        # Loopback is refused in tests, so its re-check fails at once, without the network, and is recorded.
        web_source = make_source(text=f"A page {claim.pk}.", title="Web", url=f"http://127.0.0.1/page-{claim.pk}")
        removable = Stance.objects.create(claim=other, proposition=proposition, side=Side.SUPPORTS, created_by=author)
        actor = Actor.objects.create(name=f"Draft actor {claim.pk}", created_by=author)
        public_claim = approve(
            make_claim(self.source, "Its chief spokesman", self.taliban, self.analyst), self.other_reviewer
        )
        public_proposition = approve(
            Proposition.objects.create(statement=f"Approved proposition {claim.pk}", created_by=self.analyst),
            self.other_reviewer,
        )
        public_stance = approve(
            Stance.objects.create(
                claim=public_claim, proposition=public_proposition, side=Side.SUPPORTS, created_by=self.analyst
            ),
            self.other_reviewer,
        )
        # Answers from a source of their own, which sending the drafts of self.source leaves as they are.
        answering = make_claim(
            make_source(text=f"Report {claim.pk}: it was agreed in May 2022.", title=f"Report {claim.pk}"),
            "it was agreed in May 2022",
            self.taliban,
            author,
        )
        question = Question.objects.create(text=f"When, for claim {claim.pk}?", value_type="date", created_by=author)
        answer = Answer.objects.create(question=question, claim=answering, value_text="May 2022", created_by=author)
        lone_question = Question.objects.create(
            text=f"Who, for claim {claim.pk}?", value_type="actor", created_by=author
        )
        sent_question = Question.objects.create(
            text=f"Did, for claim {claim.pk}?", value_type="yes_no", created_by=author
        )
        Answer.objects.create(question=sent_question, claim=answering, value_text="yes", created_by=author)
        public_question = approve(
            Question.objects.create(
                text=f"Approved, for claim {claim.pk}?", value_type="date", created_by=self.analyst
            ),
            self.other_reviewer,
        )
        public_answer = approve(
            Answer.objects.create(
                question=public_question, claim=public_claim, value_text="June 2022", created_by=self.analyst
            ),
            self.other_reviewer,
        )
        # A translation from a source of its own too, which sending the drafts of self.source leaves as it is.
        translated_claim = make_claim(
            make_source(text=f"Translated report {claim.pk}.", title=f"Translated {claim.pk}"),
            f"Translated report {claim.pk}",
            self.taliban,
            author,
        )
        translation = Translation.record(
            claim=translated_claim, language="ur", text=f"ترجمہ {claim.pk}", translator="Desk", created_by=author
        )
        public_translation = approve(
            Translation.record(
                claim=public_claim, language="ur", text=f"ترجمہ {claim.pk}", translator="Desk", created_by=self.analyst
            ),
            self.other_reviewer,
        )
        translated = {"text": f"نیا ترجمہ {claim.pk}", "translator": "Desk", "kind": "machine"}
        claim_change = {
            "quote": public_claim.quote,
            "claimant": "Afghan Taliban",
            "paraphrase": "Changed.",
            "version": public_claim.version,
        }
        return [
            ("get", reverse("desk:home"), None),
            ("get", reverse("desk:claim_revise", args=[public_claim.pk]), None),
            ("post", reverse("desk:claim_revise", args=[public_claim.pk]), claim_change),
            ("get", reverse("desk:stance_revise", args=[public_stance.pk]), None),
            (
                "post",
                reverse("desk:stance_revise", args=[public_stance.pk]),
                {"side": "qualifies", "note": "", "version": public_stance.version},
            ),
            ("get", reverse("desk:proposition_revise", args=[public_proposition.slug]), None),
            (
                "post",
                reverse("desk:proposition_revise", args=[public_proposition.slug]),
                {"statement": f"Changed {claim.pk}", "description": "", "version": public_proposition.version},
            ),
            ("get", reverse("desk:source_import"), None),
            ("post", reverse("desk:source_import"), {"title": "T", "language": "en", "text": f"New text {claim.pk}"}),
            ("get", reverse("desk:source", args=[source]), None),
            ("get", reverse("desk:claim_new", args=[source]), None),
            (
                "post",
                reverse("desk:claim_new", args=[source]),
                {"quote": "Its chief spokesman", "claimant": "Afghan Taliban", "paraphrase": "Spokesman."},
            ),
            ("get", reverse("desk:anchor_preview", args=[source]) + "?quote=Pakistan+claims", None),
            ("get", reverse("desk:claim_edit", args=[claim.pk]), None),
            ("post", reverse("desk:claim_edit", args=[claim.pk]), {"quote": claim.quote, "version": claim.version}),
            ("get", reverse("desk:similar_claims") + "?paraphrase=Taliban+shelter", None),
            ("get", reverse("desk:actor_suggestions") + "?field=claimant&claimant=Tali", None),
            ("get", reverse("desk:proposition_suggestions") + "?field=proposition&proposition=Taliban", None),
            ("get", reverse("desk:propositions"), None),
            ("get", reverse("desk:proposition_new"), None),
            ("post", reverse("desk:proposition_new"), {"statement": f"A new proposition {claim.pk}"}),
            ("get", reverse("desk:board", args=[slug]), None),
            ("get", reverse("desk:proposition_edit", args=[slug]), None),
            ("post", reverse("desk:proposition_edit", args=[slug]), {"statement": "", "version": 1}),
            ("post", reverse("desk:stance_add", args=[slug]), {"claim": self.claim.pk, "side": "qualifies"}),
            ("get", reverse("desk:stance_card", args=[stance.pk]), None),
            ("get", reverse("desk:stance_edit", args=[stance.pk]), None),
            ("post", reverse("desk:stance_edit", args=[stance.pk]), {"paraphrase": "", "note": ""}),
            ("post", reverse("desk:stance_move", args=[stance.pk]), {"side": "qualifies", "version": stance.version}),
            ("post", reverse("desk:stance_remove", args=[removable.pk]), {"version": removable.version}),
            ("post", reverse("desk:claim_submit", args=[other.pk]), {}),
            ("post", reverse("desk:proposition_submit", args=[slug]), {}),
            ("post", reverse("desk:stance_submit", args=[stance.pk]), {}),  # with its draft claim
            ("post", reverse("desk:board_submit", args=[slug]), {}),
            ("post", reverse("desk:source_submit", args=[source]), {}),
            ("post", reverse("desk:source_recheck", args=[web_source.pk]), {}),
            ("get", reverse("desk:actors") + "?q=Taliban", None),
            ("get", reverse("desk:actor_new"), None),
            ("post", reverse("desk:actor_new"), {"name": f"New actor {claim.pk}", "kind": "person"}),
            ("get", reverse("desk:actor", args=[actor.slug]), None),
            ("post", reverse("desk:actor", args=[actor.slug]), {"name": actor.name, "kind": "other", "version": 1}),
            ("post", reverse("desk:actor_submit", args=[actor.slug]), {}),
            ("get", reverse("desk:questions") + "?q=when", None),
            ("get", reverse("desk:question_new"), None),
            ("post", reverse("desk:question_new"), {"text": f"New question {claim.pk}?", "value_type": "yes_no"}),
            ("get", reverse("desk:question", args=[question.slug]), None),
            ("get", reverse("desk:question_suggestions") + "?question=when", None),
            ("get", reverse("desk:question_edit", args=[question.slug]), None),
            ("post", reverse("desk:question_edit", args=[question.slug]), {"text": "", "version": question.version}),
            ("post", reverse("desk:answer_add", args=[question.slug]), {"claim": other.pk, "value_text": "2022"}),
            ("get", reverse("desk:claim_answer", args=[public_claim.pk]), None),
            (
                "post",
                reverse("desk:claim_answer", args=[public_claim.pk]),
                {"question": question.text, "value_text": "2022"},
            ),
            ("get", reverse("desk:answer_card", args=[answer.pk]), None),
            ("get", reverse("desk:answer_edit", args=[answer.pk]), None),
            ("post", reverse("desk:answer_edit", args=[answer.pk]), {"value_text": "", "version": answer.version}),
            ("post", reverse("desk:answer_submit", args=[answer.pk]), {}),  # with its draft claim and question
            ("post", reverse("desk:question_submit", args=[lone_question.slug]), {}),
            ("post", reverse("desk:question_submit_drafts", args=[sent_question.slug]), {}),
            ("get", reverse("desk:question_revise", args=[public_question.slug]), None),
            (
                "post",
                reverse("desk:question_revise", args=[public_question.slug]),
                {"text": f"Changed, for claim {claim.pk}?", "description": "", "version": public_question.version},
            ),
            ("get", reverse("desk:answer_revise", args=[public_answer.pk]), None),
            (
                "post",
                reverse("desk:answer_revise", args=[public_answer.pk]),
                {"value_text": "2022-06", "version": public_answer.version},
            ),
            ("get", reverse("desk:claim_translations", args=[claim.pk]), None),
            ("post", reverse("desk:claim_translations", args=[claim.pk]), {"language": "fa", **translated}),
            ("get", reverse("desk:source_translations", args=[source]), None),
            ("post", reverse("desk:source_translations", args=[source]), {"language": "ps", **translated}),
            ("get", reverse("desk:translation_edit", args=[translation.pk]), None),
            ("post", reverse("desk:translation_edit", args=[translation.pk]), {"text": "", "version": 1}),
            ("post", reverse("desk:translation_submit", args=[translation.pk]), {}),
            ("get", reverse("desk:translation_revise", args=[public_translation.pk]), None),
            (
                "post",
                reverse("desk:translation_revise", args=[public_translation.pk]),
                {**translated, "version": public_translation.version},
            ),
        ]

    def request(self, method, url, data, **headers):
        return getattr(self.client, method)(url, data or {}, **headers)

    def test_every_endpoint_is_covered(self):
        from desk.urls import urlpatterns

        covered = {resolve(url.split("?")[0]).url_name for _, url, _ in self.endpoints()}
        self.assertEqual(covered, {pattern.name for pattern in urlpatterns})

    def test_it_sends_anonymous_visitors_to_the_login_page(self):
        for method, url, data in self.endpoints():
            with self.subTest(url=url, method=method):
                response = self.request(method, url, data)
                self.assertEqual(response.status_code, 302)
                self.assertTrue(response["Location"].startswith(reverse("login")))

    def test_it_sends_anonymous_htmx_requests_to_the_login_page_as_a_whole_page(self):
        url = reverse("desk:anchor_preview", args=[self.source.pk])
        response = self.client.get(url, **HTMX, HTTP_HX_CURRENT_URL=f"http://testserver/desk/sources/{self.source.pk}/")
        self.assertEqual(response["HX-Redirect"], f"{reverse('login')}?next=/desk/sources/{self.source.pk}/")

    def test_it_refuses_users_in_no_role_with_a_reason(self):
        self.login(self.outsider)
        for method, url, data in self.endpoints():
            with self.subTest(url=url, method=method):
                response = self.request(method, url, data)
                self.assertEqual(response.status_code, 403)
                self.assertContains(response, "The desk is for analysts and reviewers", status_code=403)

    def test_it_refuses_htmx_requests_from_users_in_no_role_with_a_fragment(self):
        self.login(self.outsider)
        response = self.client.get(reverse("desk:home"), **HTMX)
        self.assertContains(response, "data-desk-error", status_code=403)
        self.assertNotContains(response, "<html", status_code=403)

    def test_analysts_reviewers_and_admins_may_use_every_endpoint_on_their_own_drafts(self):
        for user in (self.analyst, self.reviewer, self.admin):
            self.login(user)
            for method, url, data in self.endpoints(author=user):
                with self.subTest(user=user.username, url=url, method=method):
                    response = self.request(method, url, data)
                    self.assertEqual(response.status_code, expected_status(method, url), response.content[:300])

    def test_nobody_but_the_author_and_admins_edits_or_submits_a_draft(self):
        drafts_only = {
            "claim_edit", "claim_submit", "proposition_edit", "proposition_submit",
            "stance_edit", "stance_move", "stance_remove", "stance_submit", "actor_submit",
            "question_edit", "question_submit", "answer_edit", "answer_submit",
            "translation_edit", "translation_submit",
        }  # fmt: skip
        for user, refused in ((self.other_analyst, True), (self.reviewer, True), (self.admin, False)):
            self.login(user)
            for method, url, data in self.endpoints(author=self.analyst):
                if resolve(url.split("?")[0]).url_name not in drafts_only:
                    continue
                with self.subTest(user=user.username, url=url, method=method):
                    response = self.request(method, url, data)
                    if refused:
                        self.assertContains(response, "only its author edits it", status_code=403)
                    else:
                        self.assertEqual(response.status_code, expected_status(method, url))

    def test_an_inactive_analyst_is_refused(self):
        self.analyst.is_active = False
        self.analyst.save()
        self.client.force_login(self.analyst)
        response = self.client.get(reverse("desk:home"))
        self.assertNotEqual(response.status_code, 200)
