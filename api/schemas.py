"""The shapes the API reads and writes, for validation and for the OpenAPI schema.

Public records are built as plain dicts by ``api.records`` (which reuses
``reader.public_json``, the shapes of the contradiction pages' .json); these
classes describe those dicts, and ninja checks every answer against them.
Timestamps are ISO 8601 strings as the .json pages give them; partial dates
(``asserted``, ``published``) are "YYYY", "YYYY-MM" or "YYYY-MM-DD".
"""

import datetime
import re
from typing import Literal

from django.conf import settings
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from ninja import Field, Schema
from pydantic import field_validator

from config.middleware import MAX_ID, parse_id
from sources.dates import parse_partial_date

SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,80}$")
_LANGUAGE_TAG = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
Timestamp = str | None
Side = Literal["supports", "disputes", "qualifies"]

# ---------------------------------------------------------------------------
# Public records


class SideActor(Schema):
    slug: str
    name: str
    url: str


class ActorRef(SideActor):
    kind: str


class Affiliation(Schema):
    name: str
    slug: str | None = Field(description="Set when the body has a public page.")
    url: str | None


class Actor(ActorRef):
    aliases: list[str]
    affiliation: Affiliation | None
    description: str = Field(description="Markdown.")


class SourceRef(Schema):
    id: int
    title: str
    outlet: str
    authors: list[str]
    published: str | None = Field(description="YYYY, YYYY-MM or YYYY-MM-DD; null when unknown.")
    language: str = Field(description="BCP 47 tag.")
    original_url: str | None
    url: str


class Source(SourceRef):
    notes: str = Field(description="Provenance notes.")


class SourceWithText(Source):
    text: str = Field(description="The text quotes are anchored in: normalized plain text (NFC, \\n line breaks).")
    text_sha256: str


class TextPositionSelector(Schema):
    type: Literal["TextPositionSelector"]
    start: int
    end: int


class TextQuoteSelector(Schema):
    type: Literal["TextQuoteSelector"]
    exact: str
    prefix: str
    suffix: str


class PropositionRef(Schema):
    slug: str
    statement: str
    url: str


class ClaimStance(Schema):
    id: int
    side: Side
    proposition: PropositionRef


class ClaimBase(Schema):
    id: int
    url: str
    claimant: ActorRef
    reported_by: ActorRef | None
    quote: str
    paraphrase: str
    asserted: str | None = Field(description="When it was asserted: YYYY, YYYY-MM or YYYY-MM-DD; null when unknown.")
    selectors: list[TextPositionSelector | TextQuoteSelector] = Field(
        description="W3C Web Annotation selectors into the source's text."
    )
    source: SourceRef
    approved_at: Timestamp


class QuoteTranslation(Schema):
    language: str = Field(description="The language translated into, a BCP 47 tag: en, ur, fa, ps, ar, …")
    text: str = Field(description="The translation. The claim's quote stays the original, which alone is anchored.")
    translator: str = Field(description="Who translated it: a person, or e.g. a team or a checked machine translation.")
    kind: Literal["human", "machine"]
    approved_at: Timestamp


class Claim(ClaimBase):
    stances: list[ClaimStance] = Field(description="The public propositions this claim takes a side on.")
    translations: list[QuoteTranslation] = Field(
        description="Reviewed translations of the quote, one per language, by language; approved ones only."
    )


class Stance(Schema):
    id: int
    side: Side
    note: str = Field(description="Markdown.")
    proposition: PropositionRef
    claim: ClaimBase


class Counts(Schema):
    supports: int
    disputes: int
    qualifies: int


class ContradictionSummary(Schema):
    slug: str
    statement: str
    url: str
    counts: Counts
    became_contradiction_at: Timestamp
    supporters: list[SideActor] = Field(description="Claimants on the supporting side.")
    disputers: list[SideActor] = Field(description="Claimants on the disputing side.")


class SideClaim(ClaimBase):
    side: Side
    note: str
    translations: list[QuoteTranslation] = Field(
        description="Reviewed translations of the quote, one per language, by language; approved ones only."
    )


class Contradiction(Schema):
    slug: str
    statement: str
    description: str = Field(description="Markdown.")
    url: str
    is_contradiction: bool
    counts: Counts
    became_contradiction_at: Timestamp
    last_reviewed_at: Timestamp
    claims: list[SideClaim]


class Page(Schema):
    next: str | None = Field(description="The address of the next page, or null on the last.")
    next_cursor: str | None = Field(description="The cursor of the next page, to pass as cursor=.")


class ContradictionPage(Page):
    items: list[ContradictionSummary]


class ClaimPage(Page):
    items: list[Claim]


class StancePage(Page):
    items: list[Stance]


class ActorPage(Page):
    items: list[Actor]


class SourcePage(Page):
    items: list[Source]


# Questions: disputed facts (reader.questions' question_record, question_json and answer_value_json)

ValueType = Literal["date", "quantity", "actor", "yes_no"]


class QuestionRef(Schema):
    type: Literal["question"]
    slug: str
    question: str
    description: str = Field(description="Markdown.")
    url: str
    value_type: ValueType = Field(description="What the question asks for: a date, a number, an actor, or yes or no.")
    unit: str | None = Field(description="For numbers: what is counted.")
    tolerance_percent: int = Field(description="For numbers: how far apart two figures may be and still agree.")
    is_contradiction: bool = Field(description="Whether two of its approved answers cannot both be true.")


class TypedValue(Schema):
    """A value as an interval, so that values can be compared; which fields it has depends on value_type."""

    value: str = Field(description="The value in words, as the question's page writes it.")
    low: str | None = Field(
        None, description="Dates: the first day it allows (YYYY-MM-DD). Numbers: the lower bound; null for “at most”."
    )
    high: str | None = Field(
        None, description="Dates: the last day it allows (YYYY-MM-DD). Numbers: the upper bound; null for “at least”."
    )
    precision: Literal["day", "month", "year", "range"] | None = Field(None, description="Dates: as written.")
    approximate: bool | None = Field(None, description="Numbers: written as about, around, some ….")
    actor: str | None = Field(None, description="Actors: the slug of the actor named.")
    yes: bool | None = Field(None, description="Yes or no: true for yes.")


class AnswerClaim(ClaimBase):
    translations: list[QuoteTranslation] = Field(
        description="Reviewed translations of the quote, one per language, by language; approved ones only."
    )


class StatedAnswer(Schema):
    stated_as: str = Field(description="The value as the quote states it.")
    claim: AnswerClaim


class AnsweredValue(TypedValue):
    answers: list[StatedAnswer] = Field(description="The approved claims that state this value.")


class Question(QuestionRef):
    values: list[AnsweredValue] = Field(description="The values its approved answers give, in value order.")
    conflicts: list[list[str]] = Field(description="Pairs of values (as written in value) that cannot both be true.")
    related_propositions: list[str] = Field(description="Addresses of related public contradictions.")
    last_reviewed: Timestamp = Field(description="When it or one of its answers was last approved.")


class ValueCount(TypedValue):
    answers_count: int = Field(description="How many approved answers give this value.")


class QuestionSummary(QuestionRef):
    answers_count: int = Field(description="Its approved answers.")
    values: list[ValueCount] = Field(description="The values its approved answers give, in value order.")
    conflicts: list[list[str]] = Field(description="Pairs of values (as written in value) that cannot both be true.")
    last_reviewed: Timestamp = Field(description="When it or one of its answers was last approved.")


class QuestionPage(Page):
    items: list[QuestionSummary]


class Problem(Schema):
    """RFC 9457 problem details."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict] | None = Field(
        None, description="One per field at fault: detail, and pointer (body), parameter or header."
    )


# ---------------------------------------------------------------------------
# Filters of the lists


def _end_of(value: str) -> datetime.date:
    """The last day a partial date covers: 2022 → 2022-12-31, 2022-02 → 2022-02-28."""
    date, precision = parse_partial_date(value)
    if precision == "year":
        return date.replace(month=12, day=31)
    if precision == "month":
        following = date.replace(day=28) + datetime.timedelta(days=4)
        return following - datetime.timedelta(days=following.day)
    return date


class ListFilters(Schema):
    """What every list can be narrowed by; each narrows to records with a public claim that matches."""

    actor: str | None = Field(None, description="Slug of an actor: claims by them or reported by them.")
    source: str | None = Field(None, description="Id of a source: claims in it.")
    proposition: str | None = Field(None, description="Slug of a proposition: claims taking a side on it.")
    language: str | None = Field(None, description="Language of the claim's source, a BCP 47 tag such as en or ur.")
    asserted_from: str | None = Field(
        None, description="Claims asserted on or after this date: YYYY, YYYY-MM or YYYY-MM-DD."
    )
    asserted_to: str | None = Field(
        None,
        description="Claims asserted on or before this date (its whole year or month): YYYY, YYYY-MM or YYYY-MM-DD.",
    )
    updated_since: str | None = Field(
        None,
        description="Records changed (for a contradiction: it, or one of its public stances or their claims) at or "
        "after this time, ISO 8601; without a zone, UTC.",
    )
    cursor: str | None = Field(None, description="From next_cursor of the page before; omit for the first page.")
    limit: int | None = Field(None, description="Items per page: 50 unless given, at most 200.")

    @field_validator("actor", "proposition")
    @classmethod
    def _slug(cls, value):
        if value is not None and not SLUG.match(value):
            raise ValueError("Give a slug: letters, digits and hyphens, as in the record's public address.")
        return value

    @field_validator("source")
    @classmethod
    def _id(cls, value):
        if value is not None and parse_id(value) is None:
            raise ValueError("Give a source's id: a whole number, as in /sources/<id>/.")
        return value

    @field_validator("language")
    @classmethod
    def _language(cls, value):
        if value is not None and not _LANGUAGE_TAG.match(value):
            raise ValueError("Give a language tag such as en, fa, ur, ps, ar or en-GB.")
        return value

    @field_validator("asserted_from", "asserted_to")
    @classmethod
    def _partial_date(cls, value):
        if value is not None:
            parse_partial_date(value)  # raises ValueError saying what is wrong
        return value

    @field_validator("updated_since")
    @classmethod
    def _timestamp(cls, value):
        if value is not None and _timestamp(value) is None:
            raise ValueError("Give a time in ISO 8601, such as 2026-01-31T12:00:00Z or 2026-01-31.")
        return value

    @field_validator("limit")
    @classmethod
    def _limit(cls, value):
        if value is not None and not 1 <= value <= settings.API_MAX_PAGE_SIZE:
            raise ValueError(f"Ask for 1 to {settings.API_MAX_PAGE_SIZE} items a page.")
        return value

    @property
    def asserted_range(self) -> tuple[datetime.date | None, datetime.date | None]:
        start = parse_partial_date(self.asserted_from)[0] if self.asserted_from else None
        return start, _end_of(self.asserted_to) if self.asserted_to else None

    @property
    def updated_since_time(self) -> datetime.datetime | None:
        return _timestamp(self.updated_since) if self.updated_since else None

    @property
    def page_size(self) -> int:
        return self.limit or settings.API_PAGE_SIZE


class StanceFilters(ListFilters):
    side: Side | None = Field(None, description="Only stances on this side.")


class QuestionFilters(ListFilters):
    """The lists' filters read through the answers: a question is kept when a public claim answering it matches."""

    disputed: bool | None = Field(
        None, description="true: only questions whose approved answers conflict; false: only those whose answers agree."
    )

    @field_validator("disputed", mode="before")
    @classmethod
    def _true_or_false(cls, value):
        if value is None or isinstance(value, bool):
            return value
        if isinstance(value, str) and value in ("true", "false"):
            return value == "true"
        raise ValueError("Give true (disputed facts only) or false (questions whose answers agree).")


def _timestamp(value: str) -> datetime.datetime | None:
    """An ISO 8601 time (a date alone is its midnight), aware, in UTC when no zone is given; None if unreadable."""
    try:
        moment = parse_datetime(value)
        if moment is None and _ISO_DATE.match(value):
            moment = datetime.datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment is None:
        return None
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=datetime.UTC)


# ---------------------------------------------------------------------------
# Writing drafts


class NewSource(Schema):
    title: str = Field(description="The source's title.")
    text: str = Field(description="The text, pasted: it is normalized exactly as at the desk's import.")
    url: str = ""
    outlet: str = ""
    authors: str = Field("", description="Separate several with commas.")
    published: str = Field("", description="YYYY, YYYY-MM or YYYY-MM-DD; empty if unknown.")
    language: str = Field("en", description="A language tag: en, fa, ur, ps, ar, …")
    notes: str = Field("", description="Provenance notes.")


class NewClaim(Schema):
    source: int = Field(ge=1, le=MAX_ID, description="The id of the source the quote is in.")
    quote: str = Field(description="The exact quote; the server anchors it in the source's text.")
    start: int | None = Field(
        None, ge=0, le=MAX_ID, description="Where the quote starts, to choose between occurrences."
    )
    prefix: str = Field("", description="Text just before the quote, to choose between occurrences.")
    suffix: str = Field("", description="Text just after the quote, to choose between occurrences.")
    claimant: str = Field(description="Who asserted it: an actor's name or alias.")
    claimant_is_new: bool = Field(False, description="Create the claimant as a new actor (a draft).")
    claimant_kind: str = Field("person", description="Kind of a new claimant.")
    paraphrase: str = Field(description="One line, in your words.")
    asserted: str = Field("", description="When it was asserted: YYYY, YYYY-MM or YYYY-MM-DD; empty if unknown.")
    reported_by: str = Field("", description="For reported speech: who reports that the claimant said it.")
    reported_by_is_new: bool = False
    reported_by_kind: str = "media_outlet"
    proposition: str = Field("", description="Optional: the statement or slug of the proposition it takes a side on.")
    proposition_is_new: bool = Field(False, description="Create the proposition (a draft).")
    side: Side | Literal[""] = Field("", description="With a proposition: supports, disputes or qualifies.")


class NewStance(Schema):
    claim: int = Field(ge=1, le=MAX_ID, description="The id of the claim.")
    proposition: str = Field(description="The slug of the proposition.")
    side: Side


class NewProposition(Schema):
    statement: str = Field(description="The contested statement, as one sentence.")
    description: str = Field("", description="Markdown.")


class DraftActor(Schema):
    name: str
    slug: str
    state: str


class DraftProposition(Schema):
    slug: str
    statement: str
    state: str
    desk_url: str


class DraftSource(Schema):
    id: int
    title: str
    state: str
    desk_url: str


class DraftStance(Schema):
    id: int
    claim: int
    proposition: DraftProposition
    side: Side
    state: str
    desk_url: str


class DraftClaim(Schema):
    id: int
    state: str
    quote: str
    selectors: list[TextPositionSelector | TextQuoteSelector]
    claimant: DraftActor
    reported_by: DraftActor | None
    paraphrase: str
    asserted: str | None
    source: int
    stance: DraftStance | None
    desk_url: str


class Submitted(Schema):
    submitted: dict[str, int] = Field(description="How many records of each kind were sent to review.")
    detail: str


class Citation(Schema):
    """A record's citation in every format the public pages offer (reader.citations)."""

    text: str = Field(description="A reference to copy, naming today as the date accessed.")
    bibtex: str = Field(description="A BibTeX @misc entry, UTF-8, LaTeX specials escaped.")
    ris: str = Field(description="A RIS record, one tagged line per field, CRLF line endings.")
    csl: dict = Field(description="One CSL-JSON item (CSL 1.0.2), the record's text exactly as recorded.")
    files: dict[str, str] = Field(description="The same as files to download: bib, ris and json (CSL-JSON).")
