"""Keeping the search index in step with edits and review decisions.

Every save and delete of a claim, proposition, actor or source re-indexes it in
the same transaction (review state changes are saves too), so a rolled-back
change leaves the index as it was. A writer of many records (the seeds) wraps
them in ``indexing_once()``: each record it touches is indexed once, at the end,
instead of at every save (a seeded claim is saved three times on its way to
approval, and each save re-indexed its actors and source too).
"""

import threading
from contextlib import contextmanager

from django.db.models.signals import post_delete, post_save

from claims.models import Actor, Answer, Claim, Proposition, Question, Translation
from search.index import forget_record, index_record, index_records
from sources.models import Source

INDEXED_MODELS = (Claim, Proposition, Question, Answer, Translation, Actor, Source)


class _Deferred(threading.local):
    # (model, pk) -> (the record as last saved or deleted, whether it was deleted); None: not deferring
    touched: dict | None = None


_deferred = _Deferred()


@contextmanager
def indexing_once():
    """Index each record saved or deleted inside the block once, when the block ends (not if it raises)."""
    if _deferred.touched is not None:  # already inside one: the outer block indexes
        yield
        return
    _deferred.touched = {}
    try:
        yield
        touched = _deferred.touched
    finally:
        _deferred.touched = None
    index_records([record for record, deleted in touched.values() if not deleted])
    for record in [record for record, deleted in touched.values() if deleted]:
        forget_record(record)


def _saved(sender, instance, raw=False, **kwargs):
    if raw:  # fixtures load rows in any order; rebuild_search_index afterwards
        return
    if _deferred.touched is not None:
        _deferred.touched[(sender, instance.pk)] = (instance, False)
        return
    index_record(instance)


def _deleted(sender, instance, **kwargs):
    if _deferred.touched is not None:
        _deferred.touched[(sender, instance.pk)] = (instance, True)
        return
    forget_record(instance)


def connect() -> None:
    for model in INDEXED_MODELS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-index-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-forget-{model.__name__}")
