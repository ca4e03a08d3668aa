"""Who may use each desk endpoint: analysts, reviewers and admins; not anonymous readers or outsiders."""

from django.urls import resolve, reverse

from claims.models import Actor, Proposition, Side, Stance
from tests.base import approve, make_claim, make_source
from tests.desk.base import HTMX, DeskTestCase

# What each endpoint answers its author with the data endpoints() sends: a page (200), a redirect
# after the change (302), or the form again because the data sent is incomplete on purpose (422).
INCOMPLETE_FORMS = {"claim_edit", "proposition_edit", "stance_edit"}


def expected_status(method: str, url: str) -> int:
    name = resolve(url.split("?")[0]).url_name
    if method == "get":
        return 302 if name == "stance_card" else 200  # a card alone is a fragment: a plain GET goes to its board
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
