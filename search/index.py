"""Writing the search index: public records in, everything else out.

``index_record`` is called (by search.sync) whenever a claim, proposition,
actor or source is saved or deleted, inside the same transaction, so the index
never shows a record that is not public and never misses one that is. A claim
changes which actors and sources are public, so indexing one re-checks those.
``rebuild`` starts again from nothing (the ``rebuild_search_index`` command).
"""

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils.html import strip_tags

from claims.models import Actor, Answer, Claim, Proposition, Question, ReviewState, Translation
from search.models import EntryKind, SearchEntry
from sources.models import Source

# Private-use characters delimit matches in highlighted text, and stand in for
# angle brackets while PostgreSQL highlights (its parser drops anything that
# looks like an HTML tag); see search.query. They are removed from everything
# indexed, so they can only come from there.
MARK_START, MARK_END = "\ue000", "\ue001"
LT_STAND_IN, GT_STAND_IN = "\ue002", "\ue003"
_NOT_INDEXED = str.maketrans("", "", MARK_START + MARK_END + LT_STAND_IN + GT_STAND_IN)


def _clean(*parts: str) -> str:
    return "\n".join(part for part in parts if part).translate(_NOT_INDEXED)


def _claim_entry(claim: Claim) -> dict:
    names = [claim.claimant.name, claim.reported_by.name if claim.reported_by_id else ""]
    # A claim is found by its approved translations too, read with it (_public_claims).
    translated = [translation.text for translation in claim.indexed_translations]
    return {"title": _clean(claim.quote), "body": _clean(claim.paraphrase, *translated), "context": _clean(*names)}


def _public_claims():
    approved = Translation.objects.filter(state=ReviewState.APPROVED).order_by("language", "pk").only("claim", "text")
    return (
        Claim.objects.public()
        .select_related("claimant", "reported_by")
        .prefetch_related(Prefetch("translations", queryset=approved, to_attr="indexed_translations"))
    )


def _proposition_entry(proposition: Proposition) -> dict:
    return {"title": _clean(proposition.statement), "body": _clean(strip_tags(proposition.description_html))}


def _question_entry(question: Question) -> dict:
    # The values answered are found too ("May 2022"): from the public answers, read with the question, as text
    # (yes and no are lazy translations).
    values = dict.fromkeys(str(answer.value_display) for answer in question.public_answers().select_related("question"))
    return {"title": _clean(question.text), "body": _clean(strip_tags(question.description_html), " · ".join(values))}


def _actor_entry(actor: Actor) -> dict:
    parts = [", ".join(actor.alias_list), strip_tags(actor.description_html).strip()]
    return {"title": _clean(actor.name), "body": _clean(" · ".join(part for part in parts if part))}


def _source_entry(source: Source) -> dict:
    return {"title": _clean(source.title), "body": _clean(source.outlet, source.authors)}


# What is public of each kind, and what its entry holds.
_PUBLIC = {
    EntryKind.CLAIM: _public_claims,
    EntryKind.PROPOSITION: lambda: Proposition.objects.public(),
    EntryKind.QUESTION: lambda: Question.objects.public(),
    EntryKind.ACTOR: lambda: Actor.objects.public(),
    EntryKind.SOURCE: lambda: Source.objects.public().defer("text"),
}
_ENTRY = {
    EntryKind.CLAIM: _claim_entry,
    EntryKind.PROPOSITION: _proposition_entry,
    EntryKind.QUESTION: _question_entry,
    EntryKind.ACTOR: _actor_entry,
    EntryKind.SOURCE: _source_entry,
}
_MODEL_KINDS = {
    Claim: EntryKind.CLAIM,
    Proposition: EntryKind.PROPOSITION,
    Question: EntryKind.QUESTION,
    Actor: EntryKind.ACTOR,
    Source: EntryKind.SOURCE,
}


def _store(kind: str, object_id: int, public_object) -> None:
    """Upsert the entry for a public object; delete it when ``public_object`` is None."""
    if public_object is None:
        SearchEntry.objects.filter(kind=kind, object_id=object_id).delete()
        return
    values = _ENTRY[kind](public_object)
    # Update then insert, not update_or_create: the FTS triggers need an UPDATE,
    # not a DELETE + INSERT pair, to keep the rowid stable.
    if not SearchEntry.objects.filter(kind=kind, object_id=object_id).update(**values):
        SearchEntry.objects.create(kind=kind, object_id=object_id, **values)


def index_object(kind: str, object_id: int) -> None:
    """Bring one record's entry in line with what is public now."""
    _store(kind, object_id, _PUBLIC[kind]().filter(pk=object_id).first())


def index_record(record) -> None:
    """Re-index ``record`` and whatever its visibility decides (a claim's actors and source)."""
    index_records([record])


def index_records(records) -> None:
    """Re-index these records, each entry they decide once (see ``index_record``)."""
    objects: set[tuple[str, int]] = set()
    actors, prune = [], False
    for record in records:
        if isinstance(record, Answer):  # an answer is found through its question's entry
            objects.add((EntryKind.QUESTION, record.question_id))
            continue
        if isinstance(record, Translation):  # a translation is found through its claim's entry
            if record.claim_id:
                objects.add((EntryKind.CLAIM, record.claim_id))
            continue
        kind = _MODEL_KINDS[type(record)]
        objects.add((kind, record.pk))
        if kind == EntryKind.CLAIM:
            objects.update((EntryKind.ACTOR, pk) for pk in {record.claimant_id, record.reported_by_id} - {None})
            objects.add((EntryKind.SOURCE, record.source_id))
            # A claim may have moved away from an actor or source (an approved
            # revision can change its claimant); drop those no longer public.
            prune = True
        elif kind == EntryKind.ACTOR:
            actors.append(record.pk)
    with transaction.atomic():
        for kind, object_id in sorted(objects):
            index_object(kind, object_id)
        if prune:
            _prune(EntryKind.ACTOR)
            _prune(EntryKind.SOURCE)
        if actors:  # claims carry their claimant's and reporter's names
            by_them = Q(claimant__in=actors) | Q(reported_by__in=actors)
            for claim in _PUBLIC[EntryKind.CLAIM]().filter(by_them):
                _store(EntryKind.CLAIM, claim.pk, claim)


def forget_record(record) -> None:
    """Remove a deleted record's entry (and re-check what depended on it)."""
    if isinstance(record, Answer):
        index_object(EntryKind.QUESTION, record.question_id)
        return
    if isinstance(record, Translation):
        if record.claim_id:
            index_object(EntryKind.CLAIM, record.claim_id)
        return
    kind = _MODEL_KINDS[type(record)]
    with transaction.atomic():
        SearchEntry.objects.filter(kind=kind, object_id=record.pk).delete()
        if kind == EntryKind.CLAIM:
            _prune(EntryKind.ACTOR)
            _prune(EntryKind.SOURCE)


def _prune(kind: str) -> None:
    SearchEntry.objects.filter(kind=kind).exclude(object_id__in=_PUBLIC[kind]().values("pk")).delete()


def rebuild() -> int:
    """Empty the index and fill it with every public record; return how many entries it holds."""
    with transaction.atomic():
        SearchEntry.objects.all().delete()
        entries = [
            SearchEntry(kind=kind, object_id=record.pk, **_ENTRY[kind](record))
            for kind, public_queryset in _PUBLIC.items()
            for record in public_queryset().iterator(chunk_size=500)
        ]
        SearchEntry.objects.bulk_create(entries, batch_size=500)
    return len(entries)


def build_if_empty(*, using="default", **kwargs) -> None:
    """After migrating: fill an empty index if there are public records (a new install of search)."""
    if not SearchEntry.objects.using(using).exists() and Claim.objects.using(using).public().exists():
        rebuild()
