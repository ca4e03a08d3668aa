"""What readers are told about a source's captures: the archived copy, the latest re-check, and dated notices.

Captures and re-checks are facts about a page, not claims about the world, so
they are not reviewed; what readers see of them is bounded by what they already
see. Only sources readers may see get these notices, and only the approved
claims a page shows are named: the quote checks are read for those claims only.

The rules (see also sources.recheck):

- The archived copy is the capture the source's text was taken from: the
  first successful capture made when it was imported from its address.
- Per claim, the notice comes from the latest re-check that reached the page
  (a re-check that failed says nothing about the quotes). A quote that is
  gone gets "the live page no longer contains this quote (checked DATE); the
  archived copy of DATE does"; an altered one gets the same with the
  difference, word by word; a moved one gets a quiet note on the source's own
  page and nothing on contradiction pages; a quote still present, nothing.
- The page itself gets a notice once the last ``FAILURES_BEFORE_NOTICE``
  re-checks in a row failed (gone, or not reached): a single failure is more
  often a server having a bad minute than a page taken down, so it is shown
  at the desk only. While the page notice stands, each claim from the source
  on a contradiction page says that the live page is gone or unreachable.
"""

from dataclasses import dataclass
from functools import cached_property

from django.db.models import F, Window
from django.db.models.functions import RowNumber

from claims.models import Stance
from sources.models import Capture, QuoteCheck, Source

FAILURES_BEFORE_NOTICE = 2
# Re-checks read per source: enough to see a run of failures and the last re-check that reached the page.
RECENT_RECHECKS = 10
# What a public page reads of a capture: never its WARC bytes nor its text.
_CAPTURE_FIELDS = (
    "pk",
    "source_id",
    "purpose",
    "requested_url",
    "final_url",
    "retrieved_at",
    "status",
    "content_type",
    "body_sha256",
    "body_size",
    "problem",
    "outcome",
)


@dataclass
class SourceArchive:
    """One source's captures as readers see them: the archived copy and the recent re-checks (latest first)."""

    original: Capture | None = None
    rechecks: tuple[Capture, ...] = ()

    @property
    def latest_check(self) -> Capture | None:
        return self.rechecks[0] if self.rechecks else None

    @cached_property
    def last_reached(self) -> Capture | None:
        """The latest re-check that reached the page (within the last RECENT_RECHECKS)."""
        return next((capture for capture in self.rechecks if capture.succeeded), None)

    @cached_property
    def failures(self) -> list[Capture]:
        """The re-checks that failed in a row up to the latest, latest first."""
        failed = []
        for capture in self.rechecks:
            if capture.succeeded:
                break
            failed.append(capture)
        return failed

    @property
    def page_notice(self) -> str:
        """ "gone" or "unreachable" once the page failed FAILURES_BEFORE_NOTICE re-checks in a row, else ""."""
        if len(self.failures) < FAILURES_BEFORE_NOTICE:
            return ""
        return "gone" if self.failures[0].outcome == Capture.Outcome.GONE else "unreachable"

    @property
    def failing_since(self):
        return self.failures[-1].retrieved_at if self.failures else None

    @property
    def live_copy(self) -> Capture | None:
        """The last re-check that reached the page, when its body differs from the archived copy's."""
        reached = self.last_reached
        if reached is None or (self.original and reached.body_sha256 == self.original.body_sha256):
            return None
        return reached


@dataclass(frozen=True)
class QuoteNotice:
    """What a page says next to one claim about its quote on the live page.

    ``kind`` is "gone", "altered" or "moved" (from the quote check), or
    "page-gone" / "page-unreachable" (from the page notice).
    """

    kind: str
    checked_at: object  # datetime of the re-check
    archived: Capture | None  # the archived copy that holds the quote as recorded
    found_text: str = ""


@dataclass(frozen=True)
class QuoteCounts:
    """How many of the claims a page shows have a quote no longer on the live page as quoted (gone or altered)."""

    total: int
    changed: int


def quote_counts(claims) -> QuoteCounts:
    notices = [getattr(claim, "recheck_notice", None) for claim in claims]
    changed = sum(1 for notice in notices if notice is not None and notice.kind in ("gone", "altered"))
    return QuoteCounts(total=len(notices), changed=changed)


def archives_for(source_ids) -> dict[int, SourceArchive]:
    """Each source's archive (SourceArchive), in one query; sources without captures get an empty one."""
    archives = {pk: SourceArchive() for pk in source_ids}
    if not archives:
        return archives
    latest_first = Window(
        RowNumber(), partition_by=[F("source_id"), F("purpose")], order_by=[F("retrieved_at").desc(), F("pk").desc()]
    )
    captures = (
        Capture.objects.filter(source_id__in=archives)
        .only(*_CAPTURE_FIELDS)
        .annotate(recent=latest_first)
        .filter(recent__lte=RECENT_RECHECKS)
        .order_by("source_id", "-retrieved_at", "-pk")
    )
    rechecks: dict[int, list[Capture]] = {pk: [] for pk in archives}
    for capture in captures:
        if capture.purpose == Capture.Purpose.RECHECK:
            rechecks[capture.source_id].append(capture)
        elif capture.succeeded:  # imports, latest first: the last one seen is the first made
            archives[capture.source_id].original = capture
    for pk, archive in archives.items():
        archive.rechecks = tuple(rechecks[pk])
    return archives


def attach_quote_checks(claims, archives: dict[int, SourceArchive]) -> None:
    """Set ``claim.quote_check`` (from the last re-check that reached its page, or None), in one query at most."""
    captures = {archive.last_reached.pk for archive in archives.values() if archive.last_reached}
    for claim in claims:
        claim.quote_check = None
    if not captures or not claims:
        return
    by_claim = {claim.pk: claim for claim in claims}
    checks = QuoteCheck.objects.filter(capture_id__in=captures, claim_id__in=by_claim).only(
        "capture_id", "claim_id", "outcome", "found_text"
    )
    for check in checks:
        claim = by_claim[check.claim_id]
        if archives[claim.source_id].last_reached.pk == check.capture_id:
            claim.quote_check = check


def quote_notice(claim, archive: SourceArchive) -> QuoteNotice | None:
    """The notice shown with ``claim`` (its quote check must be attached), or None."""
    if archive.page_notice:
        return QuoteNotice(f"page-{archive.page_notice}", archive.latest_check.retrieved_at, archive.original)
    check = getattr(claim, "quote_check", None)
    if check is None or check.outcome == QuoteCheck.Outcome.PRESENT:
        return None
    return QuoteNotice(check.outcome, archive.last_reached.retrieved_at, archive.original, check.found_text)


def pages_showing_captures(source_id: int) -> set[tuple[str, int]]:
    """The public pages (scopes, as reader.caching.scope_token names them) that show this source's notices.

    Its own page and every contradiction quoting one of its approved claims;
    none if readers do not see the source.
    """
    if not Source.objects.public().filter(pk=source_id).exists():
        return set()
    quoting = Stance.objects.public().filter(claim__source_id=source_id).values_list("proposition_id", flat=True)
    return {("source", source_id)} | {("proposition", pk) for pk in quoting}


def attach_notices(claims) -> dict[int, SourceArchive]:
    """Set ``claim.recheck_notice`` on each of these public claims (two queries at most); returns the archives."""
    archives = archives_for({claim.source_id for claim in claims})
    attach_quote_checks(claims, archives)
    for claim in claims:
        claim.recheck_notice = quote_notice(claim, archives[claim.source_id])
    return archives
