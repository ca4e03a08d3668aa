import re

from django.urls import reverse

from claims.models import Actor, Proposition, Side, Stance
from claims.translations import Translation
from desk.views import HOME_LIST_LIMIT, SECTION_PAGE_ROWS
from tests.base import approve, keep_account, make_claim, make_source
from tests.desk.base import DeskTestCase


def listed(response, name: str) -> str:
    """The HTML of one list on desk home ("rejected", "drafts", "pending", "propositions", "sources")."""
    found = re.search(rf'<section aria-labelledby="{name}-heading".*?</section>', response.content.decode(), re.S)
    return found[0] if found else ""


def rows(html: str) -> list[str]:
    """The titles of the rows of a list, in order."""
    return [re.sub(r"<[^>]+>", "", title) for title in re.findall(r'class="record-row__title">(.*?)</a>', html, re.S)]


class DeskHomeTests(DeskTestCase):
    url = reverse("desk:home")

    def test_it_lists_my_drafts_with_links_to_work_on_them(self):
        self.login()
        drafts = listed(self.client.get(self.url), "drafts")
        self.assertIn(reverse("desk:claim_edit", args=[self.claim.pk]), drafts)
        self.assertIn(f'{reverse("desk:board", args=[self.proposition.slug])}"', drafts)
        self.assertIn(f"{reverse('desk:board', args=[self.proposition.slug])}#stance-{self.stance.pk}", drafts)

    def test_it_lists_my_pending_items(self):
        self.claim.submit(self.analyst)
        self.login()
        response = self.client.get(self.url)
        self.assertEqual(rows(listed(response, "pending")), [f"Government of Pakistan: “{self.claim.quote}”"])
        self.assertNotIn(f"#claim-{self.claim.pk}", listed(response, "drafts"))

    def test_it_shows_the_reviewers_reason_for_my_rejected_items(self):
        self.claim.submit(self.analyst)
        self.claim.reject(self.reviewer, reason="The claimant is the outlet, not the government.")
        self.login()
        rejected = listed(self.client.get(self.url), "rejected")
        self.assertEqual(rows(rejected), [f"Government of Pakistan: “{self.claim.quote}”"])
        self.assertIn("The claimant is the outlet, not the government.", rejected)

    def test_it_does_not_list_other_analysts_drafts_as_mine(self):
        self.login(self.other_analyst)
        response = self.client.get(self.url)
        self.assertEqual(rows(listed(response, "drafts")), [])
        self.assertContains(response, "No drafts.")

    def test_it_lists_recently_changed_propositions(self):
        self.login()
        self.assertIn(self.proposition.statement, rows(listed(self.client.get(self.url), "propositions")))

    def propose_changes(self, number: int) -> None:
        """An approved claim, proposition and stance, each with a change of mine waiting for review."""
        source = make_source(text=f"Approved text {number}: Kabul says another thing.", created_by=self.analyst)
        claim = approve(make_claim(source, "Kabul says another thing", self.taliban, self.analyst), self.reviewer)
        proposition = approve(
            Proposition.objects.create(statement=f"Approved {number}", created_by=self.analyst), self.reviewer
        )
        stance = approve(
            Stance.objects.create(claim=claim, proposition=proposition, side=Side.SUPPORTS, created_by=self.analyst),
            self.reviewer,
        )
        claim.propose_revision(self.analyst, {"paraphrase": "Changed."})
        proposition.propose_revision(self.analyst, {"description": "Changed."})
        stance.propose_revision(self.analyst, {"note": "Changed."}).reject(self.reviewer, reason="No.")

    def test_its_query_count_does_not_grow_with_the_records_shown(self):
        self.propose_changes(0)
        self.login()
        keep_account(self.analyst)
        with self.assertNumQueries(15):  # with my questions, answers and translations, and the recent questions
            self.client.get(self.url)
        for number in range(1, 5):
            source = make_source(text=f"Text number {number}: Pakistan says one thing.", created_by=self.analyst)
            make_claim(source, "Pakistan says one thing", self.pakistan, self.analyst)
            Proposition.objects.create(statement=f"Statement {number}", created_by=self.analyst)
            self.propose_changes(number)
        with self.assertNumQueries(15):
            self.client.get(self.url)

    def test_it_lists_my_translations_in_every_state_with_a_link_to_their_page(self):
        source = make_source(text="My own report: Pakistan says so.", created_by=self.analyst)
        claim = make_claim(source, "Pakistan says", self.pakistan, self.analyst)
        draft = Translation.record(
            claim=claim, created_by=self.analyst, language="ur", text="پاکستان کہتا ہے", translator="Desk"
        )
        self.login()

        response = self.client.get(self.url)

        self.assertContains(response, "پاکستان کہتا ہے")
        self.assertContains(response, f'href="/desk/claims/{claim.pk}/translations/#translation-{draft.pk}"')

    def test_it_lists_my_actors_and_sources_in_every_state(self):
        Actor.objects.create(name="My draft spokesman", created_by=self.analyst)
        source = make_source(text="A pending report of mine.", title="My pending report", state="draft",
                             created_by=self.analyst)  # fmt: skip
        source.submit(self.analyst)
        self.login()
        response = self.client.get(self.url)
        self.assertContains(response, reverse("desk:actor", args=["my-draft-spokesman"]))
        self.assertContains(response, "My pending report")
        drafts = self.client.get(self.url, {"show": "drafts"})
        self.assertContains(drafts, "My draft spokesman")

    def test_it_lists_my_changes_waiting_for_review(self):
        self.propose_changes(0)
        self.login()
        pending = listed(self.client.get(self.url), "pending")
        self.assertEqual(pending.count("record-row--revision"), 2)
        self.assertIn("Change to claim", pending)
        self.assertIn("Change to proposition", pending)

    def test_it_shows_the_reviewers_reason_for_my_rejected_changes(self):
        self.propose_changes(0)
        stance = Stance.objects.get(proposition__statement="Approved 0")
        revision = stance.propose_revision(self.analyst, {"side": Side.DISPUTES}, note="Misread.")
        revision.reject(self.reviewer, reason="The stance was right: the quote supports it.")
        self.login()
        rejected = listed(self.client.get(self.url), "rejected")
        self.assertIn("Change to stance", rejected)
        self.assertIn("The stance was right: the quote supports it.", rejected)
        self.assertIn(reverse("desk:stance_revise", args=[stance.pk]), rejected)

    def test_it_does_not_list_other_analysts_changes_as_mine(self):
        self.propose_changes(0)
        self.login(self.other_analyst)
        response = self.client.get(self.url)
        self.assertNotContains(response, "record-row--revision")


class DeskHomeListsTests(DeskTestCase):
    """Each list on desk home shows the latest few and links to all of them."""

    url = reverse("desk:home")

    def setUp(self):
        self.login()
        self.pending = make_claim(self.source, "Its chief spokesman said", self.taliban, self.analyst)
        self.pending.submit(self.analyst)
        self.drafts = [
            Proposition.objects.create(statement=f"Draft statement {n}", created_by=self.analyst)
            for n in range(HOME_LIST_LIMIT + 2)
        ]

    def test_a_long_list_shows_the_latest_and_links_to_all(self):
        response = self.client.get(self.url)

        drafts = rows(listed(response, "drafts"))
        self.assertEqual(len(drafts), HOME_LIST_LIMIT)
        self.assertEqual(drafts[0], self.drafts[-1].statement)
        self.assertContains(response, f'<a href="{self.url}?show=drafts">All your drafts</a>')

    def test_older_work_in_another_state_is_not_crowded_out(self):
        response = self.client.get(self.url)

        self.assertEqual(rows(listed(response, "pending")), [f"Afghan Taliban: “{self.pending.quote}”"])
        self.assertNotContains(response, "All that is waiting for review")

    def test_a_whole_list_shows_everything_in_that_state(self):
        response = self.client.get(self.url, {"show": "drafts"})

        self.assertContains(response, f"{HOME_LIST_LIMIT + 5} records")  # the propositions, the claim and the stance
        self.assertContains(response, "Draft statement 0")
        self.assertContains(response, reverse("desk:claim_edit", args=[self.claim.pk]))
        self.assertNotContains(response, "Its chief spokesman said")

    def test_a_whole_list_comes_a_page_at_a_time(self):
        for n in range(SECTION_PAGE_ROWS):
            Proposition.objects.create(statement=f"More {n}", created_by=self.analyst)

        response = self.client.get(self.url, {"show": "drafts", "page": 2})

        self.assertEqual(response.content.decode().count('class="record-row__title"'), HOME_LIST_LIMIT + 5)
        self.assertContains(response, '<a rel="prev" href="?show=drafts&amp;page=1">')

    def test_an_unknown_list_is_a_readable_404(self):
        response = self.client.get(self.url, {"show": "everything"})

        self.assertContains(response, "There is no such list on the desk", status_code=404)

    def test_a_new_draft_shows_at_once(self):
        self.client.get(self.url)
        newest = Proposition.objects.create(statement="Just written", created_by=self.analyst)

        self.assertEqual(rows(listed(self.client.get(self.url), "drafts"))[0], newest.statement)

    def test_the_lists_are_kept_until_something_changes(self):
        self.client.get(self.url)

        with self.assertNumQueries(0):  # the lists, the account and its roles are all kept
            response = self.client.get(self.url)

        self.assertContains(response, f"Draft statement {HOME_LIST_LIMIT + 1}")
