"""The hostile payload corpus, approved records carrying it in every field, and the pages that show them.

The payloads travel in batches: ``batch_payloads`` packs the corpus into
batches of at most BATCH_LENGTH characters (the narrowest field that reaches
a page, an actor's name), and ``create_hostile_records`` stores one batch,
joined, in every field of a source, two actors, a proposition, two claims and
two stances, all approved. So every payload reaches every field of every page
kind while each page carries a whole batch: a few dozen pages show the corpus.

Shared by the HTML checks (tests/security/test_hostile_payloads.py) and the
browser test (tests/browser/test_hostile_payloads.py). To cover a new page,
add a row to PAGES.
"""

import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from unittest import mock
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from claims.models import Actor, Claim, Proposition, Side, Stance
from sources.anchoring import AnchorError
from sources.models import Source

PAYLOADS_PATH = Path(__file__).with_name("payloads.txt")
_ESCAPE = re.compile(r"\{(U\+[0-9A-Fa-f]{4,6}|TAB|LF|CR|NUL)\}")
_NAMED = {"TAB": "\t", "LF": "\n", "CR": "\r", "NUL": "\x00"}


def _unescape(match: re.Match) -> str:
    token = match.group(1)
    return _NAMED.get(token) or chr(int(token[2:], 16))


def load_payloads() -> list[str]:
    """The corpus, one payload per non-comment line, with {U+XXXX}, {TAB}, {LF}, {CR}, {NUL} decoded."""
    lines = PAYLOADS_PATH.read_text(encoding="utf-8").splitlines()
    return [_ESCAPE.sub(_unescape, line) for line in lines if line.strip() and not line.startswith("#")]


PAYLOADS = load_payloads()


# An actor's name and a source's outlet take 200 characters, a search 200: a batch fits all of them.
BATCH_LENGTH = 200
SEPARATOR = " "


def batch_payloads(payloads: list[str], limit: int = BATCH_LENGTH) -> list[list[str]]:
    """The payloads in order, packed into batches whose joined length stays within ``limit``."""
    batches: list[list[str]] = [[]]
    for payload in payloads:
        if batches[-1] and len(SEPARATOR.join([*batches[-1], payload])) > limit:
            batches.append([])
        batches[-1].append(payload)
    return batches


def marker(number: int) -> str:
    """A word that finds batch ``number``'s records in the desk's type-ahead and search."""
    return f"Batch{number:03d}"


@dataclass
class HostileRecords:
    """One batch of payloads, joined, approved and public in every field that reaches a page.

    ``pending`` is a claim in the same fields that waits for review (for the review
    queue and the analyst's desk home). The source's URL is one of the payloads it accepts.
    """

    number: int
    payloads: list[str]
    joined: str
    source: Source
    claimant: Actor
    reporter: Actor
    proposition: Proposition
    claims: list[Claim]
    stances: list[Stance]
    pending: Claim

    @property
    def marker(self) -> str:
        return marker(self.number)


def _storable(text: str) -> str:
    # PostgreSQL cannot store NUL in text at all (forms refuse it before it gets there).
    return text.replace("\x00", "\ufffd") if connection.vendor == "postgresql" else text


def url_is_refused(value: str) -> bool:
    """True if a Source refuses ``value`` as its URL (as it does on every save)."""
    try:
        Source._meta.get_field("url").run_validators(value)
    except ValidationError:
        return True
    return False


def _quoted_passage(source: Source, opening: str, closing: str) -> str:
    """The payloads as they stand in the normalized text, between the two markers."""
    return source.text[source.text.index(opening) + len(opening) : source.text.index(closing)].strip()


def create_hostile_records(number: int, payloads: list[str], *, analyst, reviewer, url: str = "") -> HostileRecords:
    """Create and approve a source, two actors, a proposition, two claims and two stances carrying the batch."""
    from tests.base import approve

    joined = SEPARATOR.join(payloads)
    value = _storable(joined)
    tag = marker(number)
    opening, closing = f"Report {number} begins.", f"Report {number} ends."
    source = Source.objects.create(
        state="approved",
        title=value,
        outlet=value,
        authors=value,
        notes=value,
        url=url,
        language="fa" if re.search(r"[\u0600-\u06ff]", joined) else "en",
        text=f"{opening}\n\n{joined}\n\n{closing}",
        created_by=analyst,
    )
    reporter = Actor.objects.create(state="approved", name=f"Reporter {number}", kind="media_outlet", description=value)
    claimant = Actor.objects.create(
        state="approved", name=value, aliases=f"{tag}\n{value}", description=value, affiliation=reporter
    )
    proposition = approve(
        Proposition.objects.create(statement=f"{tag} {value}", description=value, created_by=analyst), reviewer
    )
    passage = _quoted_passage(source, opening, closing)
    fields = {"claimant": claimant, "reported_by": reporter, "created_by": analyst}
    with transaction.atomic():
        try:
            quoted = Claim.record(source=source, quote=passage, paraphrase=f"{tag} {value}", **fields)
        except AnchorError as error:  # the passage is the text itself: anchoring it cannot fail
            raise AssertionError(f"batch {number} does not anchor: {error}") from None
    supporting = approve(quoted, reviewer)
    disputing = approve(
        Claim.record(
            source=source, quote=closing, paraphrase=f"{number}: {value}", claimant=reporter, created_by=analyst
        ),
        reviewer,
    )
    stances = [
        approve(
            Stance.objects.create(claim=claim, proposition=proposition, side=side, note=note, created_by=analyst),
            reviewer,
        )
        for claim, side, note in (
            (supporting, Side.SUPPORTS, value),
            (disputing, Side.DISPUTES, f"Note {number}: {value}"),
        )
    ]
    pending = Claim.record(source=source, quote=opening, paraphrase=f"{tag} {value}", **fields)
    pending.submit(analyst)
    proposition.refresh_from_db()
    return HostileRecords(
        number=number,
        payloads=payloads,
        joined=joined,
        source=source,
        claimant=claimant,
        reporter=reporter,
        proposition=proposition,
        claims=[supporting, disputing],
        stances=stances,
        pending=pending,
    )


def create_all_hostile_records(*, analyst, reviewer, payloads: list[str] = PAYLOADS) -> list[HostileRecords]:
    """One record set per batch, then the search index built once (not re-indexed on every save).

    The payloads a source accepts as its URL become the URLs of the first sources, one each.
    """
    urls = [_storable(payload) for payload in payloads if not url_is_refused(_storable(payload))]
    with mock.patch("search.sync.index_record"):
        records = [
            create_hostile_records(
                number, batch, analyst=analyst, reviewer=reviewer, url=urls[number] if number < len(urls) else ""
            )
            for number, batch in enumerate(batch_payloads(payloads))
        ]
    call_command("rebuild_search_index", stdout=io.StringIO())
    return records


# ---------------------------------------------------------------------------
# The pages


@dataclass(frozen=True)
class Page:
    """A kind of page that shows what the records carry.

    ``user`` is who looks: "reader" (anonymous), "analyst" or "reviewer". ``format``
    is "html", "atom" or "json". ``htmx`` requests send the HX-Request header (and
    ``target`` as HX-Target). ``browser`` pages are loaded in Chromium too.
    """

    name: str
    urls: Callable[[list[HostileRecords]], Iterable[str]]
    user: str = "reader"
    format: str = "html"
    htmx: bool = False
    target: str = ""
    browser: bool = True

    def __post_init__(self):
        # Fragments are checked as HTML; in the browser they arrive inside the page that asked for them.
        if self.htmx or self.format != "html":
            object.__setattr__(self, "browser", False)

    def headers(self) -> dict[str, str]:
        if not self.htmx:
            return {}
        return {"HX-Request": "true", **({"HX-Target": self.target} if self.target else {})}


def _every_list_page(name: str, per_page: int = 20) -> Callable[[list[HostileRecords]], Iterable[str]]:
    def urls(records: list[HostileRecords]) -> Iterable[str]:
        pages = max(1, -(-len(records) // per_page))
        return [f"{reverse(name)}?{urlencode({'page': page})}" for page in range(1, pages + 1)]

    return urls


def _each(url: Callable[[HostileRecords], str]) -> Callable[[list[HostileRecords]], Iterable[str]]:
    return lambda records: [url(record) for record in records]


def _query(name: str, **params: Callable[[HostileRecords], str]) -> Callable[[list[HostileRecords]], Iterable[str]]:
    return _each(lambda record: f"{reverse(name)}?{urlencode({key: get(record) for key, get in params.items()})}")


def _admin_change(model: str, every: int) -> Callable[[list[HostileRecords]], Iterable[str]]:
    def url(record: HostileRecords) -> str:
        obj = {
            "claim": record.claims[0],
            "source": record.source,
            "actor": record.claimant,
            "proposition": record.proposition,
            "stance": record.stances[0],
        }[model]
        return reverse(f"admin:{obj._meta.app_label}_{model}_change", args=[obj.pk])

    return lambda records: [url(record) for record in records[::every]]


def _admin_lists(records: list[HostileRecords]) -> Iterable[str]:
    lists = ["claims_claim", "claims_actor", "claims_proposition", "claims_stance", "sources_source"]
    return [f"{reverse(f'admin:{name}_changelist')}?{urlencode({'all': ''})}" for name in lists]


ADMIN_EVERY = 4

# Every page that shows what the records carry. Add new pages here.
# (A reporter's own page shows nothing the claimant's and the contradiction page do not.)
PAGES = [
    # Public pages, for a reader
    Page("home", lambda records: [reverse("reader:home")]),
    Page("contradiction list", _every_list_page("reader:contradictions")),
    Page("contradiction", _each(lambda record: record.proposition.get_absolute_url())),
    Page("claimant", _each(lambda record: record.claimant.get_absolute_url())),
    Page("source", _each(lambda record: record.source.get_absolute_url())),
    Page("embed", _each(lambda record: reverse("reader:embed_contradiction", args=[record.proposition.slug]))),
    Page("search", _query("reader:search", q=lambda record: record.joined)),
    Page("feed", lambda records: [reverse("reader:feed")], format="atom"),
    Page(
        "contradiction JSON",
        _each(lambda record: reverse("reader:contradiction_json", args=[record.proposition.slug])),
        format="json",
    ),
    # The desk, for an analyst
    Page("desk home", lambda records: [reverse("desk:home")], user="analyst"),
    Page("annotate", _each(lambda record: reverse("desk:source", args=[record.source.pk])), user="analyst"),
    Page("board", _each(lambda record: reverse("desk:board", args=[record.proposition.slug])), user="analyst"),
    Page(
        "board claim search",
        _each(lambda record: f"{reverse('desk:board', args=[record.proposition.slug])}?q={record.marker}"),
        user="analyst",
        htmx=True,
        target="claim-results",
    ),
    Page(
        "stance card",
        _each(lambda record: reverse("desk:stance_card", args=[record.stances[0].pk])),
        user="analyst",
        htmx=True,
    ),
    Page("desk propositions", _query("desk:propositions", q=lambda record: record.marker), user="analyst", htmx=True),
    Page(
        "actor type-ahead",
        _query("desk:actor_suggestions", field=lambda record: "claimant", claimant=lambda record: record.marker),
        user="analyst",
        htmx=True,
    ),
    Page(
        "proposition type-ahead",
        _query(
            "desk:proposition_suggestions", field=lambda record: "statement", statement=lambda record: record.marker
        ),
        user="analyst",
        htmx=True,
    ),
    Page(
        "duplicate claim hints",
        _query("desk:similar_claims", paraphrase=lambda record: record.marker),
        user="analyst",
        htmx=True,
    ),
    # The admin, for a reviewer; HTML checks only. The queue and the change lists show every batch;
    # a change page renders each field through the same widget whatever the batch, so every
    # ADMIN_EVERY-th batch is enough there (and a change page is slow to render).
    Page("review queue", lambda records: [reverse("admin:review_queue")], user="reviewer", browser=False),
    Page("admin change lists", _admin_lists, user="reviewer", browser=False),
    *(
        Page(f"admin {model} change page", _admin_change(model, ADMIN_EVERY), user="reviewer", browser=False)
        for model in ("claim", "source", "actor", "proposition", "stance")
    ),
]


def page_urls(records: list[HostileRecords], pages: Iterable[Page] = PAGES) -> list[tuple[Page, str]]:
    """(page, URL) for every page of the table, over all the records."""
    return [(page, url) for page in pages for url in page.urls(records)]


# ---------------------------------------------------------------------------
# Gathered records, for the browser: many batches on each page


@dataclass
class GatheredRecords:
    """Every batch in every field, gathered so that a few pages show the whole corpus.

    Each batch has its own source (title, outlet, authors and notes are the batch),
    claimant (name) and proposition (statement), and a claim in its source that
    supports the batch's proposition and the hub proposition. The hub actor, whose
    aliases and description carry every batch, speaks for every claimant and is
    quoted once per batch in the long source, whose text carries every batch; each
    of those claims disputes the batch's proposition and the hub proposition. So:

    - the hub contradiction page and the hub's desk board show every claimant's name,
      every quote, paraphrase and stance note, and every source's title and outlet;
    - the hub actor page shows every name again (members and opponents), the aliases
      and the description; the long source's page and annotate page show every quote
      highlighted in the text;
    - the contradiction list (and the desk's proposition list) show every statement,
      the hub's description every batch through Markdown;
    - a search per batch shows the batch as the query and the batch's source's authors,
      and an annotate page per batch source shows its title, outlet and authors on the desk.
    """

    batches: list[list[str]]
    sources: list[Source]
    claimants: list[Actor]
    propositions: list[Proposition]
    hub: Proposition
    hub_actor: Actor
    long_source: Source
    claims: list[Claim]

    def joined(self, number: int) -> str:
        return SEPARATOR.join(self.batches[number])

    def hub_gathering(self) -> tuple[Proposition, Actor, Source]:
        """The public pages that show every batch: the hub contradiction, the hub actor, the long source."""
        return self.hub, self.hub_actor, self.long_source

    def search_url(self, number: int) -> str:
        return f"{reverse('reader:search')}?{urlencode({'q': _storable(self.joined(number))})}"


def _anchored(source: Source, quote: str, **fields) -> Claim:
    with transaction.atomic():
        try:
            return Claim.record(source=source, quote=quote, **fields)
        except AnchorError as error:  # the quote is a whole paragraph of the text: anchoring it cannot fail
            raise AssertionError(f"{quote!r} does not anchor: {error}") from None


def create_gathered_hostile_records(*, analyst, reviewer, payloads: list[str] = PAYLOADS) -> GatheredRecords:
    """Create and approve the gathered records (see GatheredRecords), then build the search index once."""
    from tests.base import approve

    batches = batch_payloads(payloads)
    values = [_storable(SEPARATOR.join(batch)) for batch in batches]
    everything = "\n\n".join(values)
    with mock.patch("search.sync.index_record"):
        hub_actor = Actor.objects.create(
            state="approved",
            name="Hub wire service",
            kind="media_outlet",
            aliases="\n".join(value.replace("\n", " ").replace("\r", " ") for value in values),
            description=everything,
        )
        hub = approve(
            Proposition.objects.create(statement="Hub of every batch", description=everything, created_by=analyst),
            reviewer,
        )
        long_source = Source.objects.create(
            state="approved",
            title="Every batch in one text",
            text="\n\n".join(
                f"Passage {number} begins.\n\n{value}\n\nPassage {number} ends." for number, value in enumerate(values)
            ),
            created_by=analyst,
        )
        gathered = GatheredRecords(batches, [], [], [], hub, hub_actor, long_source, [])
        for number, value in enumerate(values):
            tag = marker(number)
            opening, closing = f"Report {number} begins.", f"Report {number} ends."
            source = Source.objects.create(
                state="approved",
                title=value,
                outlet=value,
                authors=value,
                notes=value,
                language="fa" if re.search(r"[\u0600-\u06ff]", value) else "en",
                text=f"{opening}\n\n{value}\n\n{closing}",
                created_by=analyst,
            )
            claimant = Actor.objects.create(state="approved", name=value, aliases=tag, affiliation=hub_actor)
            proposition = approve(
                Proposition.objects.create(statement=f"{tag} {value}", description=value, created_by=analyst),
                reviewer,
            )
            supporting = approve(
                _anchored(
                    source,
                    _quoted_passage(source, opening, closing),
                    paraphrase=f"{tag} {value}",
                    claimant=claimant,
                    reported_by=hub_actor,
                    created_by=analyst,
                ),
                reviewer,
            )
            disputing = approve(
                _anchored(
                    long_source,
                    _quoted_passage(long_source, f"Passage {number} begins.", f"Passage {number} ends."),
                    paraphrase=f"{number}: {value}",
                    claimant=hub_actor,
                    created_by=analyst,
                ),
                reviewer,
            )
            for claim, side in ((supporting, Side.SUPPORTS), (disputing, Side.DISPUTES)):
                for target in (proposition, hub):
                    approve(
                        Stance.objects.create(
                            claim=claim, proposition=target, side=side, note=value, created_by=analyst
                        ),
                        reviewer,
                    )
            proposition.refresh_from_db()
            gathered.sources.append(source)
            gathered.claimants.append(claimant)
            gathered.propositions.append(proposition)
            gathered.claims += [supporting, disputing]
    hub.refresh_from_db()
    call_command("rebuild_search_index", stdout=io.StringIO())
    return gathered


def _statement_words(gathered: GatheredRecords) -> list[str]:
    """Words that find every batch's proposition on the desk's list (which shows 50): Batch0 finds 0-49, then tens."""
    count = len(gathered.propositions)
    if count > 100:
        raise ValueError("the desk's proposition list would need more words: add them here")
    return ["Batch0", *(f"Batch{tens:02d}" for tens in range(5, -(-count // 10)))]


def gathered_page_urls(gathered: GatheredRecords) -> list[tuple[str, str]]:
    """(who looks, URL) for every page the browser loads: a few pages with every batch, then one per batch."""
    contradiction_pages = -(-(len(gathered.propositions) + 1) // 20)
    return [
        ("reader", reverse("reader:home")),
        *(("reader", f"{reverse('reader:contradictions')}?page={page}") for page in range(1, contradiction_pages + 1)),
        ("reader", gathered.hub.get_absolute_url()),
        ("reader", gathered.hub_actor.get_absolute_url()),
        ("reader", gathered.long_source.get_absolute_url()),
        *(("reader", gathered.search_url(number)) for number in range(len(gathered.batches))),
        ("analyst", reverse("desk:home")),
        ("analyst", reverse("desk:board", args=[gathered.hub.slug])),
        ("analyst", reverse("desk:source", args=[gathered.long_source.pk])),
        *(
            ("analyst", f"{reverse('desk:propositions')}?{urlencode({'q': word})}")
            for word in _statement_words(gathered)
        ),
        *(("analyst", reverse("desk:source", args=[source.pk])) for source in gathered.sources),
    ]
