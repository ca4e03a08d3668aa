"""Sending an analyst's drafts to review together.

Each record still goes through its own ``submit`` (state, stamp, audit); this
module only decides which drafts belong together and submits them in one
transaction, so either all of them wait for review or none does.
"""

from dataclasses import dataclass

from django.db import transaction

from claims.models import Claim, Proposition, ReviewState, Stance
from sources.models import Source


@dataclass
class Submitted:
    claims: int = 0
    stances: int = 0
    propositions: int = 0

    @property
    def total(self) -> int:
        return self.claims + self.stances + self.propositions

    def __str__(self):
        parts = [
            f"{count} {noun}{'' if count == 1 else 's'}"
            for count, noun in ((self.claims, "claim"), (self.stances, "stance"), (self.propositions, "proposition"))
            if count
        ]
        return ", ".join(parts) or "nothing"


def _submit_all(user, claims, stances, propositions) -> Submitted:
    with transaction.atomic():
        done = Submitted()
        for proposition in propositions:
            proposition.submit(user)
            done.propositions += 1
        for claim in claims:
            claim.submit(user)
            done.claims += 1
        for stance in stances:
            stance.submit(user)
            done.stances += 1
    return done


def source_drafts(source: Source, user):
    """The user's draft claims in ``source``, their draft stances and the draft propositions those use."""
    claims = list(Claim.objects.drafts_of(user).filter(source=source))
    stances = list(Stance.objects.drafts_of(user).filter(claim__source=source))
    propositions = list(
        Proposition.objects.drafts_of(user).filter(stances__in=[stance.pk for stance in stances]).distinct()
    )
    return claims, stances, propositions


def submit_source_drafts(source: Source, user) -> Submitted:
    return _submit_all(user, *source_drafts(source, user))


def board_drafts(proposition: Proposition, user):
    """The user's draft stances on ``proposition``, their draft claims, and the proposition if it is their draft."""
    stances = list(Stance.objects.drafts_of(user).filter(proposition=proposition))
    claims = list(Claim.objects.drafts_of(user).filter(stances__in=[stance.pk for stance in stances]).distinct())
    is_draft = proposition.state == ReviewState.DRAFT and proposition.created_by_id == user.pk
    return claims, stances, [proposition] if is_draft else []


def submit_board_drafts(proposition: Proposition, user) -> Submitted:
    return _submit_all(user, *board_drafts(proposition, user))
