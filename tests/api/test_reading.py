"""The read API: every list and record, their filters, and their queries pinned."""

import datetime

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from claims.models import Actor, Claim, Proposition, Stance
from sources.dates import DatePrecision
from tests.api.base import ApiTestCase
from tests.base import make_source

URDU_TEXT = "پاکستان کا کہنا ہے کہ طالبان پناہ دیتے ہیں۔\n\nطالبان اس سے انکار کرتے ہیں۔"


class ReadingTestCase(ApiTestCase):
    def setUp(self):
        super().setUp()
        self.contradiction = self.build_contradiction()
        self.shelter, self.denial = (
            self.contradiction.stances.get(side="supports").claim,
            self.contradiction.stances.get(side="disputes").claim,
        )
        # A second contradiction, in Urdu, asserted in 2021, between two other actors.
        self.urdu = make_source(text=URDU_TEXT, title="اردو رپورٹ", language="ur")
        self.army = Actor.objects.create(state="approved", name="Pakistan Army", kind="government")
        self.ttp = Actor.objects.create(state="approved", name="Tehreek-e-Taliban Pakistan", kind="armed_group")
        self.other = self.publish_proposition("The TTP is sheltered in Afghanistan.")
        when = {"asserted_on": datetime.date(2021, 5, 1), "asserted_precision": DatePrecision.MONTH}
        self.publish_claim(self.urdu, "طالبان پناہ دیتے ہیں", self.army, self.other, "supports", **when)
        self.publish_claim(self.urdu, "طالبان اس سے انکار کرتے ہیں", self.ttp, self.other, "disputes", **when)


class ContradictionTests(ReadingTestCase):
    def test_it_lists_contradictions_newest_first_with_who_is_on_each_side(self):
        items = self.items("contradictions")
        self.assertEqual([item["slug"] for item in items], [self.other.slug, self.contradiction.slug])
        self.assertEqual(items[1]["counts"], {"supports": 1, "disputes": 1, "qualifies": 0})
        self.assertEqual([actor["slug"] for actor in items[1]["supporters"]], [self.pakistan.slug])
        self.assertEqual([actor["slug"] for actor in items[1]["disputers"]], [self.taliban.slug])

    def test_a_proposition_with_one_side_is_not_a_contradiction(self):
        one_sided = self.publish_proposition("One-sided.")
        self.publish_claim(self.source, "KABUL", self.pakistan, one_sided)
        self.assertNotIn(one_sided.slug, [item["slug"] for item in self.items("contradictions")])
        self.assertEqual(self.api(f"contradictions/{one_sided.slug}").json()["is_contradiction"], False)

    def test_filters_keep_contradictions_with_a_matching_claim(self):
        def slugs(**params):
            return [item["slug"] for item in self.items("contradictions", **params)]

        self.assertEqual(slugs(actor=self.pakistan.slug), [self.contradiction.slug])
        self.assertEqual(slugs(source=self.urdu.pk), [self.other.slug])
        self.assertEqual(slugs(language="ur"), [self.other.slug])
        self.assertEqual(slugs(proposition=self.other.slug), [self.other.slug])
        self.assertEqual(slugs(asserted_from="2021-01", asserted_to="2021"), [self.other.slug])
        self.assertEqual(slugs(asserted_to="2021-04-30"), [])

    def test_updated_since_counts_a_new_claim_on_it(self):
        since = timezone.now()
        self.assertEqual(self.items("contradictions", updated_since=since.isoformat()), [])
        self.publish_claim(self.source, "KABUL", self.taliban, self.contradiction, "qualifies")
        slugs = [item["slug"] for item in self.items("contradictions", updated_since=since.isoformat())]
        self.assertEqual(slugs, [self.contradiction.slug])

    def test_one_is_what_its_page_json_gives(self):
        api = self.api(f"contradictions/{self.contradiction.slug}").json()
        page = self.client.get(reverse("reader:contradiction_json", args=[self.contradiction.slug])).json()
        self.assertEqual(api, page)

    def test_an_actor_filter_that_names_no_public_actor_is_refused(self):
        hidden = Actor.objects.create(name="Hidden", created_by=self.analyst)
        problem = self.assertProblem(self.api("contradictions", actor=hidden.slug), 422, slug="invalid-request")
        self.assertEqual(problem["errors"][0]["parameter"], "actor")


class ClaimTests(ReadingTestCase):
    def test_it_lists_claims_with_their_anchor_source_and_stances(self):
        items = self.items("claims", source=self.source.pk)
        self.assertEqual([item["id"] for item in items], [self.denial.pk, self.shelter.pk])
        shelter = items[1]
        self.assertEqual(shelter["quote"], "the Taliban is providing shelter for TTP members")
        self.assertEqual(
            shelter["selectors"][0],
            {"type": "TextPositionSelector", "start": self.shelter.start, "end": self.shelter.end},
        )
        self.assertEqual(shelter["source"]["id"], self.source.pk)
        self.assertEqual(shelter["stances"][0]["proposition"]["slug"], self.contradiction.slug)
        self.assertNotIn("created_by", shelter)
        self.assertNotIn("text", shelter["source"])

    def test_filters(self):
        def ids(**params):
            return {item["id"] for item in self.items("claims", **params)}

        urdu_claims = set(Claim.objects.filter(source=self.urdu).values_list("pk", flat=True))
        self.assertEqual(ids(actor=self.pakistan.slug), {self.shelter.pk})
        self.assertEqual(ids(language="ur"), urdu_claims)
        self.assertEqual(ids(proposition=self.contradiction.slug), {self.shelter.pk, self.denial.pk})
        self.assertEqual(ids(asserted_from="2021-05-01", asserted_to="2021-05-31"), urdu_claims)
        self.assertEqual(ids(asserted_from="2021-06"), set())

    def test_the_actor_filter_includes_claims_they_reported(self):
        reported = self.publish_claim(self.source, "Its chief spokesman said", self.taliban, reported_by=self.army)
        self.assertEqual(
            {item["id"] for item in self.items("claims", actor=self.army.slug)} - {reported.pk},
            set(Claim.objects.filter(claimant=self.army).values_list("pk", flat=True)),
        )
        self.assertIn(reported.pk, {item["id"] for item in self.items("claims", actor=self.army.slug)})

    def test_updated_since(self):
        since = timezone.now()
        fresh = self.publish_claim(self.source, "KABUL", self.pakistan)
        self.assertEqual([item["id"] for item in self.items("claims", updated_since=since.isoformat())], [fresh.pk])
        naive = since.replace(tzinfo=None).isoformat()  # read as UTC
        self.assertEqual([item["id"] for item in self.items("claims", updated_since=naive)], [fresh.pk])

    def test_one_claim(self):
        claim = self.api(f"claims/{self.shelter.pk}").json()
        self.assertEqual(claim["claimant"]["slug"], self.pakistan.slug)
        self.assertEqual(claim["url"], f"http://testserver/sources/{self.source.pk}/#claim-{self.shelter.pk}")


class StanceTests(ReadingTestCase):
    def test_it_lists_stances_with_their_claim_and_proposition(self):
        items = self.items("stances", proposition=self.contradiction.slug)
        self.assertEqual({item["side"] for item in items}, {"supports", "disputes"})
        self.assertEqual(items[0]["proposition"]["slug"], self.contradiction.slug)
        self.assertIn(items[0]["claim"]["id"], {self.shelter.pk, self.denial.pk})

    def test_the_side_and_claim_filters(self):
        items = self.items("stances", side="disputes", language="ur")
        self.assertEqual([item["claim"]["claimant"]["slug"] for item in items], [self.ttp.slug])
        self.assertProblem(self.api("stances", side="neutral"), 422)

    def test_one_stance(self):
        stance = Stance.objects.get(claim=self.shelter)
        self.assertEqual(self.api(f"stances/{stance.pk}").json()["side"], "supports")


class ActorTests(ReadingTestCase):
    def test_it_lists_public_actors_with_what_their_page_shows(self):
        Actor.objects.filter(pk=self.pakistan.pk).update(aliases="Islamabad\nGoP", description="A *government*.")
        items = {item["slug"]: item for item in self.items("actors")}
        self.assertEqual(set(items), {self.pakistan.slug, self.taliban.slug, self.army.slug, self.ttp.slug})
        self.assertEqual(items[self.pakistan.slug]["aliases"], ["Islamabad", "GoP"])
        self.assertEqual(items[self.pakistan.slug]["description"], "A *government*.")

    def test_an_actor_without_public_claims_is_not_listed(self):
        silent = Actor.objects.create(state="approved", name="Silent")
        self.assertNotIn(silent.slug, {item["slug"] for item in self.items("actors")})
        self.assertProblem(self.api(f"actors/{silent.slug}"), 404, slug="not-found")

    def test_filters_keep_actors_with_a_matching_claim(self):
        self.assertEqual(
            {item["slug"] for item in self.items("actors", language="ur")}, {self.army.slug, self.ttp.slug}
        )
        by_proposition = {item["slug"] for item in self.items("actors", proposition=self.contradiction.slug)}
        self.assertEqual(by_proposition, {self.pakistan.slug, self.taliban.slug})

    def test_one_actor_with_its_affiliation(self):
        spokesman = Actor.objects.create(state="approved", name="Zabihullah Mujahid", affiliation=self.taliban)
        self.publish_claim(self.source, "Its chief spokesman said", spokesman)
        actor = self.api(f"actors/{spokesman.slug}").json()
        self.assertEqual(
            actor["affiliation"],
            {
                "name": "Afghan Taliban",
                "slug": self.taliban.slug,
                "url": f"http://testserver/actors/{self.taliban.slug}/",
            },
        )


class SourceTests(ReadingTestCase):
    def test_lists_leave_the_text_out_and_one_source_has_it(self):
        items = {item["id"]: item for item in self.items("sources")}
        self.assertEqual(set(items), {self.source.pk, self.urdu.pk})
        self.assertNotIn("text", items[self.urdu.pk])
        source = self.api(f"sources/{self.urdu.pk}").json()
        self.assertEqual(source["text"], URDU_TEXT)
        self.assertEqual(source["text_sha256"], self.urdu.checksum)
        self.assertEqual(source["language"], "ur")

    def test_filters(self):
        self.assertEqual([item["id"] for item in self.items("sources", actor=self.army.slug)], [self.urdu.pk])
        self.assertEqual([item["id"] for item in self.items("sources", asserted_to="2021")], [self.urdu.pk])


class QueryCountTests(ReadingTestCase):
    """Each list reads a fixed number of queries, however many records it lists."""

    LISTS = {"contradictions": 2, "claims": 3, "stances": 1, "actors": 1, "sources": 1}  # claims: their translations

    def add_contradictions(self, count: int) -> None:
        for n in range(count):
            self.contradiction_with(Proposition.objects.count() + 1, statement=f"Numbered contradiction {n}.")

    def test_lists_are_read_in_a_fixed_number_of_queries(self):
        for growth in (0, 3):
            self.add_contradictions(growth)
            for path, expected in self.LISTS.items():
                cache.clear()  # past the kept first page of contradictions (KeptDocumentsTests)
                with self.subTest(path=path, growth=growth), self.assertNumQueries(expected):
                    self.assertEqual(self.api(path, limit=200).status_code, 200)

    def test_filters_add_one_query_for_each_record_they_name(self):
        self.add_contradictions(2)
        with self.assertNumQueries(self.LISTS["claims"] + 2):  # the actor and the proposition
            self.api("claims", actor=self.pakistan.slug, proposition=self.contradiction.slug, language="en")

    def test_a_token_adds_two_queries_and_a_write_a_minute(self):
        from tests.api.base import token_for

        token = token_for(self.analyst)
        with self.assertNumQueries(self.LISTS["claims"] + 3):  # the token, the user's roles, its last use
            self.api("claims", token=token)
        with self.assertNumQueries(self.LISTS["claims"] + 2):
            self.api("claims", token=token)

    def test_records_are_read_in_a_fixed_number_of_queries(self):
        stance = Stance.objects.get(claim=self.shelter)
        for path, expected in (
            (f"contradictions/{self.contradiction.slug}", 4),  # with the claims' translations
            (f"claims/{self.shelter.pk}", 3),
            (f"stances/{stance.pk}", 1),
            (f"actors/{self.pakistan.slug}", 1),
            (f"sources/{self.source.pk}", 1),
        ):
            with self.subTest(path=path), self.assertNumQueries(expected):
                self.assertEqual(self.api(path).status_code, 200)


class UnknownRecordTests(ReadingTestCase):
    def test_a_draft_proposition_is_not_found(self):
        draft = Proposition.objects.create(statement="Draft only.", created_by=self.analyst)
        self.assertProblem(self.api(f"contradictions/{draft.slug}"), 404, slug="not-found")


class KeptDocumentsTests(ReadingTestCase):
    """The first page of contradictions and each contradiction are kept for the public data generation."""

    def slugs(self, **params) -> list[str]:
        return [item["slug"] for item in self.items("contradictions", **params)]

    def test_the_first_page_is_kept_until_the_public_data_changes(self):
        self.slugs()
        with self.assertNumQueries(0):
            self.assertEqual(self.slugs(), [self.other.slug, self.contradiction.slug])

        with self.captureOnCommitCallbacks(execute=True):
            third = self.contradiction_with(1, statement="A third contradiction.")
        self.assertEqual(self.slugs()[0], third.slug)

        with self.captureOnCommitCallbacks(execute=True):
            third.return_to_draft(self.reviewer)
        self.assertEqual(self.slugs(), [self.other.slug, self.contradiction.slug])

    def test_each_page_size_is_kept_apart(self):
        self.assertEqual(self.slugs(limit=1), [self.other.slug])
        self.assertEqual(self.slugs(limit=2), [self.other.slug, self.contradiction.slug])
        self.assertIn("limit=1", self.api("contradictions", limit=1).json()["next"])

    def test_the_kept_response_is_what_ninja_renders(self):
        first = self.api("contradictions")
        kept = self.api("contradictions")

        self.assertEqual(kept.content, first.content)
        self.assertEqual(list(kept.items()), list(first.items()))

    def test_a_request_with_a_token_goes_the_usual_way(self):
        from api.models import ApiToken
        from tests.api.base import token_for

        self.slugs()
        self.slugs()
        token = token_for(self.analyst)

        self.assertEqual(self.api("contradictions", token=token).status_code, 200)
        self.assertIsNotNone(ApiToken.objects.get(user=self.analyst).last_used_at)
        self.assertProblem(self.api("contradictions", token="not-a-token"), 401)
        self.assertProblem(self.api(f"contradictions/{self.contradiction.slug}", token="not-a-token"), 401)

    def test_a_refused_request_is_not_kept(self):
        self.assertProblem(self.api("contradictions", limit="many"), 422)
        self.assertProblem(self.api("contradictions", limit="many"), 422)
        self.assertProblem(self.api("contradictions/no-such-contradiction"), 404)
        self.assertProblem(self.api("contradictions/no-such-contradiction"), 404)

    def test_a_filtered_list_is_read_every_time(self):
        self.slugs(language="ur")
        with self.assertNumQueries(2):
            self.assertEqual(self.slugs(language="ur"), [self.other.slug])

    def test_a_contradiction_is_kept_until_the_public_data_changes(self):
        path = f"contradictions/{self.contradiction.slug}"
        first = self.api(path)
        with self.assertNumQueries(0):  # the response whole: a withdrawal changes the generation
            kept = self.api(path)
        self.assertEqual(kept.content, first.content)
        self.assertEqual(kept["Content-Type"], "application/json; charset=utf-8")
        self.assertEqual(len(kept.json()["claims"]), 2)

        with self.captureOnCommitCallbacks(execute=True):
            self.shelter.return_to_draft(self.reviewer)
        document = self.api(path).json()
        self.assertEqual([claim["id"] for claim in document["claims"]], [self.denial.pk])
        self.assertFalse(document["is_contradiction"])
