"""Shared set-up for the desk's view tests: the role cast from tests/base.py plus desk records."""

from django.urls import reverse

from claims.models import Proposition, Side, Stance
from tests.base import BaseTestCase, make_claim

HTMX = {"HTTP_HX_REQUEST": "true"}
BOOSTED = {"HTTP_HX_REQUEST": "true", "HTTP_HX_BOOSTED": "true"}


def htmx_target(target: str) -> dict:
    return {**HTMX, "HTTP_HX_TARGET": target}


class DeskTestCase(BaseTestCase):
    """BaseTestCase with a draft claim, a draft proposition and a draft stance, all the analyst's."""

    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.claim = make_claim(
            cls.source, "the Taliban is providing shelter for TTP members", cls.pakistan, cls.analyst
        )
        cls.proposition = Proposition.objects.create(
            statement="The Afghan Taliban shelter the TTP.", created_by=cls.analyst
        )
        cls.stance = Stance.objects.create(
            claim=cls.claim, proposition=cls.proposition, side=Side.SUPPORTS, created_by=cls.analyst
        )

    def login(self, user=None):
        self.client.force_login(user or self.analyst)

    def board_url(self, proposition=None):
        return reverse("desk:board", args=[(proposition or self.proposition).slug])
