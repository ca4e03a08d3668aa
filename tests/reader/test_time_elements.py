"""Every <time datetime> is a valid HTML date or time: at most three digits of a second's fraction."""

import re

from django.urls import reverse

from claims.models import Claim
from tests.base import make_claim
from tests.reader.builders import ReaderTestCase

DATETIME = re.compile(r'datetime="([^"]*)"')
TOO_FINE = re.compile(r"\.\d{4,}")


class TimeElementTest(ReaderTestCase):
    def assert_valid_times(self, url: str):
        response = self.get(url)
        self.assertEqual(response.status_code, 200, url)
        values = DATETIME.findall(response.content.decode())
        self.assertEqual([v for v in values if TOO_FINE.search(v)], [], url)
        return values

    def test_public_pages_give_times_to_the_second(self):
        proposition = self.build_contradiction()
        claim = proposition.stances.first().claim

        values = self.assert_valid_times(proposition.get_absolute_url())
        for url in (
            reverse("reader:home"),
            reverse("reader:contradictions"),
            reverse("reader:questions"),
            claim.claimant.get_absolute_url(),
            claim.source.get_absolute_url(),
            f"{reverse('reader:search')}?q=Taliban",
        ):
            self.assert_valid_times(url)

        self.assertTrue(any(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", v) for v in values), values)

    def test_review_pages_give_times_to_the_second(self):
        proposition = self.build_contradiction()
        pending = make_claim(self.source, "they are not responsible", self.taliban, self.analyst)
        pending.submit(self.analyst)
        self.client.force_login(self.reviewer)

        for url in (
            reverse("admin:review_queue"),
            reverse("admin:claims_claim_change", args=[pending.pk]),
            reverse("admin:claims_claim_change", args=[Claim.objects.exclude(pk=pending.pk).first().pk]),
            reverse("admin:claims_proposition_change", args=[proposition.pk]),
        ):
            values = self.assert_valid_times(url)
            self.assertTrue(values, url)
