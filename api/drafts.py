"""Drafts made through the API: the desk's forms and the models' methods, fed from JSON.

Each kind of record is validated by the form the desk uses for it
(``desk.forms``), so a refusal — a quote that cannot be anchored, a duplicate
source, an unknown claimant — reads exactly as at the desk, and saved as the
desk saves it: a draft of the token's user. Sending to review is the desk's
too (``desk.submission`` and the models' ``submit``). Nothing here approves,
rejects or deletes.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from api.problems import InvalidRequest
from claims.models import Claim, Proposition, ReviewState, Stance
from desk.forms import NewClaimForm, PropositionForm, SourceImportForm, StanceAddForm
from desk.submission import Submitted, source_drafts, submit_claim, submit_source_drafts
from sources.anchoring import AnchorError
from sources.dates import iso_partial_date
from sources.models import Source, address_key


class Duplicate(Exception):
    """The record exists already: ``existing`` is it."""

    def __init__(self, message: str, existing):
        super().__init__(message)
        self.existing = existing


class Conflict(Exception):
    """The request is refused because of a record's state (the desk answers these with 409 too)."""


def form_errors(form) -> list[tuple[str, str, str]]:
    """A bound form's errors as (location, field, message), the field "" for errors of the whole form."""
    return [
        ("body", "" if field == "__all__" else field, message)
        for field, messages in form.errors.items()
        for message in messages
    ]


def _form_data(payload) -> dict:
    """A payload as the desk's forms read a POST: strings and booleans, unset values left out."""
    return {name: value for name, value in payload.model_dump().items() if value is not None}


def _saved(save):
    """Run ``save``; its refusals become InvalidRequest, as the desk shows them on the form."""
    try:
        return save()
    except AnchorError as error:
        raise InvalidRequest([("body", "quote", str(error))]) from None
    except ValidationError as error:
        fields = getattr(error, "error_dict", {"": error.error_list})
        raise InvalidRequest(
            [
                ("body", "" if field == "__all__" else field, message)
                for field, errors in fields.items()
                for message in ValidationError(errors).messages
            ]
        ) from None


def desk_address(request, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def create_source(payload, user) -> Source:
    form = SourceImportForm(_form_data(payload), max_bytes=settings.SOURCE_UPLOAD_MAX_BYTES, user=user)
    if not form.is_valid():
        raise InvalidRequest(form_errors(form))
    if (duplicate := form.duplicate) is not None:
        url = form.cleaned_data.get("url", "")
        same = "same address" if url and duplicate.address_key == address_key(url) else "same text"
        raise Duplicate(
            f"This source is already here ({same}): “{duplicate.title}”. Record its claims there instead of "
            "importing it again.",
            duplicate,
        )
    return _saved(lambda: form.save(user=user))


def create_claim(payload, user) -> Claim:
    source = Source.objects.filter(pk=payload.source).first()
    if source is None:
        raise InvalidRequest([("body", "source", "There is no such source; it may never have been imported.")])
    form = NewClaimForm(_form_data(payload), source=source)
    if not form.is_valid():
        raise InvalidRequest(form_errors(form))
    return _saved(lambda: form.save(user=user))


def create_proposition(payload, user) -> Proposition:
    form = PropositionForm(_form_data(payload))
    if not form.is_valid():
        raise InvalidRequest(form_errors(form))
    return Proposition.objects.create(**form.cleaned_data, created_by=user)


@transaction.atomic
def create_stance(payload, user) -> Stance:
    proposition = Proposition.objects.filter(slug=payload.proposition).first()
    if proposition is None:
        raise InvalidRequest([("body", "proposition", "There is no such proposition.")])
    form = StanceAddForm({"claim": payload.claim, "side": payload.side}, proposition=proposition)
    if not form.is_valid():
        if "claim" in form.errors:
            raise InvalidRequest([("body", "claim", "There is no such claim; it may have been removed.")])
        raise Conflict(" ".join(form.non_field_errors()))
    claim, side = form.cleaned_data["claim"], form.cleaned_data["side"]
    # As the desk's stance_add: a stance taken off this board before comes back, with its history.
    removed = Stance.objects.filter(claim=claim, proposition=proposition, state=ReviewState.REMOVED).first()
    if removed is not None:
        removed.restore(user, side=side)
        return removed
    return Stance.objects.create(claim=claim, proposition=proposition, side=side, created_by=user)


# ---------------------------------------------------------------------------
# Sending to review


def submit_claim_draft(claim: Claim, user) -> Submitted:
    """The claim with the user's own drafts it rests on (desk.submission.submit_claim)."""
    return submit_claim(claim, user)


def submit_source(source: Source, user) -> Submitted:
    """The user's drafts in the source (desk.submission.submit_source_drafts)."""
    if not any(source_drafts(source, user)):
        raise Conflict("You have no drafts in this source to send to review.")
    return submit_source_drafts(source, user)


def submit_record(record, user) -> Submitted:
    """One proposition or stance, by the model's own submit (as the desk's submit buttons)."""
    record.submit(user)
    counted = {"proposition": "propositions", "stance": "stances"}[record._meta.model_name]
    return Submitted(**{counted: 1})


# ---------------------------------------------------------------------------
# How drafts are shown back


def draft_actor(actor) -> dict | None:
    if actor is None:
        return None
    return {"name": actor.name, "slug": actor.slug, "state": actor.state}


def draft_proposition(request, proposition: Proposition) -> dict:
    return {
        "slug": proposition.slug,
        "statement": proposition.statement,
        "state": proposition.state,
        "desk_url": desk_address(request, "desk:board", proposition.slug),
    }


def draft_stance(request, stance: Stance) -> dict:
    return {
        "id": stance.pk,
        "claim": stance.claim_id,
        "proposition": draft_proposition(request, stance.proposition),
        "side": stance.side,
        "state": stance.state,
        "desk_url": desk_address(request, "desk:board", stance.proposition.slug) + f"#stance-{stance.pk}",
    }


def draft_claim(request, claim: Claim) -> dict:
    stance = claim.stances.select_related("proposition").first()
    return {
        "id": claim.pk,
        "state": claim.state,
        "quote": claim.quote,
        "selectors": [
            {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
            {"type": "TextQuoteSelector", "exact": claim.quote, "prefix": claim.prefix, "suffix": claim.suffix},
        ],
        "claimant": draft_actor(claim.claimant),
        "reported_by": draft_actor(claim.reported_by),
        "paraphrase": claim.paraphrase,
        "asserted": iso_partial_date(claim.asserted_on, claim.asserted_precision) or None,
        "source": claim.source_id,
        "stance": draft_stance(request, stance) if stance else None,
        "desk_url": desk_address(request, "desk:source", claim.source_id) + f"#claim-{claim.pk}",
    }


def draft_source(request, source: Source) -> dict:
    return {
        "id": source.pk,
        "title": source.title,
        "state": source.state,
        "desk_url": desk_address(request, "desk:source", source.pk),
    }


def submitted(done: Submitted) -> dict:
    counts = {"claims": done.claims, "stances": done.stances, "propositions": done.propositions}
    counts |= {"sources": done.sources, "actors": done.actors}
    return {"submitted": counts, "detail": f"Sent to review: {done}."}
