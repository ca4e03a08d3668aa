"""Actors who change position: the table /changes/ and the feed read, and what every public path shows."""

import json
from unittest import mock

from django.urls import reverse
from lxml import etree

from claims.models import Actor, Stance
from reader.models import PositionChange
from reader.positions import rebuild_position_changes
from sources.dates import parse_partial_date
from tests.base import make_claim, make_source
from tests.reader.builders import ReaderTestCase, numbered_quote, numbered_text
from tests.reader.test_feed_validity import ATOM, atom_problems

CHANGES = reverse("reader:changes")
FEED = reverse("reader:feed")


class PositionTestCase(ReaderTestCase):
    """A proposition, an actor who speaks on it, and three sources to quote them from."""

    def setUp(self):
        super().setUp()
        self.proposition = self.publish_proposition("The ceasefire still holds.")
        self.speaker = Actor.objects.create(state="approved", name="Ministry of Examples")
        self.reports = {}

    def report(self, number: int):
        """Report ``number``, made on first use: a source whose text holds points 1 to 20."""
        if number not in self.reports:
            self.reports[number] = make_source(
                text=f"Report {number}.\n\n{numbered_text(20)}", title=f"Report {number}"
            )
        return self.reports[number]

    def say(self, source: int, n: int, side: str, asserted: str = "", *, claimant=None, **fields):
        """An approved claim quoting point ``n`` of report ``source``, with an approved stance on the proposition."""
        on, precision = parse_partial_date(asserted)
        return self.publish_claim(
            self.report(source),
            numbered_quote(n),
            claimant or self.speaker,
            fields.pop("proposition", self.proposition),
            side,
            asserted_on=on,
            asserted_precision=precision,
            **fields,
        )

    def changes(self) -> list[tuple[str, str, str]]:
        """The table: (actor, earlier quote, later quote) of each change."""
        return [
            (change.actor.name, change.earlier.claim.quote, change.later.claim.quote)
            for change in PositionChange.objects.public()
        ]

    def public_paths(self, actor=None) -> list[str]:
        actor = actor or self.speaker
        return [
            actor.get_absolute_url(),
            reverse("reader:actor_json", args=[actor.slug]),
            CHANGES,
            f"{CHANGES}?actor={actor.slug}",
            FEED,
        ]


class ChangeTableTest(PositionTestCase):
    def test_a_claim_on_the_other_side_approved_later_is_a_change(self):
        self.say(1, 1, "supports", "2020-03")
        self.say(2, 2, "disputes", "2022-06-14")

        self.assertEqual(self.changes(), [("Ministry of Examples", numbered_quote(1), numbered_quote(2))])
        self.assertEqual(str(PositionChange.objects.get().changed_on), "2022-06-14")

    def test_denying_then_conceding_is_a_change(self):
        self.say(1, 1, "disputes", "2019")
        self.say(2, 2, "supports", "2021")

        self.assertEqual(len(self.changes()), 1)

    def test_claims_without_a_known_date_are_never_a_change(self):
        self.say(1, 1, "supports")
        self.say(2, 2, "disputes", "2022-06-14")

        self.assertEqual(self.changes(), [])

    def test_dates_that_cannot_be_ordered_are_not_a_change(self):
        self.say(1, 1, "supports", "2022")
        self.say(2, 2, "disputes", "2022-03")

        self.assertEqual(self.changes(), [])

    def test_both_sides_in_one_source_is_not_a_change(self):
        self.say(1, 1, "supports", "2020")
        self.say(1, 2, "disputes", "2022")

        self.assertEqual(self.changes(), [])

    def test_reported_speech_counts_for_the_claimant_and_never_for_the_reporter(self):
        ttp = Actor.objects.create(state="approved", name="Armed group")
        tribune = Actor.objects.create(state="approved", name="Daily Paper", kind="media_outlet")
        self.say(1, 1, "supports", "2020", claimant=ttp, reported_by=tribune)
        self.say(2, 2, "disputes", "2022", claimant=ttp, reported_by=tribune)

        self.assertEqual([actor for actor, _, _ in self.changes()], ["Armed group"])
        self.assertContains(self.get(ttp.get_absolute_url()), 'id="changes-heading"')
        self.assertContains(self.get(f"{CHANGES}?actor={ttp.slug}"), "1 change of position")
        self.assertNotContains(self.get(tribune.get_absolute_url()), 'id="changes-heading"')
        self.assertEqual(self.get(reverse("reader:actor_json", args=[tribune.slug])).json()["position_changes"], [])
        self.assertContains(self.get(f"{CHANGES}?actor={tribune.slug}"), "0 changes of position")

    def test_what_a_reporter_says_of_others_is_not_their_own_change(self):
        tribune = Actor.objects.create(state="approved", name="Daily Paper", kind="media_outlet")
        self.say(1, 1, "supports", "2020", claimant=tribune)
        self.say(2, 2, "disputes", "2022", reported_by=tribune)

        self.assertEqual(self.changes(), [])

    def test_a_change_is_found_when_the_stance_is_approved_not_before(self):
        self.say(1, 1, "supports", "2020")
        on, precision = parse_partial_date("2022")
        claim = self.publish_claim(
            self.report(2), numbered_quote(2), self.speaker, asserted_on=on, asserted_precision=precision
        )
        stance = Stance.objects.create(
            claim=claim, proposition=self.proposition, side="disputes", created_by=self.analyst
        )
        stance.submit(self.analyst)
        self.assertEqual(self.changes(), [])

        stance.approve(self.reviewer)

        self.assertEqual(len(self.changes()), 1)

    def test_returning_either_claim_to_draft_withdraws_the_change(self):
        earlier = self.say(1, 1, "supports", "2020")
        later = self.say(2, 2, "disputes", "2022")

        later.return_to_draft(self.reviewer, reason="Check the date")
        self.assertEqual(self.changes(), [])
        self.assertFalse(PositionChange.objects.exists())

        later.submit(self.analyst)
        later.approve(self.reviewer)
        self.assertEqual(len(self.changes()), 1)
        earlier.return_to_draft(self.reviewer, reason="Check the quote")
        self.assertFalse(PositionChange.objects.exists())

    def test_returning_the_stance_or_the_proposition_to_draft_withdraws_the_change(self):
        self.say(1, 1, "supports", "2020")
        self.say(2, 2, "disputes", "2022")

        stance = Stance.objects.get(claim__quote=numbered_quote(2))
        stance.return_to_draft(self.reviewer, reason="Wrong side")
        self.assertFalse(PositionChange.objects.exists())
        stance.submit(self.analyst)
        stance.approve(self.reviewer)
        self.assertTrue(PositionChange.objects.exists())

        self.proposition.return_to_draft(self.reviewer, reason="Reword it")
        self.assertFalse(PositionChange.objects.exists())

    def test_a_claim_between_the_two_moves_the_change(self):
        self.say(1, 1, "supports", "2020")
        self.say(2, 2, "disputes", "2022")
        self.say(3, 3, "supports", "2021")

        self.assertEqual(
            [(earlier, later) for _, earlier, later in self.changes()],
            [(numbered_quote(3), numbered_quote(2))],
        )

    def test_an_approved_revision_of_the_date_can_undo_the_change(self):
        self.say(1, 1, "supports", "2022-01")
        later = self.say(2, 2, "disputes", "2022-06")
        revision = later.propose_revision(self.analyst, {"asserted_on": "2022-01-01", "asserted_precision": "year"})

        self.assertEqual(len(self.changes()), 1)  # the revision waits for review
        revision.approve(self.reviewer)

        self.assertEqual(self.changes(), [])

    def test_an_approved_revision_of_the_claimant_moves_the_change_to_them(self):
        other = Actor.objects.create(state="approved", name="Second ministry")
        self.say(1, 1, "supports", "2020", claimant=other)
        self.say(2, 2, "supports", "2021")
        moved = self.say(3, 3, "disputes", "2022")
        self.assertEqual([actor for actor, _, _ in self.changes()], ["Ministry of Examples"])

        moved.propose_revision(self.analyst, {"claimant": other.pk}).approve(self.reviewer)

        self.assertEqual(self.changes(), [("Second ministry", numbered_quote(1), numbered_quote(3))])

    def test_a_change_keeps_when_it_was_found(self):
        self.say(1, 1, "supports", "2020")
        self.say(2, 2, "disputes", "2022")
        found_at = PositionChange.objects.get().found_at

        self.say(3, 3, "disputes", "2023")

        self.assertEqual(PositionChange.objects.get().found_at, found_at)

    def test_rebuilding_finds_what_the_review_actions_kept(self):
        other = Actor.objects.create(state="approved", name="Second ministry")
        self.say(1, 1, "supports", "2020")
        self.say(2, 2, "disputes", "2021")
        self.say(3, 3, "supports", "2022-05")
        self.say(1, 4, "disputes", "2019", claimant=other)
        self.say(3, 5, "supports", "2023", claimant=other)
        kept = set(PositionChange.objects.values_list("actor", "earlier", "later", "changed_on", "found_at"))

        rebuild_position_changes()

        self.assertEqual(len(kept), 3)
        self.assertEqual(
            set(PositionChange.objects.values_list("actor", "earlier", "later", "changed_on", "found_at")), kept
        )

    def test_rebuilding_finds_changes_written_without_signals(self):
        self.say(1, 1, "supports", "2020")
        self.say(2, 2, "disputes", "2022")
        PositionChange.objects.all().delete()

        rebuild_position_changes()

        self.assertEqual(len(self.changes()), 1)


class LeakTest(PositionTestCase):
    """Nothing unapproved ever makes, or shows in, a change of position: page, JSON, /changes/, feed."""

    def setUp(self):
        super().setUp()
        self.say(1, 1, "supports", "2020")
        self.say(1, 2, "supports", "2021")
        secret = make_source(text="The minister said the SECRET-words here.", title="Unreviewed report", state="draft")
        self.secret_claims = []
        for state in ("draft", "pending", "rejected"):
            on, precision = parse_partial_date("2023")
            claim = make_claim(
                secret if state == "draft" else self.report(3),
                "the SECRET-words here" if state == "draft" else numbered_quote({"pending": 3, "rejected": 4}[state]),
                self.speaker,
                self.analyst,
                asserted_on=on,
                asserted_precision=precision,
            )
            Stance.objects.create(claim=claim, proposition=self.proposition, side="disputes", created_by=self.analyst)
            if state != "draft":
                claim.submit(self.analyst)
            if state == "rejected":
                claim.reject(self.reviewer, reason="Not in the source")
            self.secret_claims.append(claim)

    def assert_no_change_shown(self):
        self.assertFalse(PositionChange.objects.exists())
        for path in self.public_paths():
            with self.subTest(path=path):
                response = self.get(path)
                self.assertEqual(response.status_code, 200)
                for quote in ("SECRET-words", numbered_quote(3), numbered_quote(4)):
                    self.assertNotContains(response, quote)
                self.assertNotContains(response, "Changed position")
                self.assertNotContains(response, "position-change/")
        self.assertEqual(self.get(self.public_paths()[1]).json()["position_changes"], [])
        self.assertContains(self.get(CHANGES), "0 changes of position")

    def test_unapproved_claims_on_the_other_side_make_no_change(self):
        self.assert_no_change_shown()

    def test_an_approved_claim_with_an_unapproved_stance_makes_no_change(self):
        on, precision = parse_partial_date("2023")
        claim = self.publish_claim(
            self.report(2), numbered_quote(5), self.speaker, asserted_on=on, asserted_precision=precision
        )
        stance = Stance.objects.create(
            claim=claim, proposition=self.proposition, side="disputes", created_by=self.analyst
        )
        stance.submit(self.analyst)

        self.assert_no_change_shown()
        self.assertNotContains(self.get(self.speaker.get_absolute_url()), "Disputes")

    def test_a_change_on_an_unapproved_proposition_is_never_shown(self):
        draft = self.publish_proposition("A second point.")
        self.say(2, 6, "supports", "2020", proposition=draft)
        self.say(3, 7, "disputes", "2022", proposition=draft)
        self.assertEqual(len(self.changes()), 1)

        draft.return_to_draft(self.reviewer, reason="Reword it")

        self.assert_no_change_shown()

    def test_a_row_left_behind_by_a_write_without_signals_is_not_shown(self):
        self.say(2, 5, "disputes", "2023")
        self.assertEqual(len(self.changes()), 1)

        Stance.objects.filter(claim__quote=numbered_quote(5)).update(state="draft")  # no save(), no signal

        self.assertTrue(PositionChange.objects.exists())
        self.assertEqual(self.changes(), [])
        self.assertNotContains(self.get(CHANGES), numbered_quote(5))
        self.assertNotContains(self.get(FEED), "position-change/")  # the claim itself is public: it has its entry


class ActorPageTest(PositionTestCase):
    def setUp(self):
        super().setUp()
        self.say(1, 1, "supports", "2020-03")
        self.say(2, 3, "qualifies", "2021")
        self.say(3, 2, "disputes", "2022-06-14")
        self.url = self.speaker.get_absolute_url()

    def test_it_shows_the_change_with_both_quotes_and_dates(self):
        response = self.get(self.url)

        self.assertContains(response, '<h2 id="changes-heading">Changes of position</h2>', html=True)
        change = PositionChange.objects.get()
        summary = response.content.decode().split(f'id="change-{change.earlier_id}-{change.later_id}"')[1]
        summary = summary.split("</article>")[0]
        self.assertIn('<time datetime="2020-03">March 2020</time>', summary)
        self.assertIn('<time datetime="2022-06-14">14 June 2022</time>', summary)
        self.assertIn(f"<p>{numbered_quote(1)}</p>", summary)
        self.assertIn(f"<p>{numbered_quote(2)}</p>", summary)
        self.assertLess(summary.index("Supports"), summary.index("Disputes"))

    def test_the_stances_are_in_date_order_with_the_change_marked_before_the_new_side(self):
        content = self.get(self.url).content.decode()
        listed = content.split('id="positions-heading"')[1]

        order = [listed.index(numbered_quote(n)) for n in (1, 3)]
        marker = listed.index("Changed position")
        self.assertLess(order[0], order[1])
        self.assertLess(order[1], marker)
        self.assertLess(marker, listed.index(f"<p>{numbered_quote(2)}</p>"))
        self.assertIn("Before (<time", listed[marker:])

    def test_changes_on_one_proposition_are_grouped_under_it_in_date_order(self):
        self.say(4, 4, "supports", "2023")

        content = self.get(self.url).content.decode()
        summary = content.split('id="changes-heading"')[1].split('id="positions-heading"')[0]

        self.assertIn("took one side of a proposition and, later, the other", summary)
        self.assertEqual(summary.count(f'id="change-group-{self.proposition.pk}"'), 1)
        self.assertLess(summary.index(f"<p>{numbered_quote(1)}</p>"), summary.index(f"<p>{numbered_quote(4)}</p>"))
        self.assertEqual(summary.count('<article class="change"'), 2)

    def test_both_sides_in_one_source_are_shown_as_such(self):
        self.say(1, 4, "disputes", "2023")

        response = self.get(self.url)

        self.assertContains(response, "Both sides in one source")
        self.assertContains(response, "both sides in one source</span>", count=2)
        self.assertNotContains(response, 'id="changes-heading"')  # Report 1 is left out: no change is left

    def test_an_actor_without_changes_has_no_such_section(self):
        self.build_contradiction()

        response = self.get(self.pakistan.get_absolute_url())

        self.assertNotContains(response, "Changes of position</h2>")
        self.assertNotContains(response, "Both sides in one source")

    def test_many_changes_are_summed_up_with_a_link_to_all_of_them(self):
        for n in range(4, 10):
            self.say(n, n, "supports" if n % 2 else "disputes", f"{2020 + n}")

        response = self.get(self.url)

        count = PositionChange.objects.count()
        self.assertGreater(count, 5)
        self.assertContains(response, f"all {count} changes of position</a>")
        self.assertContains(response, f'href="{CHANGES}?actor={self.speaker.slug}"')

    def test_query_count_does_not_grow_with_the_changes(self):
        with self.assertNumQueries(9):  # with the translations of the claims shown
            self.get(self.url)
        for n in range(4, 10):
            self.say(n, n, "supports" if n % 2 else "disputes", f"{2020 + n}")
        with self.assertNumQueries(9):
            response = self.get(self.url)
        self.assertGreater(len(response.context["actor_page"].changes), 5)


class ActorJsonTest(PositionTestCase):
    def setUp(self):
        super().setUp()
        self.say(1, 1, "supports", "2020-03")
        self.say(2, 2, "disputes", "2022-06-14")
        self.say(3, 3, "supports")  # undated: listed, never a change
        self.url = reverse("reader:actor_json", args=[self.speaker.slug])

    def test_it_gives_the_changes_with_both_claims(self):
        data = self.get(self.url).json()

        [change] = data["position_changes"]
        self.assertEqual(change["proposition"]["slug"], self.proposition.slug)
        self.assertEqual(
            (change["from"]["side"], change["from"]["quote"], change["from"]["asserted"]),
            ("supports", numbered_quote(1), "2020-03"),
        )
        self.assertEqual(
            (change["to"]["side"], change["to"]["quote"], change["to"]["asserted"]),
            ("disputes", numbered_quote(2), "2022-06-14"),
        )
        self.assertEqual(change["to"]["claimant"]["slug"], self.speaker.slug)

    def test_it_gives_the_stances_per_proposition_in_date_order(self):
        data = self.get(self.url).json()

        self.assertEqual(data["slug"], self.speaker.slug)
        [position] = data["positions"]
        self.assertEqual(
            [(s["side"], s["asserted"]) for s in position["stances"]],
            [("supports", "2020-03"), ("disputes", "2022-06-14"), ("supports", None)],
        )
        self.assertTrue(position["stances"][0]["url"].startswith("http://testserver/sources/"))
        self.assertEqual(data["both_sides_in_one_source"], [])

    def test_it_gives_the_sources_with_both_sides(self):
        self.say(1, 4, "disputes", "2023")

        data = self.get(self.url).json()

        [pair] = data["both_sides_in_one_source"]
        self.assertEqual(pair["source"]["title"], "Report 1")
        self.assertEqual([claim["side"] for claim in pair["claims"]], ["supports", "disputes"])

    def test_the_actor_page_links_to_it(self):
        self.assertContains(self.get(self.speaker.get_absolute_url()), f'href="{self.url}"', count=2)

    def test_it_is_404_for_an_actor_without_public_claims(self):
        nobody = Actor.objects.create(state="approved", name="Nobody")

        self.assertEqual(self.get(reverse("reader:actor_json", args=[nobody.slug])).status_code, 404)

    def test_query_count_does_not_grow_with_the_claims(self):
        with self.assertNumQueries(7):
            self.get(self.url)
        for n in range(4, 10):
            self.say(n, n, "supports" if n % 2 else "disputes", f"{2020 + n}")
        with self.assertNumQueries(7):
            self.get(self.url)


class ChangesPageTest(PositionTestCase):
    def setUp(self):
        super().setUp()
        self.say(1, 1, "supports", "2020-03")
        self.say(2, 2, "disputes", "2022-06-14")
        self.other = Actor.objects.create(state="approved", name="Second ministry")
        self.say(1, 3, "disputes", "2018", claimant=self.other)
        self.say(3, 4, "supports", "2019", claimant=self.other)

    def test_it_lists_the_changes_newest_first_with_both_quotes_and_dates(self):
        response = self.get(CHANGES)

        self.assertContains(response, "<h1>Changes of position</h1>", html=True)
        self.assertContains(response, "2 changes of position")
        content = response.content.decode()
        self.assertLess(content.index(numbered_quote(2)), content.index(numbered_quote(4)))
        self.assertContains(
            response, f'<a href="{self.speaker.get_absolute_url()}"><bdi>Ministry of Examples</bdi></a>'
        )
        self.assertContains(response, '<time datetime="2022-06-14">14 June 2022</time>', html=True)
        self.assertContains(response, '<time datetime="2019">2019</time>', html=True)
        for n in range(1, 5):
            self.assertContains(response, f"<p>{numbered_quote(n)}</p>")

    def test_it_is_linked_from_every_page(self):
        self.assertContains(self.get(reverse("reader:home")), f'href="{CHANGES}"')

    def test_it_keeps_one_actors_changes(self):
        response = self.get(f"{CHANGES}?actor={self.other.slug}")

        self.assertContains(response, "1 change of position")
        self.assertContains(response, numbered_quote(4))
        self.assertNotContains(response, numbered_quote(2))

    def test_an_unknown_actor_is_404(self):
        self.assertEqual(self.get(f"{CHANGES}?actor=no-such-actor").status_code, 404)

    def test_it_is_paginated(self):
        for n in range(5, 9):
            self.say(n, n, "supports" if n % 2 else "disputes", f"{2020 + n}", claimant=self.other)
        with mock.patch("reader.views.CHANGES_PER_PAGE", 2):
            response = self.get(f"{CHANGES}?page=2")

        self.assertContains(response, "Page 2 of")
        self.assertEqual(len(response.context["page"].object_list), 2)

    def test_query_count_does_not_grow_with_the_changes(self):
        with self.assertNumQueries(2):  # the count, the page
            self.get(CHANGES)
        with self.assertNumQueries(3):  # the actor, the count, the page
            self.get(f"{CHANGES}?actor={self.other.slug}")
        reporter = Actor.objects.create(state="approved", name="Daily Paper", kind="media_outlet")
        for n in range(5, 12):
            side, reported_by = ("supports", reporter) if n % 2 else ("disputes", None)
            self.say(n, n, side, f"{2020 + n}", claimant=self.other, reported_by=reported_by)
        with self.assertNumQueries(2):
            self.get(CHANGES)
        with self.assertNumQueries(3):
            self.get(f"{CHANGES}?actor={self.other.slug}")


class FeedTest(PositionTestCase):
    def setUp(self):
        super().setUp()
        self.say(1, 1, "supports", "2020-03")
        self.say(2, 2, "disputes", "2022-06-14")
        self.change = PositionChange.objects.get()

    def entry(self) -> etree._Element:
        feed = etree.fromstring(self.get(FEED).content)
        [entry] = [
            e for e in feed.findall("atom:entry", ATOM) if "position-change" in e.findtext("atom:id", namespaces=ATOM)
        ]
        return entry

    def test_a_change_is_an_entry_with_a_stable_tag_id(self):
        entry = self.entry()

        self.assertEqual(
            entry.findtext("atom:id", namespaces=ATOM),
            f"tag:claim-tracker.example,2024:position-change/{self.change.earlier_id}-{self.change.later_id}",
        )
        self.assertEqual(
            entry.findtext("atom:title", namespaces=ATOM),
            "Change of position: Ministry of Examples on “The ceasefire still holds.”",
        )
        summary = entry.findtext("atom:summary", namespaces=ATOM)
        self.assertIn("supported it in March 2020", summary)
        self.assertIn("disputed it on 14 June 2022", summary)
        self.assertIn(numbered_quote(2), summary)
        self.assertEqual(
            entry.find("atom:link", ATOM).get("href"), f"http://testserver{self.speaker.get_absolute_url()}#changes"
        )

    def test_the_feed_with_changes_is_valid_atom(self):
        self.assertEqual(atom_problems(self.get(FEED).content), [])

    def test_the_entry_id_does_not_change_when_the_change_is_found_again(self):
        before = self.entry().findtext("atom:id", namespaces=ATOM)

        PositionChange.objects.all().delete()
        rebuild_position_changes()

        self.assertEqual(self.entry().findtext("atom:id", namespaces=ATOM), before)


class FreshnessTest(PositionTestCase):
    """The cached pages show a change as soon as the approval that makes it commits, and drop it on withdrawal."""

    def setUp(self):
        super().setUp()
        self.say(1, 1, "supports", "2020-03")
        on, precision = parse_partial_date("2022-06-14")
        self.claim = self.publish_claim(
            self.report(2), numbered_quote(2), self.speaker, asserted_on=on, asserted_precision=precision
        )
        self.stance = Stance.objects.create(
            claim=self.claim, proposition=self.proposition, side="disputes", created_by=self.analyst
        )
        self.stance.submit(self.analyst)
        self.paths = self.public_paths()

    def cached(self, path: str) -> str:
        return self.client.get(path).content.decode()

    def test_an_approval_shows_at_once_and_a_withdrawal_hides_at_once(self):
        for path in self.paths:
            self.assertNotIn("position-change/", self.cached(path))
            self.assertNotIn("Changed position", self.cached(path))

        with self.captureOnCommitCallbacks(execute=True):
            self.stance.approve(self.reviewer)

        for path, shown in zip(
            self.paths,
            (
                "Changed position",
                '"position_changes": [\n    {',
                "1 change of position",
                "1 change of position",
                "position-change/",
            ),
            strict=True,
        ):
            with self.subTest(path=path):
                self.assertIn(shown, self.cached(path))

        with self.captureOnCommitCallbacks(execute=True):
            self.claim.return_to_draft(self.reviewer, reason="Check the date")

        for path in self.paths:
            with self.subTest(path=path):
                page = self.cached(path)
                self.assertNotIn("position-change/", page)
                self.assertNotIn("Changed position", page)
                self.assertNotIn(numbered_quote(2), page)

    def test_changes_is_served_from_the_cache_until_then(self):
        self.client.get(CHANGES)

        with self.assertNumQueries(0):
            self.client.get(CHANGES)

    def test_a_logged_in_reader_sees_a_new_change_at_once(self):
        self.client.force_login(self.outsider)
        self.assertIn("0 changes of position", self.cached(CHANGES))

        with self.captureOnCommitCallbacks(execute=True):
            self.stance.approve(self.reviewer)

        self.assertIn("1 change of position", self.cached(CHANGES))
        self.assertIn("Changed position", self.cached(self.speaker.get_absolute_url()))


class JsonTest(PositionTestCase):
    def test_the_json_is_utf8_with_the_quotes_as_written(self):
        self.say(1, 1, "supports", "2020")
        response = self.get(reverse("reader:actor_json", args=[self.speaker.slug]))

        self.assertEqual(response["Content-Type"], "application/json")
        self.assertEqual(json.loads(response.content)["name"], "Ministry of Examples")
