"""Which changes are events: connected to the review and re-check signals by WebhooksConfig.ready.

Each receiver runs inside the change's transaction and only notes the event
(``events.queue_on_commit``); the body is built and queued after the commit.
"""

from functools import partial

from django.db.models.signals import post_save

from claims.models import Revision
from claims.review import ReviewState
from claims.signals import became_contradiction, state_changed
from sources.models import Capture
from webhooks import events
from webhooks.models import Event


def _state_changed(sender, record, change, **kwargs):
    if sender is Revision:
        kind = events.KINDS.get(record.record_model)
        if change.to_state == ReviewState.APPROVED and kind:
            build = partial(events.approved, kind, record.object_id, revision=record.pk)
            events.queue_on_commit(Event.RECORD_APPROVED, build, change.at)
        return
    kind = events.KINDS.get(sender)
    if kind is None:
        return
    if change.to_state == ReviewState.APPROVED:
        events.queue_on_commit(Event.RECORD_APPROVED, partial(events.approved, kind, record.pk), change.at)
    elif (
        change.from_state == ReviewState.APPROVED
        and change.to_state == ReviewState.DRAFT
        and kind in events.WITHDRAWN_KINDS
    ):
        events.queue_on_commit(Event.RECORD_WITHDRAWN, partial(events.withdrawn, kind, record.pk), change.at)


def _became_contradiction(sender, record, **kwargs):
    kind = events.KINDS[sender]
    build = partial(events.new_contradiction, kind, record.pk)
    events.queue_on_commit(Event.CONTRADICTION_NEW, build, record.became_contradiction_at)


def _capture_saved(sender, instance, created=False, raw=False, **kwargs):
    # recheck_source stores a re-check's capture once, with its outcome, in the transaction that saves its quote checks.
    if raw or not created or instance.source_id is None:
        return
    if instance.purpose == Capture.Purpose.RECHECK and instance.outcome == Capture.Outcome.CHANGED:
        build = partial(events.source_changed, instance.pk)
        events.queue_on_commit(Event.SOURCE_CHANGED, build, instance.retrieved_at)


def connect() -> None:
    state_changed.connect(_state_changed, dispatch_uid="webhooks-state-changed")
    became_contradiction.connect(_became_contradiction, dispatch_uid="webhooks-became-contradiction")
    post_save.connect(_capture_saved, sender=Capture, dispatch_uid="webhooks-capture-saved")
