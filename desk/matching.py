"""Finding records: by the words an analyst types, and those that say much the same.

Used for duplicate hints while a paraphrase or a new proposition is typed.
Public records are found through the reader site's full-text index
(``search.query.search``: SQLite FTS5 or PostgreSQL full text); the analyst's
own records that are not public yet, and everything when the index finds
nothing, are matched by shared words (a candidate must contain one of the
query's longest words, then candidates are ranked by how many of the query's
words they share).
``similar_claims`` and ``similar_propositions`` are the only entry points for
hints, and ``search_claims``/``search_propositions`` for finding, so a search
index can replace the implementation without touching the views.
"""

import re
from functools import reduce
from operator import or_

from django.db.models import Count, Q

from claims.models import Actor, Answer, Claim, Proposition, Question, ReviewState, Stance
from search.models import EntryKind
from search.query import search as search_index

_WORD = re.compile(r"\w+")
_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "been",
        "but",
        "by",
        "for",
        "from",
        "had",
        "has",
        "have",
        "he",
        "her",
        "his",
        "in",
        "into",
        "is",
        "it",
        "its",
        "not",
        "of",
        "on",
        "or",
        "that",
        "the",
        "their",
        "them",
        "they",
        "this",
        "to",
        "was",
        "were",
        "will",
        "with",
        "which",
        "who",
        "would",
        "can",
        "could",
        "said",
        "says",
        "say",
        "than",
        "then",
        "there",
        "these",
        "those",
        "also",
        "about",
        "after",
        "before",
        "over",
        "under",
        "more",
        "most",
        "such",
        "only",
        "other",
    ]
)
_MAX_TERMS = 8  # words sent to the database, longest first
_FULL_TEXT_TERMS = 4  # words sent to the full-text index, which must match all of them
_CANDIDATES = 200  # rows ranked in Python at most
MIN_SHARE = 0.34  # share of the query's words a hint must contain


def significant_words(text: str) -> set[str]:
    return {word for word in _WORD.findall(text.lower()) if len(word) > 2 and word not in _STOPWORDS}


def _ranked(queryset, fields: list[str], text: str, limit: int) -> list:
    words = significant_words(text)
    if not words:
        return []
    terms = sorted(words, key=lambda word: (-len(word), word))[:_MAX_TERMS]
    condition = reduce(or_, (Q(**{f"{name}__icontains": term}) for term in terms for name in fields))
    scored = []
    for record in queryset.filter(condition)[:_CANDIDATES]:
        shared = words & significant_words(" ".join(str(getattr(record, name)) for name in fields))
        share = len(shared) / len(words)
        if share >= MIN_SHARE:
            scored.append((share, record))
    scored.sort(key=lambda pair: -pair[0])
    return [record for _, record in scored[:limit]]


def _full_text_hits(text: str, kind: str, *, limit: int) -> list[int]:
    """Primary keys of public records of ``kind`` matching the longest words of ``text``, best first.

    The search index holds public records only and matches every word sent, so
    only the few longest significant words go: enough to find the same thing
    said differently (PostgreSQL also stems them), few enough to match at all.
    """
    words = sorted(significant_words(text), key=lambda word: (-len(word), word))[:_FULL_TEXT_TERMS]
    if not words:
        return []
    hits = search_index(" ".join(words), limit=limit * 4)
    return [hit.object_id for hit in hits if hit.kind == kind]


def _in_order(queryset, pks: list[int], *, exclude_pk, limit: int) -> list:
    found = queryset.in_bulk(pks)
    return [found[pk] for pk in pks if pk in found and str(pk) != str(exclude_pk)][:limit]


def _hints(queryset, fields: list[str], kind: str, text: str, *, user, exclude_pk, limit: int) -> list:
    """Public records by full text, plus the user's own records not yet public by shared words.

    If the full-text index finds nothing, every record (the desk is internal:
    drafts and pending records included) is ranked by shared words instead.
    """
    public = _in_order(queryset, _full_text_hits(text, kind, limit=limit), exclude_pk=exclude_pk, limit=limit)
    if not public:
        return _ranked(queryset.exclude(pk=exclude_pk), fields, text, limit)
    if user is None:
        return public
    mine = queryset.filter(created_by=user).exclude(state=ReviewState.APPROVED).exclude(pk=exclude_pk)
    own = _ranked(mine, fields, text, limit)
    return [*own, *(record for record in public if record not in own)][:limit]


def similar_claims(text: str, *, user=None, exclude_pk=None, limit: int = 5) -> list[Claim]:
    """Claims that say much the same as ``text``: public ones by full text, ``user``'s drafts by shared words."""
    claims = Claim.objects.select_related("claimant", "source").defer("source__text")
    return _hints(claims, ["paraphrase", "quote"], EntryKind.CLAIM, text, user=user, exclude_pk=exclude_pk, limit=limit)


def similar_propositions(text: str, *, user=None, exclude_pk=None, limit: int = 5) -> list[Proposition]:
    """Propositions that say much the same as ``text`` (as similar_claims does for claims)."""
    return _hints(
        Proposition.objects.all(),
        ["statement"],
        EntryKind.PROPOSITION,
        text,
        user=user,
        exclude_pk=exclude_pk,
        limit=limit,
    )


def _every_word_in_some_field(words: list[str], fields: list[str]) -> Q:
    condition = Q()
    for word in words:
        condition &= reduce(or_, (Q(**{f"{name}__icontains": word}) for name in fields))
    return condition


def search_claims(
    term: str, *, not_on: Proposition | None = None, not_answering: Question | None = None, limit: int = 20
) -> list[Claim]:
    """Claims whose quote, paraphrase, claimant or source title contain every word of ``term``.

    ``not_on`` leaves out the claims that already take a side on that proposition,
    ``not_answering`` those that already answer that question.
    """
    words = _WORD.findall(term)[:_MAX_TERMS]
    if not words:
        return []
    fields = ["quote", "paraphrase", "claimant__name", "claimant__aliases", "source__title"]
    claims = Claim.objects.select_related("claimant", "source").filter(_every_word_in_some_field(words, fields))
    if not_on is not None:
        claims = claims.exclude(pk__in=Stance.objects.on_boards().filter(proposition=not_on).values("claim_id"))
    if not_answering is not None:
        claims = claims.exclude(pk__in=Answer.objects.filter(question=not_answering).values("claim_id"))
    return list(claims.order_by("-updated_at", "-pk")[:limit])


def search_propositions(term: str, *, limit: int = 50) -> list[Proposition]:
    """Propositions whose statement or slug contains every word of ``term``; the recently changed first."""
    words = _WORD.findall(term)[:_MAX_TERMS]
    propositions = Proposition.objects.order_by("-updated_at", "-pk")
    if words:
        propositions = propositions.filter(_every_word_in_some_field(words, ["statement", "slug"]))
    return list(propositions[:limit])


def search_actors(term: str, *, limit: int = 50) -> list[Actor]:
    """Actors whose name, aliases or slug contain every word of ``term``; the recently changed first."""
    words = _WORD.findall(term)[:_MAX_TERMS]
    actors = Actor.objects.select_related("affiliation").order_by("-updated_at", "-pk")
    if words:
        actors = actors.filter(_every_word_in_some_field(words, ["name", "aliases", "slug"]))
    return list(actors[:limit])


def search_questions(term: str, *, limit: int = 50):
    """Questions whose text or slug contains every word of ``term``, the recently changed first, each with
    ``answers_total``: how many answers it has in any state."""
    words = _WORD.findall(term)[:_MAX_TERMS]
    questions = Question.objects.annotate(answers_total=Count("answers")).order_by("-updated_at", "-pk")
    if words:
        questions = questions.filter(_every_word_in_some_field(words, ["text", "slug"]))
    return list(questions[:limit])
