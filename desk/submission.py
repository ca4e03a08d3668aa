"""Sending an analyst's drafts to review together.

Each record still goes through its own ``submit`` (state, stamp, audit); this
module only decides which drafts belong together and submits them in one
transaction, so either all of them wait for review or none does. A claim takes
along the analyst's own drafts it rests on (its source, claimant and reporter),
since a reviewer approves those first; other people's drafts stay theirs. An
answer rests on its claim and its question the same way. The analyst's draft
translations go along with the claims they translate, and on their own when
their claim (or source, for a summary) is already waiting for review or public.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext, ngettext_lazy

from claims.models import Actor, Answer, Claim, Proposition, Question, ReviewState, Stance
from claims.translations import Translation
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
    translations: int = 0

    @property
    def total(self) -> int:
        return (
            self.claims
            + self.stances
            + self.propositions
            + self.sources
            + self.actors
            + self.questions
            + self.answers
            + self.translations
        )

    def __str__(self):
        counted = (
            (self.claims, ngettext_lazy("%(count)s claim", "%(count)s claims", "count")),
            (self.stances, ngettext_lazy("%(count)s stance", "%(count)s stances", "count")),
            (self.answers, ngettext_lazy("%(count)s answer", "%(count)s answers", "count")),
            (self.translations, ngettext_lazy("%(count)s translation", "%(count)s translations", "count")),
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


# A translation goes to review on its own only when what it translates is waiting for review or public already.
SENT_STATES = (ReviewState.PENDING, ReviewState.APPROVED)


def sendable_translations(user, claims, *, in_source: Source | None = None) -> list[Translation]:
    """The user's draft translations of ``claims``; with ``in_source``, also those of its other quotes whose claim is
    waiting for review or public already, and those of its summary if the source is waiting, public or their draft.

    A translation of someone else's draft claim waits until they send it, and
    one of the user's own rejected claim waits for the claim.
    """
    sent = Q(claim__in=[claim.pk for claim in claims])
    if in_source is not None:
        sent |= Q(claim__source=in_source, claim__state__in=SENT_STATES)
        mine = Q(source__created_by=user, source__state=ReviewState.DRAFT)
        sent |= Q(source=in_source) & (Q(source__state__in=SENT_STATES) | mine)
    elif not claims:
        return []
    return list(Translation.objects.drafts_of(user).filter(sent).order_by("pk"))


def _submit_all(user, claims, stances, propositions, questions=(), answers=(), translations=()) -> Submitted:
    sources, actors = own_drafts_under(claims, user)
    # A summary's draft source of the user's goes with it, as a claim's does.
    summarized = {t.source_id for t in translations if t.source_id} - {source.pk for source in sources}
    sources += Source.objects.drafts_of(user).filter(pk__in=summarized).defer("text")
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
        for translation in translations:
            translation.submit(user)
            done.translations += 1
    return done


def source_drafts(source: Source, user):
    """The user's draft claims in ``source``, their draft stances and answers, the draft propositions and
    questions those use, and their draft translations of its quotes and of its summary (sendable_translations)."""
    claims = list(Claim.objects.drafts_of(user).filter(source=source))
    stances = list(Stance.objects.drafts_of(user).filter(claim__source=source))
    propositions = list(
        Proposition.objects.drafts_of(user).filter(stances__in=[stance.pk for stance in stances]).distinct()
    )
    answers = list(Answer.objects.drafts_of(user).filter(claim__source=source))
    questions = list(Question.objects.drafts_of(user).filter(answers__in=[answer.pk for answer in answers]).distinct())
    translations = sendable_translations(user, claims, in_source=source)
    return claims, stances, propositions, questions, answers, translations


def submit_source_drafts(source: Source, user) -> Submitted:
    return _submit_all(user, *source_drafts(source, user))


def board_drafts(proposition: Proposition, user):
    """The user's draft stances on ``proposition``, their draft claims, the proposition if it is their draft, and
    their draft translations of those claims."""
    stances = list(Stance.objects.drafts_of(user).filter(proposition=proposition))
    claims = list(Claim.objects.drafts_of(user).filter(stances__in=[stance.pk for stance in stances]).distinct())
    is_draft = proposition.state == ReviewState.DRAFT and proposition.created_by_id == user.pk
    translations = sendable_translations(user, claims)
    return claims, stances, [proposition] if is_draft else [], [], [], translations


def submit_board_drafts(proposition: Proposition, user) -> Submitted:
    return _submit_all(user, *board_drafts(proposition, user))


def submit_claim(claim: Claim, user) -> Submitted:
    """Send one claim to review, with the user's draft source and actors it rests on."""
    return _submit_all(user, [claim], [], [])


def question_drafts(question: Question, user):
    """The user's draft answers to ``question``, their draft claims, the question if it is their draft, and their
    draft translations of those claims."""
    answers = list(Answer.objects.drafts_of(user).filter(question=question))
    claims = list(Claim.objects.drafts_of(user).filter(answers__in=[answer.pk for answer in answers]).distinct())
    is_draft = question.state == ReviewState.DRAFT and question.created_by_id == user.pk
    translations = sendable_translations(user, claims)
    return claims, [], [], [question] if is_draft else [], answers, translations


def submit_question_drafts(question: Question, user) -> Submitted:
    return _submit_all(user, *question_drafts(question, user))
