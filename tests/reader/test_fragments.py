"""Template fragments: keyed by the views, each a whole piece of markup."""

from html.parser import HTMLParser
from unittest import mock

from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from claims.models import Actor
from reader import caching
from reader.templatetags import fragments
from tests.reader.builders import ReaderTestCase

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Balance(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes what the fragment did not open (open: {self.open})")
        else:
            self.open.pop()


def unbalanced(markup: str) -> list[str]:
    parser = _Balance()
    parser.feed(markup)
    parser.close()
    return parser.problems + [f"<{tag}> is left open" for tag in parser.open]


class FragmentsAreWholeTest(ReaderTestCase):
    def setUp(self):
        super().setUp()
        self.proposition = self.build_contradiction()
        claim = self.proposition.stances.first().claim
        self.pages = [
            reverse("reader:home"),
            reverse("reader:contradictions"),
            reverse("reader:questions"),
            reverse("reader:search") + "?q=shelter",
            self.proposition.get_absolute_url(),
            self.pakistan.get_absolute_url(),
            claim.source.get_absolute_url(),
        ]

    def rendered_fragments(self, url) -> dict[str, str]:
        kept = {}

        def keep(key, render):
            kept[key] = render()
            return kept[key]

        with mock.patch.object(fragments, "kept_fragment", keep):
            self.client.get(url)
        return kept

    def test_every_fragment_closes_each_element_it_opens(self):
        self.client.force_login(self.analyst)
        for url in self.pages:
            kept = self.rendered_fragments(url)
            self.assertTrue(kept, url)
            for key, markup in kept.items():
                with self.subTest(url=url, fragment=key.split(":")[1]):
                    self.assertEqual(unbalanced(markup), [])

    def test_the_keys_follow_the_public_data_generation(self):
        self.client.force_login(self.analyst)
        before = set(self.rendered_fragments(reverse("reader:home")))
        caching.bump_public_generation(withdrawal=False)
        after = set(self.rendered_fragments(reverse("reader:home")))
        self.assertFalse(before & after)


class BulkWritesTest(ReaderTestCase):
    def tokens(self) -> tuple:
        return caching.public_generation(), caching.withdrawal_token(), caching.desk_generation()

    def test_records_loaded_raw_do_no_cache_work(self):
        before = self.tokens()
        rows = [
            {
                "model": "claims.actor",
                "pk": 990,
                "fields": {"name": "Loaded", "slug": "loaded", "state": "approved", "updated_at": timezone.now()},
            }
        ]
        with self.captureOnCommitCallbacks(execute=True):
            for row in serializers.deserialize("python", rows):
                row.save()  # raw, as a backup is loaded
        self.assertEqual(self.tokens(), before)

    def test_writing_in_bulk_bumps_every_generation_once_after_the_commit(self):
        before = self.tokens()
        scopes = mock.patch.object(Actor, "pages_added_to")
        with scopes as scopes_added_to, self.captureOnCommitCallbacks() as callbacks, caching.writing_in_bulk():
            for n in range(3):
                Actor.objects.create(state="approved", name=f"Bulk {n}")
            self.assertEqual(self.tokens(), before)
        scopes_added_to.assert_not_called()
        self.assertEqual(len(callbacks), 1)
        callbacks[0]()
        after = self.tokens()
        self.assertTrue(all(old != new for old, new in zip(before, after, strict=True)))

    def test_loading_the_seeds_bumps_the_generation_once(self):
        cache.clear()
        counted = mock.patch.object(caching, "bump_public_generation", wraps=caching.bump_public_generation)
        with counted as bump, self.captureOnCommitCallbacks(execute=True):
            call_command("load_seeds", verbosity=0)
        bump.assert_called_once_with(withdrawal=True)
