"""Reading the search index: ranked hits with their matches highlighted.

One interface over two engines: SQLite FTS5 (bm25, snippet) and PostgreSQL
full-text search (ts_rank_cd, ts_headline). Both return highlighted text with
private-use characters around matches; ``_highlight`` escapes the text first
and only then turns those characters into <mark> tags, so nothing a record
contains can become markup.

What a reader types is read by ``parse_query`` into terms (words, "exact
phrases", -left-out words, prefix*), never handed to an engine's own query
syntax: each term reaches SQLite as a quoted FTS5 string of letters and
digits, and PostgreSQL as a parameter of plainto/phraseto_tsquery. ``find``
(the reader's search) wants every term first and, when nothing has them all,
any of them, records with more of them first; ``search`` (the desk's
duplicate hints) wants every term.
"""

import hashlib
import re
from dataclasses import dataclass

from django.db import NotSupportedError, connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from reader.caching import cached_for_generation
from search.index import GT_STAND_IN, LT_STAND_IN, MARK_END, MARK_START
from search.models import EntryKind

MAX_TERMS = 12
# Word characters as both engines split words: letters and digits (an underscore separates).
_WORD = re.compile(r"[^\W_]+")
# Straight and typographic quotation marks all open and close an exact phrase.
_QUOTE = re.compile('["“”„‟«»]')
# Punctuation that joins the words of one term ("Kabul-datelined", "Mujahid's", "9/11") and marks
# (leading "-": leave out, trailing "*": prefix); any other punctuation separates terms.
_SEPARATOR = re.compile(r"[^\w\s\-−'’./*]+")
_OPERATORS = frozenset(["AND", "OR", "NEAR"])  # typed in capitals, as in search engines' syntax
_EXCLUDE = ("-", "−")
# Arabic short vowels and other marks, and the tatweel: news text rarely carries them, so a
# query that does would find nothing (both engines split words at them).
_MARKS = re.compile("[\u064b-\u065f\u0670\u0640]")
# Arabic and Persian (and Urdu) keyboards write yeh and kaf with different letters that look
# alike; a text may use either, so each term is also looked for in the other spelling.
_TO_PERSIAN = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک"})
_TO_ARABIC = str.maketrans({"ی": "ي", "ک": "ك"})
_FINAL_YEH = re.compile(r"ي\b")

# Column weights: title, body, context (see search.models.SearchEntry). Contradictions
# are what readers come for, so a proposition ranks ahead of a claim that matches the same
# words (a claim also matches through its paraphrase and context, which a proposition has not).
# When not every term can be matched, records matching more of them come first ({matched}:
# how many terms a record matches, or 0 when every record matches all of them).
_SQLITE_SQL = """
    SELECT e.kind, e.object_id, -bm25(search_searchentry_fts, 10.0, 4.0, 1.0) * (CASE WHEN e.kind IN ('proposition', 'question') THEN 4.0 ELSE 1.0 END) AS score,
        snippet(search_searchentry_fts, 0, %(start)s, %(end)s, '…', 48),
        snippet(search_searchentry_fts, 1, %(start)s, %(end)s, '…', 32),
        {matched} AS matched
    FROM search_searchentry_fts
    JOIN search_searchentry e ON e.id = search_searchentry_fts.rowid
    WHERE search_searchentry_fts MATCH %(match)s
    ORDER BY matched DESC, score DESC, e.id
    LIMIT %(limit)s
"""
_SQLITE_TERM_MATCHED = (
    "(e.id IN (SELECT rowid FROM search_searchentry_fts WHERE search_searchentry_fts MATCH %({name})s))"
)
# {query} and {matched} are built by _postgresql_query from the *_tsquery functions, each
# given one term as a parameter, so nothing a reader types is read as tsquery syntax.
_POSTGRESQL_SQL = """
    SELECT e.kind, e.object_id, ts_rank_cd(e.document, query.q) * (CASE WHEN e.kind IN ('proposition', 'question') THEN 4.0 ELSE 1.0 END) AS score,
        ts_headline('english', translate(e.title, '<>', %(stand_ins)s), query.q, %(title_options)s),
        ts_headline('english', translate(e.body, '<>', %(stand_ins)s), query.q, %(body_options)s),
        {matched} AS matched
    FROM search_searchentry e, (SELECT {query} AS q) AS query
    WHERE e.document @@ query.q
    ORDER BY matched DESC, score DESC, e.id
    LIMIT %(limit)s
"""
_HEADLINE = f'StartSel="{MARK_START}", StopSel="{MARK_END}", FragmentDelimiter=" … "'


@dataclass(frozen=True)
class Term:
    """One thing to look for: a word, or an exact phrase of several words in a row."""

    words: tuple[str, ...]
    prefix: bool = False  # the last word may continue ("talib*")
    exclude: bool = False  # records with it are left out ("-pakistan", NOT pakistan)

    def spellings(self) -> list[str]:
        """The term's words as typed, then with Persian, then Arabic yeh and kaf."""
        typed = " ".join(self.words)
        persian = typed.translate(_TO_PERSIAN)
        arabic = persian.translate(_TO_ARABIC)
        forms = [typed, persian, arabic, _FINAL_YEH.sub("ى", arabic)]
        return list(dict.fromkeys(forms))

    def __str__(self) -> str:
        text = " ".join(self.words)
        text = f'"{text}"' if len(self.words) > 1 else text
        return ("-" if self.exclude else "") + text + ("*" if self.prefix else "")


@dataclass(frozen=True)
class Query:
    terms: tuple[Term, ...] = ()

    @property
    def include(self) -> list[Term]:
        return [term for term in self.terms if not term.exclude]

    @property
    def exclude(self) -> list[Term]:
        return [term for term in self.terms if term.exclude]

    def __bool__(self) -> bool:
        return bool(self.include)

    def __str__(self) -> str:
        return " ".join(str(term) for term in self.terms)


def parse_query(text: str) -> Query:
    """What a reader's search asks for, read the forgiving way a newsroom search reads it.

    Words are looked for one by one; "quoted words" as an exact phrase; words joined by
    a hyphen or an apostrophe ("Kabul-datelined") as a phrase too. A leading "-" or a
    NOT leaves a term out; a trailing "*" makes a prefix. AND, OR and NEAR in capitals
    are taken as operators and dropped (every word is wanted first anyway). A quotation
    mark without its pair, and any other punctuation, is ignored. Never raises.
    """
    text = _MARKS.sub("", text or "")
    parts = _QUOTE.split(text)
    paired = (len(parts) - 1) // 2 * 2  # a last, unpaired quotation mark opens nothing
    terms: list[Term] = []
    negate = False
    for n, part in enumerate(parts):
        if n % 2 and n <= paired:
            if words := tuple(_WORD.findall(part.lower())):
                terms.append(Term(words, exclude=negate))
            negate = False
            continue
        chunks = _SEPARATOR.sub(" ", part).split()
        for chunk in chunks:
            if chunk in _OPERATORS:
                continue
            if chunk == "NOT":
                negate = True
                continue
            words = tuple(_WORD.findall(chunk.lower()))
            if words:
                exclude = negate or chunk.startswith(_EXCLUDE)
                prefix = chunk.endswith("*") and len(words) == 1
                terms.append(Term(words, prefix=prefix, exclude=exclude))
                negate = False
        # "-" or NOT right before a quotation mark applies to the phrase it opens.
        negate = negate or (part.endswith(_EXCLUDE) and (len(part) == 1 or part[-2].isspace()))
    return Query(tuple(dict.fromkeys(terms))[:MAX_TERMS])


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    score: float
    title_html: SafeString
    body_html: SafeString


@dataclass(frozen=True)
class Found:
    """Search results, and whether they match every term or, failing that, only some."""

    hits: list[Hit]
    every_term: bool = True


def _sqlite_term(term: Term) -> str:
    star = " *" if term.prefix else ""
    forms = [f'"{form}"{star}' for form in term.spellings()]  # letters and digits only: no quotation mark
    return forms[0] if len(forms) == 1 else "(" + " OR ".join(forms) + ")"


def _sqlite_sql(query: Query, *, every_term: bool) -> tuple[str, dict]:
    params = {"match": (" AND " if every_term else " OR ").join(_sqlite_term(t) for t in query.include)}
    if query.exclude:
        params["match"] = f"({params['match']}) NOT (" + " OR ".join(_sqlite_term(t) for t in query.exclude) + ")"
    matched = "0"
    if not every_term:
        for n, term in enumerate(query.include):
            params[f"term{n}"] = _sqlite_term(term)
        matched = " + ".join(_SQLITE_TERM_MATCHED.format(name=f"term{n}") for n in range(len(query.include)))
    return _SQLITE_SQL.format(matched=matched), params


def _postgresql_sql(query: Query, *, every_term: bool) -> tuple[str, dict]:
    params: dict[str, str] = {}

    def tsquery(term: Term) -> str:
        parts = []
        for form in term.spellings():
            name = f"term{len(params)}"
            if term.prefix:  # one word of letters and digits: nothing in it is tsquery syntax
                params[name] = form + ":*"
                parts.append(f"to_tsquery('english', %({name})s)")
            else:
                params[name] = form
                function = "phraseto_tsquery" if len(term.words) > 1 else "plainto_tsquery"
                parts.append(f"{function}('english', %({name})s)")
        return "(" + " || ".join(parts) + ")"

    include = [tsquery(term) for term in query.include]
    sql = (" && " if every_term else " || ").join(include)
    if query.exclude:
        sql = f"({sql}) && !!(" + " || ".join(tsquery(term) for term in query.exclude) + ")"
    matched = "0" if every_term else " + ".join(f"(e.document @@ {term})::int" for term in include)
    return _POSTGRESQL_SQL.format(query=sql, matched=matched), params


def _run(query: Query, *, every_term: bool, limit: int) -> list[Hit]:
    if connection.vendor == "sqlite":
        sql, params = _sqlite_sql(query, every_term=every_term)
        params |= {"start": MARK_START, "end": MARK_END, "limit": limit}
    elif connection.vendor == "postgresql":
        sql, params = _postgresql_sql(query, every_term=every_term)
        params |= {
            "stand_ins": LT_STAND_IN + GT_STAND_IN,
            "title_options": f"{_HEADLINE}, MinWords=40, MaxWords=70",
            "body_options": f"{_HEADLINE}, MinWords=15, MaxWords=35, MaxFragments=2",
            "limit": limit,
        }
    else:
        raise NotSupportedError(f"Search needs SQLite or PostgreSQL, not {connection.vendor}.")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    return [
        Hit(kind, object_id, float(score), _highlight(title or ""), _highlight(body or ""))
        for kind, object_id, score, title, body, _matched in rows
    ]


def search(text: str, *, limit: int = 100) -> list[Hit]:
    """Public records matching every term of ``text`` (see parse_query), best first."""
    query = parse_query(text)
    return _run(query, every_term=True, limit=limit) if query else []


def find(text: str, *, limit: int = 100) -> Found:
    """What the reader's search shows: records matching every term of ``text``, best first;
    if there are none, records matching any of its terms, best (most terms) first."""
    query = parse_query(text)
    if not query:
        return Found([])
    hits = _run(query, every_term=True, limit=limit)
    if hits or len(query.include) < 2:
        return Found(hits)
    return Found(_run(query, every_term=False, limit=limit), every_term=False)


def cached_find(text: str) -> Found:
    """``find(text)``, kept for the current public data generation.

    The index holds public records only and changes only with them, so the hits
    for the same query stay right until the generation changes. A shared
    contradiction brings many readers with the same few searches; ranking a
    common word re-reads every match (about 25 ms at 100,000 claims).
    """
    query = parse_query(text)
    if not query:
        return Found([])
    digest = hashlib.sha256(str(query).encode()).hexdigest()
    return cached_for_generation(f"search-found:{digest}", lambda: find(text))


_RESTORE_BRACKETS = str.maketrans({LT_STAND_IN: "<", GT_STAND_IN: ">"})


def _highlight(text: str) -> SafeString:
    """Escape ``text``, then mark what the engine delimited as a match."""
    text = escape(text.translate(_RESTORE_BRACKETS))
    return mark_safe(text.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))  # noqa: S308


@dataclass(frozen=True)
class Result:
    hit: Hit
    record: object


def load_results(hits: list[Hit]) -> list[Result]:
    """The public records behind ``hits``, in rank order; one query per kind present.

    Records are read through their public() querysets again, so a hit whose
    record stopped being public is dropped even if the index lagged behind.
    """
    from claims.models import Actor, Claim, Proposition, Question
    from reader.public import attach_public_stances
    from sources.models import Source

    loaders = {
        EntryKind.PROPOSITION: lambda: Proposition.objects.public(),
        EntryKind.QUESTION: lambda: Question.objects.public(),
        EntryKind.CLAIM: lambda: (
            Claim.objects.public().select_related("claimant", "reported_by", "source").defer("source__text")
        ),
        EntryKind.ACTOR: lambda: Actor.objects.public(),
        EntryKind.SOURCE: lambda: Source.objects.public().defer("text"),
    }
    records = {
        kind: loader().in_bulk([hit.object_id for hit in hits if hit.kind == kind]) for kind, loader in loaders.items()
    }
    if claims := list(records[EntryKind.CLAIM].values()):
        attach_public_stances(claims)
    return [Result(hit, records[hit.kind][hit.object_id]) for hit in hits if hit.object_id in records.get(hit.kind, {})]
