"""The API's lists: the public querysets the reader's pages use, narrowed by the lists' filters.

What is public is decided once, by ``Proposition.objects.contradictions()``,
``Claim.objects.public()``, ``Stance.objects.public()``, ``Actor.objects.public()``
and ``Source.objects.public()``; nothing here widens them. Each filter names
public claims (``PublicClaimFilter.claims``), and each list keeps the records
those claims belong to, one subquery per condition as the reader's
contradictions filter does (``reader.public._propositions_quoting``), because
SQLite plans those well without statistics.
"""

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Exists, OuterRef, Q

from api.problems import InvalidRequest
from api.schemas import ListFilters
from claims.models import Actor, Answer, Claim, Proposition, Question, ReviewState, Stance
from config.middleware import parse_id
from reader.public import _propositions_quoting as propositions_quoting
from sources.models import Source


@dataclass
class PublicClaimFilter:
    """The filters of a list, with the records they name read (each must be public)."""

    actor: Actor | None = None
    source: Source | None = None
    proposition: Proposition | None = None
    language: str | None = None
    asserted_from: date | None = None
    asserted_to: date | None = None
    updated_since: datetime | None = None

    @classmethod
    def read(cls, filters: ListFilters) -> "PublicClaimFilter":
        """Read the records the filters name; raises InvalidRequest naming each filter that names no public one."""
        found, errors = cls(language=filters.language, updated_since=filters.updated_since_time), []
        found.asserted_from, found.asserted_to = filters.asserted_range
        if filters.actor:
            found.actor = Actor.objects.public().filter(slug=filters.actor).first()
            if found.actor is None:
                errors.append(("query", "actor", f"No actor with public claims has the slug “{filters.actor}”."))
        if filters.source:
            found.source = Source.objects.public().defer("text").filter(pk=parse_id(filters.source)).first()
            if found.source is None:
                errors.append(("query", "source", f"No source with public claims has the id {filters.source}."))
        if filters.proposition:
            found.proposition = Proposition.objects.public().filter(slug=filters.proposition).first()
            if found.proposition is None:
                errors.append(("query", "proposition", f"No public proposition has the slug “{filters.proposition}”."))
        if errors:
            raise InvalidRequest(errors)
        return found

    def claim_conditions(self) -> list[Q]:
        """One condition on public claims per filter given (the actor's is claimant or reporter)."""
        conditions = []
        if self.source:
            conditions.append(Q(source=self.source))
        if self.language:
            conditions.append(Q(source__language__iexact=self.language))
        if self.asserted_from:
            conditions.append(Q(asserted_on__gte=self.asserted_from))
        if self.asserted_to:
            conditions.append(Q(asserted_on__lte=self.asserted_to))
        if self.proposition:
            on_it = Stance.objects.filter(state=ReviewState.APPROVED, proposition=self.proposition)
            conditions.append(Q(pk__in=on_it.values("claim_id")))
        return conditions

    def claims(self):
        """The public claims every claim filter matches."""
        claims = Claim.objects.public()
        for condition in self.claim_conditions():
            claims = claims.filter(condition)
        if self.actor:
            # The actor's claims found through the claimant and reporter indexes, then the page sorted, rather
            # than one OR, which SQLite answers by reading every approved claim when it has no statistics.
            asserted = Claim.objects.filter(claimant=self.actor).values("pk")
            reported = Claim.objects.filter(reported_by=self.actor).values("pk")
            claims = claims.filter(pk__in=asserted.union(reported))
        return claims

    @property
    def names_claims(self) -> bool:
        return bool(self.claim_conditions()) or self.actor is not None


def contradictions(filters: PublicClaimFilter):
    """Contradictions with a public claim matching the filters, as the contradictions page narrows them."""
    found = Proposition.objects.contradictions()
    claims = Claim.objects.public()
    for condition in filters.claim_conditions():
        found = found.filter(propositions_quoting(claims.filter(condition)))
    if actor := filters.actor:
        found = found.filter(
            propositions_quoting(claims.filter(claimant=actor)) | propositions_quoting(claims.filter(reported_by=actor))
        )
    if since := filters.updated_since:
        changed = Stance.objects.public().filter(Q(updated_at__gte=since) | Q(claim__updated_at__gte=since))
        found = found.filter(Q(updated_at__gte=since) | Q(pk__in=changed.values("proposition_id")))
    return found


def questions(filters: PublicClaimFilter, disputed: bool | None = None):
    """Public questions with a public answer whose claim matches the filters, one subquery per filter as above.

    ``disputed`` keeps those whose approved answers conflict (True) or do not (False).
    """
    found = Question.objects.public()
    answers = Answer.objects.public()
    for condition in filters.claim_conditions():
        found = found.filter(
            pk__in=answers.filter(claim__in=Claim.objects.public().filter(condition)).values("question")
        )
    if actor := filters.actor:
        found = found.filter(
            pk__in=answers.filter(Q(claim__claimant=actor) | Q(claim__reported_by=actor)).values("question")
        )
    if disputed is not None:
        found = found.filter(has_conflict=disputed)
    if since := filters.updated_since:
        changed = answers.filter(Q(updated_at__gte=since) | Q(claim__updated_at__gte=since))
        found = found.filter(Q(updated_at__gte=since) | Q(pk__in=changed.values("question")))
    return found


def claims(filters: PublicClaimFilter):
    found = filters.claims().select_related("source", "claimant", "reported_by").defer("source__text")
    if since := filters.updated_since:
        found = found.filter(updated_at__gte=since)
    return found


def stances(filters: PublicClaimFilter, side: str | None = None):
    found = Stance.objects.public().select_related(
        "proposition", "claim__source", "claim__claimant", "claim__reported_by"
    )
    found = found.defer("claim__source__text")
    if filters.names_claims:
        found = found.filter(claim__in=filters.claims().values("pk"))
    if filters.proposition:
        found = found.filter(proposition=filters.proposition)
    if side:
        found = found.filter(side=side)
    if since := filters.updated_since:
        found = found.filter(updated_at__gte=since)
    return found


def public_actors():
    """Public actors, each knowing whether its affiliation has a public page (as the actor page reads them)."""
    affiliation_is_public = Exists(Actor.objects.public().filter(pk=OuterRef("affiliation")))
    return Actor.objects.public().select_related("affiliation").annotate(affiliation_is_public=affiliation_is_public)


def actors(filters: PublicClaimFilter):
    """Actors who asserted or reported a public claim matching the filters."""
    found = public_actors()
    if filters.names_claims:
        claims = filters.claims()
        found = found.filter(
            Q(pk__in=claims.values("claimant_id"))
            | Q(pk__in=claims.filter(reported_by__isnull=False).values("reported_by_id"))
        )
    if since := filters.updated_since:
        found = found.filter(updated_at__gte=since)
    return found


def sources(filters: PublicClaimFilter):
    """Sources with a public claim matching the filters, without their text."""
    found = Source.objects.public().defer("text")
    if filters.names_claims:
        found = found.filter(pk__in=filters.claims().values("source_id"))
    if since := filters.updated_since:
        found = found.filter(updated_at__gte=since)
    return found
