"""What readers see, gathered in a fixed number of queries per page.

The public pages are built from approved records only: ``Stance.objects.public()``
(approved stance, claim and proposition), ``Claim.objects.public()`` and the
``public()`` querysets of actors and sources. Nothing here reads a draft,
pending or rejected record.
"""

from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property

from django import forms
from django.db.models import Count, F, Q

from claims.caching import cached_for_generation
from claims.models import Actor, Claim, Proposition, ReviewState, Side, Stance
from sources.models import Source

OPPOSING_SIDES = {Side.SUPPORTS: Side.DISPUTES, Side.DISPUTES: Side.SUPPORTS}


@dataclass(frozen=True)
class Paragraph:
    """The paragraph of the source a quote sits in, split around the quote."""

    before: str
    quote: str
    after: str


def public_stances():
    return Stance.objects.public().select_related("claim__source", "claim__claimant", "claim__reported_by")


def contradiction_stances(proposition: Proposition) -> list[Stance]:
    """The proposition's public stances, each claim with its source paragraph, in date order."""
    stances = list(
        public_stances()
        .filter(proposition=proposition)
        .defer("claim__source__text")
        .order_by(F("claim__asserted_on").asc(nulls_last=True), "claim__source_id", "claim__start", "pk")
    )
    attach_paragraphs([stance.claim for stance in stances])
    return stances


def attach_paragraphs(claims: list[Claim]) -> None:
    """Set ``claim.paragraph`` on each claim, reading every source text in one query."""
    texts = dict(Source.objects.filter(pk__in={c.source_id for c in claims}).values_list("pk", "text"))
    for claim in claims:
        text = texts[claim.source_id]
        start = text.rfind("\n\n", 0, claim.start)
        start = 0 if start < 0 else start + 2
        end = text.find("\n\n", claim.end)
        end = len(text) if end < 0 else end
        claim.paragraph = Paragraph(text[start : claim.start], text[claim.start : claim.end], text[claim.end : end])


def side_columns(stances: list[Stance]) -> list[tuple[Side, list[Stance]]]:
    """Supports, disputes, qualifies — in that order, each side that has claims."""
    columns = {side: [] for side in Side}
    for stance in stances:
        columns[Side(stance.side)].append(stance)
    return [(side, columns[side]) for side in Side if columns[side]]


def last_reviewed(proposition: Proposition, stances: list[Stance]) -> datetime | None:
    times = [proposition.reviewed_at]
    for stance in stances:
        times += [stance.reviewed_at, stance.claim.reviewed_at]
    return max((t for t in times if t), default=None)


def related_contradictions(proposition: Proposition, stances: list[Stance], *, limit: int = 5):
    """Other contradictions with a claimant or a source in common with these stances."""
    actor_ids = {s.claim.claimant_id for s in stances}
    source_ids = {s.claim.source_id for s in stances}
    claims = Claim.objects.public()
    shared = _propositions_quoting(claims.filter(claimant__in=actor_ids)) | _propositions_quoting(
        claims.filter(source__in=source_ids)
    )
    return list(Proposition.objects.contradictions().exclude(pk=proposition.pk).filter(shared)[:limit])


# ---------------------------------------------------------------------------
# The contradictions list


class ContradictionSort:
    NEWEST = "newest"
    MOST_CLAIMS = "claims"
    CHOICES = [(NEWEST, "Newest first"), (MOST_CLAIMS, "Most claims first")]


# How many actors and sources the filter form suggests as the reader types.
FILTER_SUGGESTIONS = 50


@dataclass(frozen=True)
class FilterChoices:
    """What the contradictions filter offers: years with public claims, the most quoted actors and sources."""

    years: list[int]
    actors: list[tuple[str, str]]  # (name, slug)
    sources: list[tuple[str, int]]  # (title, pk)


def _public_claims_per(field: str):
    """``field`` values with their number of public claims, for those that have any.

    The state is counted rather than filtered on: with a WHERE on the state,
    SQLite (without statistics) reads claims through the state index one row
    at a time; counting reads a covering index, or the table, straight through.
    """
    public_claims = Count("pk", filter=Q(state=ReviewState.APPROVED))
    return Claim.objects.order_by().values(field).annotate(n=public_claims).filter(n__gt=0)


def _filter_choices() -> FilterChoices:
    # Distinct dates, a few thousand at most, then their years in Python: truncating each
    # claim's date in SQL is a Python function call per claim on SQLite.
    dates = _public_claims_per("asserted_on").exclude(asserted_on=None).values_list("asserted_on", flat=True)
    years = sorted({d.year for d in dates}, reverse=True)
    top_actors = _public_claims_per("claimant").order_by("-n", "claimant").values("claimant")[:FILTER_SUGGESTIONS]
    top_sources = _public_claims_per("source").order_by("-n", "source").values("source")[:FILTER_SUGGESTIONS]
    actors = Actor.objects.filter(pk__in=top_actors).order_by("name").values_list("name", "slug")
    sources = Source.objects.filter(pk__in=top_sources).order_by("title").values_list("title", "pk")
    return FilterChoices(years, list(actors), list(sources))


def filter_choices() -> FilterChoices:
    """The filter choices, computed once per public data generation (three queries over every claim)."""
    return cached_for_generation("contradiction-filter-choices", _filter_choices)


class ContradictionFilterForm(forms.Form):
    """Filters of /contradictions/: each one narrows the list; an invalid one is reported and ignored.

    Actor and source are typed (with suggestions of the most quoted ones): a list of
    every actor and source would be hundreds of kilobytes. An actor is found by slug
    or by name, a source by number or by title, so addresses like ?actor=<slug> keep working.
    """

    actor = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"list": "actor-suggestions", "placeholder": "Any actor", "autocomplete": "off"}),
    )
    source = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.TextInput(
            attrs={"list": "source-suggestions", "placeholder": "Any source", "autocomplete": "off"}
        ),
    )
    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Year asserted")
    sort = forms.ChoiceField(choices=ContradictionSort.CHOICES, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = filter_choices()
        self.fields["year"].choices = [("", "Any year"), *((year, str(year)) for year in self.choices.years)]

    def clean_actor(self) -> Actor | None:
        value = self.cleaned_data["actor"].strip()
        if not value:
            return None
        actor = Actor.objects.public().filter(Q(slug=value) | Q(name__iexact=value)).order_by("pk").first()
        if actor is None:
            raise forms.ValidationError(f"No actor named “{value}” has public claims.")
        self._show_as("actor", actor.name)
        return actor

    def clean_source(self) -> Source | None:
        value = self.cleaned_data["source"].strip()
        if not value:
            return None
        match = Q(pk=int(value)) if value.isdigit() else Q(title__iexact=value)
        source = Source.objects.public().filter(match).defer("text").order_by("pk").first()
        if source is None:
            raise forms.ValidationError(f"No source “{value}” has public claims.")
        self._show_as("source", source.title)
        return source

    def _show_as(self, name: str, text: str) -> None:
        """Show the name found rather than what was asked for (a slug or a number from a link)."""
        self.data = self.data.copy()
        self.data[name] = text

    def clean_sort(self):
        return self.cleaned_data["sort"] or ContradictionSort.NEWEST

    def filter(self, contradictions):
        """Apply the valid filters to ``contradictions`` and sort it.

        Each filter is one list of proposition ids, read from the stances by
        index; a correlated EXISTS per contradiction checks every one in turn.
        """
        data = self.cleaned_data if self.is_valid() else {}
        claims = Claim.objects.public()
        if actor := data.get("actor"):
            contradictions = contradictions.filter(
                _propositions_quoting(claims.filter(claimant=actor))
                | _propositions_quoting(claims.filter(reported_by=actor))
            )
        if source := data.get("source"):
            contradictions = contradictions.filter(_propositions_quoting(claims.filter(source=source)))
        if year := data.get("year"):
            contradictions = contradictions.filter(_propositions_quoting(claims.filter(asserted_on__year=year)))
        if data.get("sort") == ContradictionSort.MOST_CLAIMS:
            total = F("supports_count") + F("disputes_count") + F("qualifies_count")
            contradictions = contradictions.alias(total=total).order_by(
                "-total", F("became_contradiction_at").desc(nulls_last=True), "-pk"
            )
        return contradictions


def _propositions_quoting(claims) -> Q:
    """Propositions with an approved stance on one of these public claims (a subquery by index).

    Readers see only public propositions and claims, so the stance's own state is
    the one left to check. Each condition on claims gets its own subquery: joined
    into one, or combined with OR, SQLite walks every approved claim instead.
    """
    claim_ids = claims.values("pk")
    return Q(pk__in=Stance.objects.filter(state=ReviewState.APPROVED, claim__in=claim_ids).values("proposition_id"))


# ---------------------------------------------------------------------------
# Actors


@dataclass
class PropositionPosition:
    """An actor's claims on one proposition, and the other actors on the opposing side."""

    proposition: Proposition
    stances: list[Stance] = field(default_factory=list)
    opponents: list[Stance] = field(default_factory=list)

    @property
    def sides(self) -> set[str]:
        return {stance.side for stance in self.stances}


def attach_public_stances(claims: list[Claim]) -> list[Claim]:
    """Set ``claim.public_stances`` on each of these public claims, in one query.

    The claims are public already, so their stances are looked up by claim id
    alone (index stance_claim_state_idx) and those on a proposition that is not
    approved are dropped here. With the claim's state in the query as well, as
    in Stance.objects.public(), SQLite without statistics walks every approved
    claim instead (50-150 ms at 100,000 claims, against about 10 ms).
    """
    by_claim = {claim.pk: claim for claim in claims}
    for claim in claims:
        claim.public_stances = []
    stances = Stance.objects.filter(claim__in=by_claim, state=ReviewState.APPROVED).select_related("proposition")
    for stance in stances:
        if stance.proposition.is_public:
            by_claim[stance.claim_id].public_stances.append(stance)
    return claims


def actor_claims(actor: Actor) -> list[Claim]:
    """The actor's public claims with their public stances and propositions."""
    return attach_public_stances(
        list(
            Claim.objects.public()
            .filter(claimant=actor)
            .select_related("source", "reported_by", "claimant")
            .defer("source__text")
            .order_by(F("asserted_on").asc(nulls_last=True), "source_id", "start")
        )
    )


def actor_positions(actor: Actor, claims: list[Claim]) -> list[PropositionPosition]:
    """Group the actor's claims by proposition, with who takes the opposing side of each."""
    positions: dict[int, PropositionPosition] = {}
    for claim in claims:
        for stance in claim.public_stances:
            stance.claim = claim
            positions.setdefault(stance.proposition_id, PropositionPosition(stance.proposition)).stances.append(stance)
    if positions:
        others = (
            public_stances()
            .filter(proposition__in=positions.keys(), side__in=OPPOSING_SIDES.keys())
            .exclude(claim__claimant=actor)
            .defer("claim__source__text")
            .order_by("claim__claimant__name", "pk")
        )
        for stance in others:
            position = positions[stance.proposition_id]
            if OPPOSING_SIDES[Side(stance.side)] in position.sides:
                stance.proposition = position.proposition
                position.opponents.append(stance)
    return sorted(positions.values(), key=lambda p: (not p.opponents, p.proposition.statement))


def affiliated_public_actors(actor: Actor) -> list[Actor]:
    return list(Actor.objects.public().filter(affiliation=actor))


class ActorPage:
    """What the actor page shows below its header, read from the database on first use.

    The template keeps this part in a fragment cache for the current public data
    generation, so a logged-in reader's request (never served from the page
    cache) runs these queries only when the fragment is missing.
    """

    def __init__(self, actor: Actor):
        self.actor = actor

    @cached_property
    def claims(self) -> list[Claim]:
        return actor_claims(self.actor)

    @cached_property
    def positions(self) -> list[PropositionPosition]:
        return actor_positions(self.actor, self.claims)

    @cached_property
    def contradicted_by(self) -> list[Actor]:
        return who_contradicts(self.positions)

    @cached_property
    def unlinked_claims(self) -> list[Claim]:
        return [claim for claim in self.claims if not claim.public_stances]

    @cached_property
    def members(self) -> list[Actor]:
        return affiliated_public_actors(self.actor)


# ---------------------------------------------------------------------------
# Sources


def source_claims(source: Source) -> list[Claim]:
    """The source's public claims in text order, with the propositions they take sides on."""
    return attach_public_stances(
        list(
            Claim.objects.public()
            .filter(source=source)
            .select_related("claimant", "reported_by")
            .order_by("start", "-end", "pk")
        )
    )


def counts() -> dict[str, int]:
    return {
        "contradictions": Proposition.objects.contradictions().count(),
        "claims": Claim.objects.public().count(),
        "actors": Actor.objects.public().count(),
        "sources": Source.objects.public().count(),
    }


def attach_side_actors(propositions) -> list[Proposition]:
    """Set ``supporters`` and ``disputers`` (claimants, deduplicated) on each proposition, in one query."""
    propositions = list(propositions)
    for proposition in propositions:
        proposition.supporters, proposition.disputers = [], []
    by_pk = {p.pk: p for p in propositions}
    stances = (
        Stance.objects.public()
        .filter(proposition__in=by_pk, side__in=OPPOSING_SIDES.keys())
        .select_related("claim__claimant")
        .only("proposition", "side", "claim__claimant__name", "claim__claimant__slug")
        .order_by("claim__asserted_on", "pk")
    )
    for stance in stances:
        proposition = by_pk[stance.proposition_id]
        actors = proposition.supporters if stance.side == Side.SUPPORTS else proposition.disputers
        if stance.claim.claimant not in actors:
            actors.append(stance.claim.claimant)
    return propositions


def who_contradicts(positions: list[PropositionPosition]) -> list[Actor]:
    """The actors who take the opposing side to this actor somewhere, in order of first appearance."""
    actors = []
    for position in positions:
        for stance in position.opponents:
            if stance.claim.claimant not in actors:
                actors.append(stance.claim.claimant)
    return actors
