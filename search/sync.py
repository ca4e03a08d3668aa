"""Keeping the search index in step with edits and review decisions.

Every save and delete of a claim, proposition, actor or source re-indexes it in
the same transaction (review state changes are saves too), so a rolled-back
change leaves the index as it was.
"""

from django.db.models.signals import post_delete, post_save

from claims.models import Actor, Answer, Claim, Proposition, Question, Translation
from search.index import forget_record, index_record
from sources.models import Source

INDEXED_MODELS = (Claim, Proposition, Question, Answer, Translation, Actor, Source)


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures load rows in any order; rebuild_search_index afterwards
        index_record(instance)


def _deleted(sender, instance, **kwargs):
    forget_record(instance)


def connect() -> None:
    for model in INDEXED_MODELS:
        post_save.connect(_saved, sender=model, dispatch_uid=f"search-index-{model.__name__}")
        post_delete.connect(_deleted, sender=model, dispatch_uid=f"search-forget-{model.__name__}")
