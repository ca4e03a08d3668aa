"""Builders for review tests: records waiting for review, and a source long enough for many claims."""

from django.contrib.auth.models import User

from claims.models import Actor, Claim, Proposition, Side, Stance
from sources.models import Source
from tests.base import make_claim, make_source

QUOTES = [
    "the Taliban is providing shelter for TTP members",
    "they do not provide support to TTP’s operations",
    "they are not responsible for Pakistan’s internal security issues",
]


def pending(record, by: User | None = None):
    record.submit(by or record.created_by)
    return record


def pending_claim(source: Source, quote: str, claimant: Actor, by: User, **fields) -> Claim:
    return pending(make_claim(source, quote, claimant, by, **fields))


def pending_proposition(statement: str, by: User) -> Proposition:
    return pending(Proposition.objects.create(statement=statement, created_by=by))


def pending_stance(claim: Claim, proposition: Proposition, by: User, side: str = Side.SUPPORTS) -> Stance:
    return pending(Stance.objects.create(claim=claim, proposition=proposition, side=side, created_by=by))


def numbered_source(count: int, *, by: User | None = None, title: str = "Numbered statements") -> Source:
    """A source with ``count`` paragraphs, each holding one quotable, unique sentence."""
    text = "\n\n".join(f"Speaker {n} said that statement number {n} is true." for n in range(1, count + 1))
    return make_source(text=text, title=title, created_by=by)


def numbered_quote(n: int) -> str:
    return f"statement number {n} is true"
