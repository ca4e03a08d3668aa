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
from django.core.paginator import Paginator
from django.db.models import Count, F, Min, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from claims.models import Actor, Answer, Claim, Proposition, Question, ReviewState, Side, Stance
from config.middleware import parse_id
from reader.caching import cached_between_withdrawals, cached_for_scope
from reader.notices import attach_notices
from reader.positions import SIDES, Statement, read_position, statement_order
from reader.translations import attach_translations
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
    """The proposition's public stances, each claim with its source paragraph and translations, in date order."""
    stances = list(
        public_stances()
        .filter(proposition=proposition)
        .defer("claim__source__text")
        .order_by(F("claim__asserted_on").asc(nulls_last=True), "claim__source_id", "claim__start", "pk")
    )
    attach_paragraphs([stance.claim for stance in stances])
    attach_translations([stance.claim for stance in stances])
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


def related_contradictions(proposition: Proposition, claims: set[tuple[int, int]], *, limit: int = 5):
    """Other contradictions with a claimant or a source in common with these (claimant id, source id) pairs."""
    actor_ids = {claimant for claimant, _ in claims}
    source_ids = {source for _, source in claims}
    public_claims = Claim.objects.public()
    shared = _propositions_quoting(public_claims.filter(claimant__in=actor_ids)) | _propositions_quoting(
        public_claims.filter(source__in=source_ids)
    )
    return list(Proposition.objects.contradictions().exclude(pk=proposition.pk).filter(shared)[:limit])


class ContradictionPage:
    """What a contradiction page shows, read from the database on first use.

    The claims side by side are a fragment kept for the proposition's scope
    (reader.caching.scope_token), the related contradictions one kept for the
    public data generation: after an approval elsewhere only the latter is read
    again, from the claimants and sources of the claims alone.
    """

    def __init__(self, proposition: Proposition):
        self.proposition = proposition

    @cached_property
    def stances(self) -> list[Stance]:
        """The public stances, each claim with its paragraph and its re-check notice (reader.notices)."""
        stances = contradiction_stances(self.proposition)
        attach_notices([stance.claim for stance in stances])
        return stances

    @cached_property
    def columns(self) -> list[tuple[Side, list[Stance]]]:
        return side_columns(self.stances)

    @cached_property
    def last_reviewed(self) -> datetime | None:
        return last_reviewed(self.proposition, self.stances)

    @cached_property
    def related(self) -> list[Proposition]:
        if "stances" in self.__dict__:
            claims = {(stance.claim.claimant_id, stance.claim.source_id) for stance in self.stances}
        else:
            on_it = Stance.objects.public().filter(proposition=self.proposition)
            claims = set(on_it.values_list("claim__claimant_id", "claim__source_id"))
        return related_contradictions(self.proposition, claims)


# ---------------------------------------------------------------------------
# The contradictions list


class ContradictionSort:
    NEWEST = "newest"
    MOST_CLAIMS = "claims"
    CHOICES = [(NEWEST, _("Newest first")), (MOST_CLAIMS, _("Most claims first"))]


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
    """The filter choices: three queries over every claim, so read at most every few seconds in a burst of approvals."""
    return cached_between_withdrawals("contradiction-filter-choices", _filter_choices)


class ContradictionFilterForm(forms.Form):
    """Filters of /contradictions/: each one narrows the list; an invalid one is reported and ignored.

    Actor and source are typed (with suggestions of the most quoted ones): a list of
    every actor and source would be hundreds of kilobytes. An actor is found by slug
    or by name, a source by number or by title, so addresses like ?actor=<slug> keep working.
    """

    actor = forms.CharField(
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"list": "actor-suggestions", "placeholder": _("Any actor"), "autocomplete": "off"}
        ),
    )
    source = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.TextInput(
            attrs={"list": "source-suggestions", "placeholder": _("Any source"), "autocomplete": "off"}
        ),
    )
    year = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label=_("Year asserted"))
    sort = forms.ChoiceField(choices=ContradictionSort.CHOICES, required=False, label=_("Order"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.choices = filter_choices()
        self.fields["year"].choices = [("", _("Any year")), *((year, str(year)) for year in self.choices.years)]

    def clean_actor(self) -> Actor | None:
        value = self.cleaned_data["actor"].strip()
        if not value:
            return None
        actor = Actor.objects.public().filter(Q(slug=value) | Q(name__iexact=value)).order_by("pk").first()
        if actor is None:
            raise forms.ValidationError(_("No actor named “%(name)s” has public claims.") % {"name": value})
        self._show_as("actor", actor.name)
        return actor

    def clean_source(self) -> Source | None:
        value = self.cleaned_data["source"].strip()
        if not value:
            return None
        pk = parse_id(value)
        match = Q(pk=pk) if pk is not None else Q(title__iexact=value)
        source = Source.objects.public().filter(match).defer("text").order_by("pk").first()
        if source is None:
            raise forms.ValidationError(_("No source “%(title)s” has public claims.") % {"title": value})
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
class ActorStance:
    """One of the actor's public stances: light enough to hold every one of a prolific actor's."""

    pk: int
    claim_id: int
    side: str
    note_html: str
    claim: Claim | None = None  # set for the stances on the page shown
    # Where the actor changed position to this stance: the last stance on the other side (reader.positions).
    change_from: "ActorStance | None" = None
    both_sides_in_source: bool = False  # the actor takes both sides in this claim's source

    def get_side_display(self) -> str:
        return Side(self.side).label


@dataclass
class ActorChange:
    """A change of position on the actor's page: the last stance on the old side, the first on the new."""

    proposition: Proposition
    earlier: ActorStance
    later: ActorStance
    order: tuple  # of the later statement (reader.positions.statement_order): newest last


@dataclass
class ActorBothSides:
    """A source in which the actor takes both sides of a proposition: the first stance on each, in text order."""

    proposition: Proposition
    first: ActorStance
    second: ActorStance


@dataclass
class PropositionPosition:
    """An actor's stances on one proposition, and the other actors on the opposing side.

    ``opponents`` (their stances, with claims) is filled for the positions on the page shown.
    """

    proposition: Proposition
    stances: list[ActorStance] = field(default_factory=list)
    opponent_actors: list[Actor] = field(default_factory=list)
    opponents: list[Stance] = field(default_factory=list)

    @property
    def sides(self) -> set[str]:
        return {stance.side for stance in self.stances}


@dataclass
class PositionPart:
    """The part of one position a page shows: its heading, some of its stances, and its opponents where it ends."""

    position: PropositionPosition
    stances: list[ActorStance]
    continued: bool  # it began on an earlier page

    @property
    def ends_here(self) -> bool:
        return self.stances[-1] is self.position.stances[-1]


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


def affiliated_public_actors(actor: Actor) -> list[Actor]:
    return list(Actor.objects.public().filter(affiliation=actor))


# Claims per page of an actor's page; each is shown under every proposition it takes a side on.
ACTOR_CLAIMS_PER_PAGE = 25
# Changes of position, and sources with both sides, summed up at the top of every page of an actor's page.
ACTOR_CHANGES_SHOWN = 5


class ActorPage:
    """What the actor page shows below its header, one page of claims at a time, read on first use.

    Every claim of the actor is placed first (ids, stances and who opposes
    them, in a few light queries), so that the positions are grouped and
    ordered across all pages; only the claims and opponents of the page shown
    are read in full. A page holds ACTOR_CLAIMS_PER_PAGE stances and claims on
    no proposition, in order: positions contradicted by others first, then the
    others by statement, then the claims on no proposition. A position may
    continue on the next page; its opponents are shown where it ends.

    The template keeps the part below the header in a fragment cache for the
    actor's scope (reader.caching.scope_token), so a request runs these queries
    only when something was approved that this page shows, or withdrawn. The
    number of pages is kept for the scope too, for the title.
    """

    def __init__(self, actor: Actor, page: str | None = None):
        self.actor = actor
        self.requested_page = page

    @cached_property
    def _public_claims(self):
        return Claim.objects.public().filter(claimant=self.actor)

    @cached_property
    def _claim_facts(self) -> dict[int, tuple]:
        """Each public claim's (source, asserted date, its precision, offset): its place in time and text."""
        rows = self._public_claims.order_by().values_list(
            "pk", "source_id", "asserted_on", "asserted_precision", "start"
        )
        return {pk: tuple(facts) for pk, *facts in rows}

    def statement(self, stance: ActorStance) -> Statement:
        """What reader.positions reads of one of the actor's stances."""
        return Statement(stance.pk, stance.claim_id, stance.side, *self._claim_facts[stance.claim_id])

    @cached_property
    def claim_ids(self) -> list[int]:
        """The actor's public claims, in the order they were asserted (as reader.positions orders them)."""
        facts = self._claim_facts
        return sorted(facts, key=lambda pk: statement_order(Statement(pk, pk, "", *facts[pk])))

    @cached_property
    def positions(self) -> list[PropositionPosition]:
        """Every proposition the actor takes a public side on, with their stances and opponents (name and slug)."""
        order = {claim_id: n for n, claim_id in enumerate(self.claim_ids)}
        # By claim id alone (index stance_claim_state_idx), as in attach_public_stances.
        links = Stance.objects.filter(claim__in=self._public_claims.values("pk"), state=ReviewState.APPROVED)
        links = sorted(
            links.order_by().values_list("pk", "claim_id", "side", "note_html", "proposition_id"),
            key=lambda link: (order.get(link[1], len(order)), link[0]),
        )
        propositions = Proposition.objects.public().in_bulk({link[4] for link in links})
        positions: dict[int, PropositionPosition] = {}
        for pk, claim_id, side, note_html, proposition_id in links:
            if proposition_id in propositions:
                position = positions.setdefault(proposition_id, PropositionPosition(propositions[proposition_id]))
                position.stances.append(ActorStance(pk, claim_id, side, note_html))
        if positions:
            self._attach_opponent_actors(positions)
        return sorted(positions.values(), key=lambda p: (not p.opponent_actors, p.proposition.statement))

    def _attach_opponent_actors(self, positions: dict[int, PropositionPosition]) -> None:
        others = (
            Stance.objects.public()
            .filter(proposition__in=positions.keys(), side__in=OPPOSING_SIDES.keys())
            .exclude(claim__claimant=self.actor)
            .order_by("claim__claimant__name", "claim__claimant_id")
            .values_list(
                "proposition_id", "side", "claim__claimant_id", "claim__claimant__name", "claim__claimant__slug"
            )
        )
        for proposition_id, side, actor_id, name, slug in others:
            position = positions[proposition_id]
            known = position.opponent_actors
            if OPPOSING_SIDES[Side(side)] in position.sides and not (known and known[-1].pk == actor_id):
                known.append(Actor(pk=actor_id, name=name, slug=slug))

    @cached_property
    def contradicted_by(self) -> list[Actor]:
        """The actors who take the opposing side to this actor somewhere, in order of first appearance."""
        actors: dict[int, Actor] = {}
        for position in self.positions:
            for actor in position.opponent_actors:
                actors.setdefault(actor.pk, actor)
        return list(actors.values())

    @cached_property
    def readings(self) -> tuple[list[ActorChange], list[ActorBothSides]]:
        """The actor's changes of position (newest first) and sources with both sides (reader.positions).

        Marks the stances too: ``change_from`` on the first stance after a
        change, ``both_sides_in_source`` on those in a source with both sides.
        """
        changes, both_sides = [], []
        for position in self.positions:
            stances = {stance.pk: stance for stance in position.stances}
            reading = read_position(self.statement(stance) for stance in position.stances)
            for change in reading.changes:
                earlier, later = stances[change.earlier.stance_id], stances[change.later.stance_id]
                later.change_from = earlier
                changes.append(ActorChange(position.proposition, earlier, later, statement_order(change.later)))
            for pair in reading.both_sides:
                both_sides.append(
                    ActorBothSides(position.proposition, stances[pair.first.stance_id], stances[pair.second.stance_id])
                )
                for stance in position.stances:
                    if stance.side in SIDES and self._claim_facts[stance.claim_id][0] == pair.source_id:
                        stance.both_sides_in_source = True
        changes.sort(key=lambda change: change.order, reverse=True)
        return changes, both_sides

    @property
    def changes(self) -> list[ActorChange]:
        return self.readings[0]

    @property
    def both_sides(self) -> list[ActorBothSides]:
        return self.readings[1]

    @property
    def shown_changes(self) -> list[ActorChange]:
        return self.changes[:ACTOR_CHANGES_SHOWN]

    @property
    def shown_both_sides(self) -> list[ActorBothSides]:
        return self.both_sides[:ACTOR_CHANGES_SHOWN]

    @property
    def change_groups(self) -> list[tuple[Proposition, list[ActorChange]]]:
        """The changes shown, per proposition: the latest changed first, and its changes in date order."""
        groups: dict[int, tuple[Proposition, list[ActorChange]]] = {}
        for change in self.shown_changes:
            groups.setdefault(change.proposition.pk, (change.proposition, []))[1].insert(0, change)
        return list(groups.values())

    @property
    def more_changes(self) -> int:
        return len(self.changes) - len(self.shown_changes)

    @property
    def more_both_sides(self) -> int:
        return len(self.both_sides) - len(self.shown_both_sides)

    def _read_claims(self, claim_ids) -> dict[int, Claim]:
        return (
            Claim.objects.filter(pk__in=set(claim_ids))
            .select_related("source", "claimant", "reported_by")
            .defer("source__text")
            .order_by()
            .in_bulk()
        )

    def attach_claims(self, stances: list[ActorStance], claims: dict[int, Claim] | None = None) -> None:
        """Set ``claim`` on each of these stances, reading those not in ``claims`` in one query."""
        claims = dict(claims or {})
        missing = {stance.claim_id for stance in stances if stance.claim_id not in claims}
        if missing:
            claims |= self._read_claims(missing)
        for stance in stances:
            stance.claim = claims[stance.claim_id]

    def _summed_up(self) -> list[ActorStance]:
        """The stances the top of every page quotes: those of the changes and sources with both sides shown."""
        stances = []
        for change in self.shown_changes:
            stances += [change.earlier, change.later]
        for pair in self.shown_both_sides:
            stances += [pair.first, pair.second]
        return stances

    @cached_property
    def unlinked_claim_ids(self) -> list[int]:
        linked = {stance.claim_id for position in self.positions for stance in position.stances}
        return [claim_id for claim_id in self.claim_ids if claim_id not in linked]

    @cached_property
    def paginator(self) -> Paginator:
        entries = [(position, stance) for position in self.positions for stance in position.stances]
        entries += [(None, claim_id) for claim_id in self.unlinked_claim_ids]
        return Paginator(entries, ACTOR_CLAIMS_PER_PAGE)

    @cached_property
    def page_count(self) -> int:
        return cached_for_scope("actor-page-count", "actor", self.actor.pk, lambda: self.paginator.num_pages)

    @cached_property
    def number(self) -> int:
        """The page shown: the first for a missing or malformed number, the last for one past the end."""
        try:
            number = int(self.requested_page or 1)
        except ValueError:
            return 1
        return number if 1 <= number <= self.page_count else self.page_count

    @cached_property
    def page(self):
        """The page shown, as ``page.parts`` (PositionPart) and ``page.unlinked_claims``, with claims read in full."""
        page = self.paginator.get_page(self.number)
        claim_ids = [stance.claim_id if position else stance for position, stance in page.object_list]
        # The claims quoted above the page and before its changes of position come in the same query.
        quoted = self._summed_up()
        quoted += [stance.change_from for position, stance in page.object_list if position and stance.change_from]
        claims = self._read_claims([*claim_ids, *(stance.claim_id for stance in quoted)])
        attach_translations(claims.values())
        page.quoted_claims = list(claims.values())
        self.attach_claims(quoted, claims)
        page.parts, page.unlinked_claims = [], []
        for position, stance in page.object_list:
            if position is None:
                page.unlinked_claims.append(claims[stance])
                continue
            stance.claim = claims[stance.claim_id]
            if page.parts and page.parts[-1].position is position:
                page.parts[-1].stances.append(stance)
            else:
                page.parts.append(PositionPart(position, [stance], continued=stance is not position.stances[0]))
        page.unlinked_continued = (
            bool(page.unlinked_claims) and page.unlinked_claims[0].pk != self.unlinked_claim_ids[0]
        )
        self._attach_opponents([part.position for part in page.parts])
        return page

    def _attach_opponents(self, positions: list[PropositionPosition]) -> None:
        by_proposition = {position.proposition.pk: position for position in positions}
        if not by_proposition:
            return
        others = (
            public_stances()
            .filter(proposition__in=by_proposition, side__in=OPPOSING_SIDES.keys())
            .exclude(claim__claimant=self.actor)
            .defer("claim__source__text")
            .order_by("claim__claimant__name", "pk")
        )
        for stance in others:
            position = by_proposition[stance.proposition_id]
            if OPPOSING_SIDES[Side(stance.side)] in position.sides:
                stance.proposition = position.proposition
                position.opponents.append(stance)

    @cached_property
    def members(self) -> list[Actor]:
        return affiliated_public_actors(self.actor)


# ---------------------------------------------------------------------------
# Sources


def source_claims(source: Source) -> list[Claim]:
    """The source's public claims in text order, with the propositions they take sides on and their translations."""
    claims = attach_public_stances(
        list(
            Claim.objects.public()
            .filter(source=source)
            .select_related("claimant", "reported_by")
            .order_by("start", "-end", "pk")
        )
    )
    for claim in claims:
        claim.source = source  # a translation's label names the source's language: no query per claim
    attach_translations(claims)
    return claims


def counts() -> dict[str, int]:
    return {
        "contradictions": Proposition.objects.contradictions().count(),
        "disputed_facts": Question.objects.contradictions().count(),
        "claims": Claim.objects.public().count(),
        "actors": Actor.objects.public().count(),
        "sources": Source.objects.public().count(),
    }


@dataclass(frozen=True, slots=True)
class SideActor:
    """A claimant on one side of a contradiction in a list: what the list shows of them (name, address)."""

    pk: int
    name: str
    slug: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


def actor_address():
    """A function giving an actor page's address from its slug, in the active language, with one ``reverse``.

    A list of contradictions names hundreds of claimants; a slug is made of
    letters, digits, hyphens and underscores, which an address carries as they are.
    """
    head, _, tail = reverse("reader:actor", args=["0"]).rpartition("/0/")
    return lambda slug: f"{head}/{slug}/{tail}"


def attach_side_actors(propositions) -> list[Proposition]:
    """Set ``supporters`` and ``disputers`` (claimants, deduplicated: ``SideActor``) on each proposition, in one
    query."""
    propositions = list(propositions)
    for proposition in propositions:
        proposition.supporters, proposition.disputers = [], []
    by_pk = {p.pk: p for p in propositions}
    address = actor_address()
    # One row per proposition, side and claimant (not per stance: a contradiction may have hundreds),
    # in the order of each claimant's first claim on that side.
    rows = (
        Stance.objects.public()
        .filter(proposition__in=by_pk, side__in=OPPOSING_SIDES.keys())
        .values_list("proposition_id", "side", "claim__claimant_id", "claim__claimant__name", "claim__claimant__slug")
        .annotate(first_asserted=Min("claim__asserted_on"), first_stance=Min("pk"))
        .order_by(F("first_asserted").asc(nulls_first=True), "first_stance")
    )
    for proposition_pk, side, actor_pk, name, slug, _first_asserted, _first_stance in rows:
        proposition = by_pk[proposition_pk]
        actors = proposition.supporters if side == Side.SUPPORTS else proposition.disputers
        actors.append(SideActor(actor_pk, name, slug, address(slug)))
    return propositions


# ---------------------------------------------------------------------------
# Citations (reader.citations): the records a citation names, read in one query each


def citation_stances(proposition: Proposition) -> list[Stance]:
    """The proposition's public stances with their claimants, in date order as its page lists them."""
    return list(
        Stance.objects.public()
        .filter(proposition=proposition)
        .select_related("claim__claimant")
        .only("side", "reviewed_at", "claim__reviewed_at", "claim__claimant__name")
        .order_by(F("claim__asserted_on").asc(nulls_last=True), "claim__source_id", "claim__start", "pk")
    )


def citation_answers(question) -> list[tuple]:
    """(reviewed at, claimant's name) of a question's public answers, in the order they were asserted."""
    answers = Answer.objects.public().filter(question=question)
    return list(
        answers.order_by(F("claim__asserted_on").asc(nulls_last=True), "pk").values_list(
            "reviewed_at", "claim__claimant__name"
        )
    )


def citation_claims():
    """Public claims with what their citation names: source (without its text), claimant and reporter."""
    return Claim.objects.public().select_related("source", "claimant", "reported_by").defer("source__text")
