"""Reading the search index: ranked hits with their matches highlighted.

One interface over two engines: SQLite FTS5 (bm25, snippet) and PostgreSQL
full-text search (ts_rank_cd, ts_headline). Both return highlighted text with
private-use characters around matches; ``_highlight`` escapes the text first
and only then turns those characters into <mark> tags, so nothing a record
contains can become markup.
"""

import hashlib
import re
from dataclasses import dataclass

from django.db import NotSupportedError, connection
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from claims.caching import cached_for_generation
from search.index import GT_STAND_IN, LT_STAND_IN, MARK_END, MARK_START
from search.models import EntryKind

MAX_TERMS = 12
_WORD = re.compile(r"\w+")

# Column weights: title, body, context (see search.models.SearchEntry). Contradictions
# are what readers come for, so a proposition ranks ahead of a claim that matches the same
# words (a claim also matches through its paraphrase and context, which a proposition has not).
_SQLITE_SQL = """
    SELECT e.kind, e.object_id, -bm25(search_searchentry_fts, 10.0, 4.0, 1.0) * (CASE e.kind WHEN 'proposition' THEN 4.0 ELSE 1.0 END) AS score,
        snippet(search_searchentry_fts, 0, %(start)s, %(end)s, '…', 48),
        snippet(search_searchentry_fts, 1, %(start)s, %(end)s, '…', 32)
    FROM search_searchentry_fts
    JOIN search_searchentry e ON e.id = search_searchentry_fts.rowid
    WHERE search_searchentry_fts MATCH %(match)s
    ORDER BY score DESC, e.id
    LIMIT %(limit)s
"""
_POSTGRESQL_SQL = """
    SELECT e.kind, e.object_id, ts_rank_cd(e.document, q) * (CASE e.kind WHEN 'proposition' THEN 4.0 ELSE 1.0 END) AS score,
        ts_headline('english', translate(e.title, '<>', %(stand_ins)s), q, %(title_options)s),
        ts_headline('english', translate(e.body, '<>', %(stand_ins)s), q, %(body_options)s)
    FROM search_searchentry e, plainto_tsquery('english', %(terms)s) q
    WHERE e.document @@ q
    ORDER BY score DESC, e.id
    LIMIT %(limit)s
"""
_HEADLINE = f'StartSel="{MARK_START}", StopSel="{MARK_END}", FragmentDelimiter=" … "'


@dataclass(frozen=True)
class Hit:
    kind: str
    object_id: int
    score: float
    title_html: SafeString
    body_html: SafeString


def terms(text: str) -> list[str]:
    """The words of a reader's query, lower-cased, at most MAX_TERMS of them."""
    return _WORD.findall((text or "").lower())[:MAX_TERMS]


def search(text: str, *, limit: int = 100) -> list[Hit]:
    """Public records matching every word of ``text``, best first."""
    words = terms(text)
    if not words:
        return []
    if connection.vendor == "sqlite":
        # Each word quoted: FTS5 query syntax (AND, NEAR, column:, *) stays inert.
        sql = _SQLITE_SQL
        params = {"start": MARK_START, "end": MARK_END, "match": " ".join(f'"{w}"' for w in words), "limit": limit}
    elif connection.vendor == "postgresql":
        sql = _POSTGRESQL_SQL
        params = {
            "terms": " ".join(words),
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
        for kind, object_id, score, title, body in rows
    ]


def cached_search(text: str) -> list[Hit]:
    """``search(text)``, kept for the current public data generation.

    The index holds public records only and changes only with them, so the hits
    for the same words stay right until the generation changes. A shared
    contradiction brings many readers with the same few searches; ranking a
    common word re-reads every match (about 25 ms at 100,000 claims).
    """
    words = terms(text)
    if not words:
        return []
    digest = hashlib.sha256(" ".join(words).encode()).hexdigest()
    return cached_for_generation(f"search-hits:{digest}", lambda: search(text))


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
    from claims.models import Actor, Claim, Proposition
    from claims.public import attach_public_stances
    from sources.models import Source

    loaders = {
        EntryKind.PROPOSITION: lambda: Proposition.objects.public(),
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
