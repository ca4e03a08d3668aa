"""The shared cast for view and model tests: one user per role, and small record builders.

Readers are anonymous. ``BaseTestCase`` gives every test class an analyst, a
second analyst (for "someone else's work"), a reviewer, a second reviewer and
an admin, plus a source with text to anchor quotes into.
"""

from django.contrib.auth.models import Group, User
from django.test import TestCase

from claims.models import Actor, Claim, Proposition, ReviewState, Side, Stance
from claims.roles import ANALYSTS, REVIEWERS, CachedAccountBackend, ensure_roles
from sources.models import Source

PASSWORD = "correct horse battery staple"

SAMPLE_TEXT = (
    "KABUL – Pakistan claims that the Taliban is providing shelter for TTP members in Afghanistan.\n\n"
    "However, the Taliban insists that they do not provide support to TTP’s operations in Pakistan.\n\n"
    "Its chief spokesman said that they are not responsible for Pakistan’s internal security issues."
)


def make_user(username: str, group: str | None = None, **fields) -> User:
    user = User.objects.create_user(username, password=PASSWORD, **fields)
    if group:
        ensure_roles()
        user.groups.add(Group.objects.get(name=group))
    return user


def keep_account(user: User) -> None:
    """Read ``user``'s account and roles into the shared cache, as their first request does
    (claims.roles.CachedAccountBackend): query counts pinned after this leave those two out."""
    CachedAccountBackend().get_user(user.pk)


def make_source(*, text: str = SAMPLE_TEXT, title: str = "Sample report", **fields) -> Source:
    """A source already reviewed (claims are approved only once their source is)."""
    fields.setdefault("state", "approved")
    return Source.objects.create(title=title, text=text, **fields)


def make_claim(source: Source, quote: str, claimant: Actor, by: User, **fields) -> Claim:
    fields.setdefault("paraphrase", quote[:100])
    return Claim.record(source=source, quote=quote, claimant=claimant, created_by=by, **fields)


def approve(record, reviewer: User):
    """Submit (if needed) and approve ``record`` as ``reviewer``."""
    if record.state in (ReviewState.DRAFT, ReviewState.REJECTED):
        record.submit(record.created_by or reviewer)
    record.approve(reviewer)
    return record


class BaseTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.analyst = make_user("alice", ANALYSTS, is_staff=True)
        cls.other_analyst = make_user("ahmad", ANALYSTS, is_staff=True)
        cls.reviewer = make_user("rita", REVIEWERS, is_staff=True)
        cls.other_reviewer = make_user("rahim", REVIEWERS, is_staff=True)
        cls.admin = make_user("ada", is_staff=True, is_superuser=True)
        cls.outsider = make_user("olga")  # logged in, but in no role: a reader with an account
        cls.source = make_source(created_by=cls.analyst)
        cls.pakistan = Actor.objects.create(
            state="approved", name="Government of Pakistan", kind="government", aliases="Islamabad"
        )
        cls.taliban = Actor.objects.create(state="approved", name="Afghan Taliban", kind="government")

    def build_contradiction(self, *, statement: str = "The Afghan Taliban shelter the TTP.") -> Proposition:
        """An approved proposition with one approved claim on each side, recorded by the analyst."""
        proposition = approve(Proposition.objects.create(statement=statement, created_by=self.analyst), self.reviewer)
        for quote, claimant, side in (
            ("the Taliban is providing shelter for TTP members", self.pakistan, Side.SUPPORTS),
            ("they do not provide support to TTP’s operations", self.taliban, Side.DISPUTES),
        ):
            claim = approve(make_claim(self.source, quote, claimant, self.analyst), self.reviewer)
            approve(
                Stance.objects.create(claim=claim, proposition=proposition, side=side, created_by=self.analyst),
                self.reviewer,
            )
        proposition.refresh_from_db()
        return proposition
