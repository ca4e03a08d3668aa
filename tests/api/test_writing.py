"""The write API: drafts made as at the desk, with the desk's refusals, sent to review; never approved."""

import unicodedata

from django.urls import reverse

from api.models import TokenScope
from claims.models import Actor, Claim, Proposition, ReviewState, Stance
from desk.forms import NewClaimForm
from sources.importing import prepare_text
from sources.models import Source
from tests.api.base import ApiTestCase, token_for
from tests.base import approve, make_claim

SHELTER = "the Taliban is providing shelter for TTP members"
SPOKESMAN = "they are not responsible for Pakistan’s internal security issues"
REPORT = "The spokesman said the talks in Kabul had failed.\n\nThe ministry said they had not."


class WritingTestCase(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.token = token_for(self.analyst)

    def claim_payload(self, **fields) -> dict:
        return {
            "source": self.source.pk,
            "quote": SPOKESMAN,
            "claimant": "Afghan Taliban",
            "paraphrase": "Not us.",
        } | fields

    def desk_claim_errors(self, **fields) -> dict:
        """What the desk's own form (desk:claim_new) says about the same claim."""
        self.client.force_login(self.analyst)
        response = self.client.post(reverse("desk:claim_new", args=[self.source.pk]), self.claim_payload(**fields))
        self.client.logout()
        self.assertEqual(response.status_code, 422)
        return NewClaimForm(self.claim_payload(**fields), source=self.source).errors


class SourceTests(WritingTestCase):
    def test_a_pasted_source_is_a_draft_of_the_token_user_at_the_desk(self):
        response = self.post_json(
            "sources", {"title": "Kabul talks", "text": REPORT, "language": "en"}, token=self.token
        )
        self.assertEqual(response.status_code, 201, response.content)
        source = Source.objects.get(pk=response.json()["id"])
        self.assertEqual((source.state, source.created_by), (ReviewState.DRAFT, self.analyst))
        self.assertEqual(response.json()["desk_url"], f"http://testserver/desk/sources/{source.pk}/")
        self.client.force_login(self.analyst)
        self.assertContains(self.client.get(reverse("desk:source", args=[source.pk])), "Kabul talks")

    def test_the_text_is_normalized_as_at_the_desk(self):
        pasted = unicodedata.normalize("NFD", "Café talks\r\n\r\nThe ministry denied it.  ")
        response = self.post_json("sources", {"title": "Café", "text": pasted}, token=self.token)
        self.assertEqual(Source.objects.get(pk=response.json()["id"]).text, prepare_text(pasted))

    def test_a_duplicate_is_refused_with_the_existing_source(self):
        response = self.post_json("sources", {"title": "Again", "text": self.source.text}, token=self.token)
        problem = self.assertProblem(response, 409, slug="duplicate")
        self.assertEqual(problem["existing"]["id"], self.source.pk)
        self.assertIn("This source is already here (same text)", problem["detail"])
        self.assertEqual(Source.objects.count(), 1)

    def test_invalid_fields_are_named_with_the_desk_messages(self):
        response = self.post_json(
            "sources", {"title": "", "text": "\u200b\u200b", "published": "2022-02-30"}, token=self.token
        )
        problem = self.assertProblem(response, 422, slug="invalid-request")
        fields = {error["pointer"]: error["detail"] for error in problem["errors"]}
        self.assertEqual(set(fields), {"#/title", "#/text", "#/published"})
        self.assertEqual(fields["#/published"], "“2022-02-30” is not a real date.")


class ClaimTests(WritingTestCase):
    def test_the_quote_is_anchored_by_the_server(self):
        response = self.post_json("claims", self.claim_payload(quote=f"  {SPOKESMAN} "), token=self.token)
        self.assertEqual(response.status_code, 201, response.content)
        claim = Claim.objects.get(pk=response.json()["id"])
        start = self.source.text.index(SPOKESMAN)
        self.assertEqual((claim.start, claim.end, claim.quote), (start, start + len(SPOKESMAN), SPOKESMAN))
        self.assertEqual(
            (claim.state, claim.created_by, claim.claimant), (ReviewState.DRAFT, self.analyst, self.taliban)
        )
        self.assertEqual(
            response.json()["selectors"][0], {"type": "TextPositionSelector", "start": start, "end": claim.end}
        )

    def test_the_draft_shows_at_the_desk(self):
        claim_id = self.post_json("claims", self.claim_payload(), token=self.token).json()["id"]
        self.client.force_login(self.analyst)
        page = self.client.get(reverse("desk:source", args=[self.source.pk]))
        self.assertContains(page, f'data-claims="{claim_id}"')

    def test_anchoring_refusals_read_exactly_as_at_the_desk(self):
        for quote in ("words the source never had", "the Taliban", ""):
            with self.subTest(quote=quote):
                problem = self.assertProblem(
                    self.post_json("claims", self.claim_payload(quote=quote), token=self.token), 422
                )
                desk = self.desk_claim_errors(quote=quote)
                self.assertEqual(
                    [e["detail"] for e in problem["errors"] if e.get("pointer") == "#/quote"], desk["quote"]
                )
        self.assertFalse(Claim.objects.exists())

    def test_an_occurrence_is_chosen_by_its_position_as_at_the_desk(self):
        second = self.source.text.index("the Taliban insists")
        response = self.post_json("claims", self.claim_payload(quote="the Taliban", start=second), token=self.token)
        self.assertEqual(Claim.objects.get(pk=response.json()["id"]).start, second)

    def test_an_unknown_claimant_is_refused_as_at_the_desk(self):
        problem = self.assertProblem(
            self.post_json("claims", self.claim_payload(claimant="Nobody"), token=self.token), 422
        )
        self.assertEqual(
            problem["errors"],
            [{"pointer": "#/claimant", "detail": self.desk_claim_errors(claimant="Nobody")["claimant"][0]}],
        )

    def test_a_claim_with_a_new_actor_a_new_proposition_and_a_side(self):
        payload = self.claim_payload(
            claimant="Zabihullah Mujahid", claimant_is_new=True, proposition="Kabul disowns the TTP.",
            proposition_is_new=True, side="supports",
        )  # fmt: skip
        draft = self.post_json("claims", payload, token=self.token).json()
        self.assertEqual(draft["claimant"]["state"], "draft")
        self.assertEqual(draft["stance"]["side"], "supports")
        proposition = Proposition.objects.get(slug=draft["stance"]["proposition"]["slug"])
        self.assertEqual((proposition.state, proposition.created_by), (ReviewState.DRAFT, self.analyst))
        self.assertEqual(Actor.objects.get(slug=draft["claimant"]["slug"]).created_by, self.analyst)

    def test_an_unknown_source_is_named(self):
        problem = self.assertProblem(self.post_json("claims", self.claim_payload(source=999999), token=self.token), 422)
        self.assertEqual(problem["errors"][0]["pointer"], "#/source")


class StanceAndPropositionTests(WritingTestCase):
    def setUp(self):
        super().setUp()
        self.claim = make_claim(self.source, SHELTER, self.pakistan, self.analyst)
        self.proposition = Proposition.objects.create(statement="The Taliban shelter the TTP.", created_by=self.analyst)

    def test_a_stance_puts_a_claim_on_a_side(self):
        payload = {"claim": self.claim.pk, "proposition": self.proposition.slug, "side": "supports"}
        response = self.post_json("stances", payload, token=self.token)
        self.assertEqual(response.status_code, 201, response.content)
        stance = Stance.objects.get(pk=response.json()["id"])
        self.assertEqual((stance.state, stance.created_by, stance.side), (ReviewState.DRAFT, self.analyst, "supports"))
        again = self.post_json("stances", payload, token=self.token)
        self.assertEqual(
            self.assertProblem(again, 409, slug="conflict")["detail"], "This claim is already on the board."
        )

    def test_a_proposition_is_a_draft_and_its_statement_unique(self):
        response = self.post_json(
            "propositions", {"statement": "Talks failed in Kabul.", "description": "*Why*"}, token=self.token
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(Proposition.objects.get(slug=response.json()["slug"]).created_by, self.analyst)
        again = self.post_json("propositions", {"statement": "talks failed in kabul."}, token=self.token)
        self.assertEqual(self.assertProblem(again, 422)["errors"][0]["pointer"], "#/statement")


class SubmitTests(WritingTestCase):
    def test_a_claim_goes_to_review_with_the_users_drafts_it_rests_on(self):
        source = self.post_json("sources", {"title": "Kabul talks", "text": REPORT}, token=self.token).json()
        payload = self.claim_payload(source=source["id"], quote="the talks in Kabul had failed")
        claim = self.post_json("claims", payload, token=self.token).json()
        response = self.post_json(f"claims/{claim['id']}/submit", None, token=self.token, raw=b"")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["submitted"]["claims"], 1)
        self.assertEqual(response.json()["submitted"]["sources"], 1)
        self.assertEqual(Claim.objects.get(pk=claim["id"]).state, ReviewState.PENDING)
        again = self.post_json(f"claims/{claim['id']}/submit", None, token=self.token, raw=b"")
        self.assertEqual(
            self.assertProblem(again, 409, slug="conflict")["detail"], "Cannot submit a record that is pending review."
        )

    def test_someone_elses_draft_is_not_theirs_to_submit(self):
        claim = make_claim(self.source, SHELTER, self.pakistan, self.other_analyst)
        response = self.post_json(f"claims/{claim.pk}/submit", None, token=self.token, raw=b"")
        self.assertProblem(response, 403, slug="forbidden")
        self.assertEqual(Claim.objects.get(pk=claim.pk).state, ReviewState.DRAFT)

    def test_a_source_proposition_and_stance_are_submitted_too(self):
        claim = make_claim(self.source, SHELTER, self.pakistan, self.analyst)
        proposition = Proposition.objects.create(statement="Shelter.", created_by=self.analyst)
        stance = Stance.objects.create(claim=claim, proposition=proposition, side="supports", created_by=self.analyst)
        self.assertEqual(
            self.post_json(f"propositions/{proposition.slug}/submit", None, token=self.token, raw=b"").status_code, 200
        )
        response = self.post_json(f"stances/{stance.pk}/submit", None, token=self.token, raw=b"")
        self.assertEqual(
            response.json()["submitted"], {"claims": 0, "stances": 1, "propositions": 0, "sources": 0, "actors": 0}
        )
        later = make_claim(self.source, SPOKESMAN, self.taliban, self.analyst)
        response = self.post_json(f"sources/{self.source.pk}/submit", None, token=self.token, raw=b"")
        self.assertEqual(response.json()["submitted"]["claims"], 1)
        records = (claim, later, proposition, stance)
        self.assertEqual({type(r).objects.get(pk=r.pk).state for r in records}, {ReviewState.PENDING})
        nothing_left = self.post_json(f"sources/{self.source.pk}/submit", None, token=self.token, raw=b"")
        self.assertProblem(nothing_left, 409, slug="conflict")


class NothingIsApprovedTests(WritingTestCase):
    def test_a_read_token_cannot_write(self):
        reader = token_for(self.analyst, TokenScope.READ)
        response = self.post_json("propositions", {"statement": "Read-only."}, token=reader)
        self.assertProblem(response, 403, slug="forbidden")
        self.assertFalse(Proposition.objects.exists())

    def test_no_token_approves_rejects_or_deletes(self):
        claim = make_claim(self.source, SHELTER, self.pakistan, self.analyst)
        claim.submit(self.analyst)
        public = approve(make_claim(self.source, SPOKESMAN, self.taliban, self.analyst), self.reviewer)
        for user in (self.reviewer, self.admin):
            token = token_for(user)
            headers = {"Authorization": f"Bearer {token}"}
            for method in ("post", "put", "patch", "delete"):
                for path in (
                    f"claims/{claim.pk}",
                    f"claims/{claim.pk}/approve",
                    f"claims/{claim.pk}/reject",
                    f"claims/{public.pk}",
                ):
                    with self.subTest(user=user.username, method=method, path=path):
                        response = getattr(self.client, method)(f"/api/v1/{path}", headers=headers)
                        self.assertIn(response.status_code, (404, 405))
        self.assertEqual(Claim.objects.get(pk=claim.pk).state, ReviewState.PENDING)
        self.assertEqual(Claim.objects.get(pk=public.pk).state, ReviewState.APPROVED)
        self.assertFalse(
            any(
                path.endswith(("approve", "reject")) for path in self.client.get("/api/v1/openapi.json").json()["paths"]
            )
        )
