"""Cursor pagination: every item once, in a stable order, whatever is added while a client pages."""

from django.test import override_settings

from claims.models import Actor
from tests.api.base import ApiTestCase
from tests.base import make_source

LISTS = ("contradictions", "claims", "stances", "actors", "sources")


def key(item: dict):
    return item.get("slug") or item["id"]


class PaginationTests(ApiTestCase):
    def setUp(self):
        super().setUp()
        for n in range(1, 4):
            self.contradiction_with(n, statement=f"Contradiction {n}.")

    def add_contradiction(self, statement: str):
        source = make_source(text=f"{statement} Yes, it is.\n\nNo, it is not.", title=statement)
        proposition = self.publish_proposition(statement)
        for quote, side in (("Yes, it is.", "supports"), ("No, it is not.", "disputes")):
            claimant = Actor.objects.create(state="approved", name=f"{statement} {side}")
            self.publish_claim(source, quote, claimant, proposition, side)

    def test_following_the_cursors_gives_every_item_once_in_order(self):
        for path in LISTS:
            with self.subTest(path=path):
                whole = [key(item) for item in self.items(path, limit=200)]
                paged = [key(item) for item in self.every_item(path, limit=2)]
                self.assertGreater(len(whole), 2)
                self.assertEqual(paged, whole)

    def test_the_next_address_keeps_the_filters(self):
        page = self.api("claims", limit=1, language="en").json()
        self.assertIn("language=en", page["next"])
        self.assertIn("limit=1", page["next"])
        following = self.client.get(page["next"]).json()
        self.assertNotEqual(following["items"][0]["id"], page["items"][0]["id"])

    def test_the_last_page_has_no_next(self):
        page = self.api("contradictions", limit=200).json()
        self.assertEqual((page["next"], page["next_cursor"]), (None, None))

    def test_records_added_while_paging_neither_repeat_nor_skip_an_item(self):
        for path in LISTS:
            with self.subTest(path=path):
                before = [key(item) for item in self.items(path, limit=200)]
                first = self.api(path, limit=2).json()
                self.add_contradiction(f"Added while paging {path}.")
                rest = self.every_item(path, limit=2, cursor=first["next_cursor"])
                self.assertEqual([key(item) for item in first["items"]] + [key(item) for item in rest], before)

    def test_contradictions_are_newest_first_by_when_they_became_one(self):
        items = self.every_item("contradictions", limit=1)
        self.assertEqual(
            [item["statement"] for item in items], ["Contradiction 3.", "Contradiction 2.", "Contradiction 1."]
        )

    @override_settings(API_PAGE_SIZE=2)
    def test_the_page_size_has_a_default(self):
        self.assertEqual(len(self.items("actors")), 2)
        self.assertGreater(Actor.objects.public().count(), 2)
