"""What each event says, and queueing it for the endpoints that asked for it.

Bodies are built once the change has committed, from the public querysets and
in the API's shapes (``api.records``, ``reader.public_json``, ``reader.questions``),
so nothing readers cannot see is ever sent: an approval whose record is not
public by then (an actor or a source before any claim of theirs is approved,
or a record withdrawn again in the meantime) sends nothing, and a withdrawal
names the record's kind, id and address only. Addresses are absolute, under
WEBHOOK_SITE_URL.

Every body is ``{"id", "type", "occurred_at", "data"}``; ``data`` always has the
record's ``kind``, ``id`` and ``url``.
"""

import json
import uuid
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from api import lists
from api.records import actor_record, claim_record, contradiction_json, source_record, stance_record
from claims.models import Actor, Answer, Claim, Proposition, Question, Stance
from claims.translations import Translation
from reader import public
from reader.public_json import claim_json, translation_json
from reader.questions import QuestionPage, answer_value_json, question_json
from sources.models import Capture, QuoteCheck, Source
from webhooks.models import Delivery, Endpoint, Event

KINDS: dict[type, str] = {
    Proposition: "proposition",
    Claim: "claim",
    Stance: "stance",
    Question: "question",
    Answer: "answer",
    Actor: "actor",
    Source: "source",
    Translation: "translation",
}
MODELS = {kind: model for model, kind in KINDS.items()}
# Actors and sources are withdrawn only once no public claim rests on them, when readers no longer see them.
WITHDRAWN_KINDS = ("proposition", "claim", "stance", "question", "answer", "translation")


def absolute(path: str) -> str:
    return f"{settings.WEBHOOK_SITE_URL.rstrip('/')}{path}"


# ---------------------------------------------------------------------------
# The records, as readers see them


def public_record(kind: str, pk: int) -> dict | None:
    """The record as the API gives it, or None if readers do not see it."""
    return _RECORDS[kind](pk)


def _proposition(pk: int) -> dict | None:
    proposition = Proposition.objects.public().filter(pk=pk).first()
    if proposition is None:
        return None
    stances = public.contradiction_stances(proposition)
    return contradiction_json(proposition, stances, public.last_reviewed(proposition, stances), absolute)


def _claim(pk: int) -> dict | None:
    claim = lists.claims(lists.PublicClaimFilter()).filter(pk=pk).first()
    if claim is None:
        return None
    public.attach_public_stances([claim])
    return claim_record(claim, absolute)


def _stance(pk: int) -> dict | None:
    stance = lists.stances(lists.PublicClaimFilter()).filter(pk=pk).first()
    return None if stance is None else stance_record(stance, absolute)


def _actor(pk: int) -> dict | None:
    actor = lists.public_actors().filter(pk=pk).first()
    return None if actor is None else actor_record(actor, absolute)


def _source(pk: int) -> dict | None:
    source = Source.objects.public().defer("text").filter(pk=pk).first()
    return None if source is None else source_record(source, absolute)


def _question(pk: int) -> dict | None:
    question = Question.objects.public().filter(pk=pk).first()
    return None if question is None else question_json(question, QuestionPage(question), absolute)


def _answer(pk: int) -> dict | None:
    answer = (
        Answer.objects.public()
        .select_related("question", "claim__source", "claim__claimant", "claim__reported_by", "actor")
        .defer("claim__source__text")
        .filter(pk=pk)
        .first()
    )
    if answer is None:
        return None
    question = answer.question
    return {
        "id": answer.pk,
        "url": absolute(question.get_absolute_url()),
        "question": {"slug": question.slug, "question": question.text, "url": absolute(question.get_absolute_url())},
        "stated_as": answer.value_text,
        "value": {"value": answer.value_display, **answer_value_json(answer)},
        "claim": claim_json(answer.claim, absolute),
    }


def _translation(pk: int) -> dict | None:
    """An approved translation of a public claim's quote, or of a public source's summary (shown on its page)."""
    translation = (
        Translation.objects.public()
        .filter(Q(claim__isnull=False) | Q(source__in=Source.objects.public()))
        .select_related("claim__source", "source")
        .defer("claim__source__text", "source__text")
        .filter(pk=pk)
        .first()
    )
    if translation is None:
        return None
    return {
        "id": translation.pk,
        "claim": translation.claim_id,
        "source": translation.source_id,
        **translation_json(translation),
        "url": absolute(translation.get_absolute_url()),
    }


_RECORDS: dict[str, Callable[[int], dict | None]] = {
    "proposition": _proposition,
    "claim": _claim,
    "stance": _stance,
    "actor": _actor,
    "source": _source,
    "question": _question,
    "answer": _answer,
    "translation": _translation,
}


def record_address(kind: str, pk: int) -> str | None:
    """The record's public address, whatever its state (a withdrawn record's former page)."""
    record = MODELS[kind]._base_manager.filter(pk=pk).first()
    return None if record is None else absolute(record.get_absolute_url())


# ---------------------------------------------------------------------------
# The events' data


def approved(kind: str, pk: int, *, revision: int | None = None) -> dict | None:
    record = public_record(kind, pk)
    if record is None:
        return None
    url = record.get("url") or record_address(kind, pk)  # a stance's is its proposition's page
    return {"kind": kind, "id": pk, "url": url, "revision": revision, "record": record}


def withdrawn(kind: str, pk: int) -> dict:
    return {"kind": kind, "id": pk, "url": record_address(kind, pk)}


def new_contradiction(kind: str, pk: int) -> dict | None:
    record = public_record(kind, pk)
    if record is None or not record.get("is_contradiction"):
        return None
    return {"kind": kind, "id": pk, "url": record["url"], "record": record}


def source_changed(capture_pk: int) -> dict | None:
    """A public source's page changed: the capture, and what became of each public claim's quote in it."""
    capture = Capture.objects.without_archive().defer("text").filter(pk=capture_pk).first()
    if capture is None or capture.source_id is None:
        return None
    record = public_record("source", capture.source_id)
    if record is None:
        return None
    checks = (
        QuoteCheck.objects.filter(capture=capture, claim__in=Claim.objects.public())
        .select_related("claim")
        .only("outcome", "claim__source", "claim__start")
        .order_by("claim__start", "claim_id")
    )
    return {
        "kind": "source",
        "id": capture.source_id,
        "url": record["url"],
        "record": record,
        "capture": {
            "id": capture.pk,
            "retrieved_at": capture.retrieved_at.isoformat(),
            "address": capture.final_url or capture.requested_url,
            "status": capture.status,
            "sha256": capture.body_sha256,
            "archived_copy": absolute(reverse("reader:capture", args=[capture.source_id, capture.pk])),
        },
        "quotes": [
            {"claim": check.claim_id, "url": absolute(check.claim.get_absolute_url()), "outcome": check.outcome}
            for check in checks
        ],
    }


# ---------------------------------------------------------------------------
# Queueing


def body(event: str, data: dict, occurred_at: datetime, event_id: uuid.UUID) -> str:
    envelope = {"id": str(event_id), "type": event, "occurred_at": occurred_at.isoformat(), "data": data}
    return json.dumps(envelope, ensure_ascii=False, cls=DjangoJSONEncoder)


def queue(event: str, build: Callable[[], dict | None], occurred_at: datetime) -> list[Delivery]:
    """A delivery of the event, and its first attempt's task, for each active endpoint that asked for it.

    ``build`` makes the event's data, or None when there is nothing readers may see; it runs only
    if some endpoint asked for the event. Called once the change has committed.
    """
    endpoints = Endpoint.objects.subscribed_to(event)
    if not endpoints:
        return []
    data = build()
    if data is None:
        return []
    from webhooks.tasks import deliver

    event_id = uuid.uuid4()
    text = body(event, data, occurred_at, event_id)
    with transaction.atomic():
        deliveries = [
            Delivery.objects.create(endpoint=endpoint, event=event, event_id=event_id, body=text)
            for endpoint in endpoints
        ]
        for delivery in deliveries:
            deliver.enqueue(delivery.pk, 1)
    return deliveries


def queue_on_commit(event: Event, build: Callable[[], dict | None], occurred_at: datetime) -> None:
    """Queue the event once the current transaction commits; a rollback drops it.

    Robust: a delivery that cannot be queued is logged, and does not turn the reviewer's committed work into an error.
    """
    transaction.on_commit(lambda: queue(event, build, occurred_at), robust=True)
