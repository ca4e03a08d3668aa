"""Sending an analyst's drafts to review together.

Each record still goes through its own ``submit`` (state, stamp, audit); this
module only decides which drafts belong together and submits them in one
transaction, so either all of them wait for review or none does. A claim takes
along the analyst's own drafts it rests on (its source, claimant and reporter),
since a reviewer approves those first; other people's drafts stay theirs. An
answer rests on its claim and its question the same way.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext, ngettext_lazy

from claims.models import Actor, Answer, Claim, Proposition, Question, ReviewState, Stance
from sources.models import Source


@dataclass
class Submitted:
    claims: int = 0
    stances: int = 0
    propositions: int = 0
    sources: int = 0
    actors: int = 0
    questions: int = 0
    answers: int = 0

    @property
    def total(self) -> int:
        return (
            self.claims + self.stances + self.propositions + self.sources + self.actors + self.questions + self.answers
        )

    def __str__(self):
        counted = (
            (self.claims, ngettext_lazy("%(count)s claim", "%(count)s claims", "count")),
            (self.stances, ngettext_lazy("%(count)s stance", "%(count)s stances", "count")),
            (self.answers, ngettext_lazy("%(count)s answer", "%(count)s answers", "count")),
            (self.propositions, ngettext_lazy("%(count)s proposition", "%(count)s propositions", "count")),
            (self.questions, ngettext_lazy("%(count)s question", "%(count)s questions", "count")),
            (self.sources, ngettext_lazy("%(count)s source", "%(count)s sources", "count")),
            (self.actors, ngettext_lazy("%(count)s actor", "%(count)s actors", "count")),
        )
        parts = [noun % {"count": count} for count, noun in counted if count]
        return ", ".join(parts) or gettext("nothing")


def own_drafts_under(claims, user) -> tuple[list[Source], list[Actor]]:
    """The user's draft sources and actors that ``claims`` rest on (they must be approved first)."""
    source_ids = {claim.source_id for claim in claims}
    actor_ids = {pk for claim in claims for pk in (claim.claimant_id, claim.reported_by_id) if pk}
    sources = list(Source.objects.drafts_of(user).filter(pk__in=source_ids).defer("text"))
    actors = list(Actor.objects.drafts_of(user).filter(pk__in=actor_ids))
    # An affiliation of the user's own drafting goes too: the actor is approved after it.
    affiliations = {actor.affiliation_id for actor in actors} - {actor.pk for actor in actors} - {None}
    actors += Actor.objects.drafts_of(user).filter(pk__in=affiliations)
    return sources, actors


def _submit_all(user, claims, stances, propositions, questions=(), answers=()) -> Submitted:
    sources, actors = own_drafts_under(claims, user)
    with transaction.atomic():
        done = Submitted()
        for source in sources:
            source.submit(user)
            done.sources += 1
        for actor in actors:
            actor.submit(user)
            done.actors += 1
        for proposition in propositions:
            proposition.submit(user)
            done.propositions += 1
        for question in questions:
            question.submit(user)
            done.questions += 1
        for claim in claims:
            claim.submit(user)
            done.claims += 1
        for stance in stances:
            stance.submit(user)
            done.stances += 1
        for answer in answers:
            answer.submit(user)
            done.answers += 1
    return done


def source_drafts(source: Source, user):
    """The user's draft claims in ``source``, their draft stances and answers, and the draft propositions and
    questions those use."""
    claims = list(Claim.objects.drafts_of(user).filter(source=source))
    stances = list(Stance.objects.drafts_of(user).filter(claim__source=source))
    propositions = list(
        Proposition.objects.drafts_of(user).filter(stances__in=[stance.pk for stance in stances]).distinct()
    )
    answers = list(Answer.objects.drafts_of(user).filter(claim__source=source))
    questions = list(Question.objects.drafts_of(user).filter(answers__in=[answer.pk for answer in answers]).distinct())
    return claims, stances, propositions, questions, answers


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


def submit_claim(claim: Claim, user) -> Submitted:
    """Send one claim to review, with the user's draft source and actors it rests on."""
    return _submit_all(user, [claim], [], [])


def question_drafts(question: Question, user):
    """The user's draft answers to ``question``, their draft claims, and the question if it is their draft."""
    answers = list(Answer.objects.drafts_of(user).filter(question=question))
    claims = list(Claim.objects.drafts_of(user).filter(answers__in=[answer.pk for answer in answers]).distinct())
    is_draft = question.state == ReviewState.DRAFT and question.created_by_id == user.pk
    return claims, [], [], [question] if is_draft else [], answers


def submit_question_drafts(question: Question, user) -> Submitted:
    return _submit_all(user, *question_drafts(question, user))
