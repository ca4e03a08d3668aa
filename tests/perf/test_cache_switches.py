"""The parts `bench/run.py --compare` switches off (README, Performance): switched off, they keep nothing."""

from django.core.cache import cache
from django.test import SimpleTestCase, override_settings

from reader import caching


def renders(key: str, times: int = 2) -> int:
    """How many times the fragment under ``key`` is rendered when asked for ``times`` times."""
    rendered = []
    for _ in range(times):
        caching.kept_fragment(key, lambda: rendered.append(key) or "<p>A fragment</p>")
    return len(rendered)


class DeskFragmentsSwitchTest(SimpleTestCase):
    def setUp(self):
        cache.clear()

    def test_desk_fragments_are_kept_by_default(self):
        self.assertEqual(renders(caching.desk_fragment_key("home", 1, "/desk/")), 1)

    @override_settings(DESK_FRAGMENTS=False)
    def test_switched_off_a_desk_fragment_is_rendered_every_time(self):
        self.assertEqual(renders(caching.desk_fragment_key("home", 1, "/desk/")), 2)

    @override_settings(DESK_FRAGMENTS=False)
    def test_switched_off_a_computed_desk_value_is_computed_every_time(self):
        computed = []
        for _ in range(2):
            caching.cached_for_desk("board-drafts", 1, 1, compute=lambda: computed.append(1) or 3)
        self.assertEqual(len(computed), 2)

    @override_settings(DESK_FRAGMENTS=False)
    def test_switched_off_the_readers_fragments_are_still_kept(self):
        self.assertEqual(renders(caching.fragment_key("claims", caching.public_generation())), 1)


class MemoryCacheSwitchTest(SimpleTestCase):
    def test_no_bytes_keeps_no_page(self):
        memory = caching.NearCache(max_bytes=0)
        memory.put("page", caching.CachedPage(b"<p>A page</p>", "text/html", '"etag"', 0.0, "generation", "token"))
        self.assertIsNone(memory.get("page", "generation"))
