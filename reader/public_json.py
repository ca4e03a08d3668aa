"""The public records as JSON: contradiction and actor pages' .json, schema.org JSON-LD, and the export.

Every function takes ``absolute``, which turns a path into the address a reader
can follow (``request.build_absolute_uri`` in views, a base URL in commands).
Callers pass approved records only; nothing here decides what is public.
"""

from collections.abc import Callable
from datetime import datetime

from django.urls import reverse

from claims.models import Actor, ActorKind, Claim, Proposition, Stance
from sources.dates import iso_partial_date
from sources.models import Source

Absolute = Callable[[str], str]


def _timestamp(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def actor_json(actor: Actor | None, absolute: Absolute) -> dict | None:
    if actor is None:
        return None
    return {
        "slug": actor.slug,
        "name": actor.name,
        "kind": actor.kind,
        "url": absolute(actor.get_absolute_url()),
    }


def source_json(source: Source, absolute: Absolute) -> dict:
    return {
        "id": source.pk,
        "title": source.title,
        "outlet": source.outlet,
        "authors": source.author_list,
        "published": iso_partial_date(source.published_on, source.published_precision) or None,
        "language": source.language,
        "original_url": source.url or None,
        "url": absolute(source.get_absolute_url()),
    }


def translation_json(translation) -> dict:
    """An approved translation of a quote or summary: never the quote itself, which stays the original."""
    return {
        "language": translation.language,
        "text": translation.text,
        "translator": translation.translator,
        "kind": translation.kind,
        "approved_at": _timestamp(translation.first_approved_at),
    }


def claim_json(claim: Claim, absolute: Absolute) -> dict:
    """A claim with its W3C Web Annotation selectors into the source text.

    With its approved translations when they were read with it
    (reader.translations.attach_translations): ``translations``, by language.
    """
    record = {
        "id": claim.pk,
        "url": absolute(claim.get_absolute_url()),
        "claimant": actor_json(claim.claimant, absolute),
        "reported_by": actor_json(claim.reported_by, absolute),
        "quote": claim.quote,
        "paraphrase": claim.paraphrase,
        "asserted": iso_partial_date(claim.asserted_on, claim.asserted_precision) or None,
        "selectors": [
            {"type": "TextPositionSelector", "start": claim.start, "end": claim.end},
            {"type": "TextQuoteSelector", "exact": claim.quote, "prefix": claim.prefix, "suffix": claim.suffix},
        ],
        "source": source_json(claim.source, absolute),
        "approved_at": _timestamp(claim.first_approved_at),
    }
    if hasattr(claim, "public_translations"):
        record["translations"] = [translation_json(translation) for translation in claim.public_translations]
    return record


def contradiction_json(
    proposition: Proposition, stances: list[Stance], last_reviewed: datetime | None, absolute: Absolute
) -> dict:
    return {
        "slug": proposition.slug,
        "statement": proposition.statement,
        "description": proposition.description,
        "url": absolute(proposition.get_absolute_url()),
        "is_contradiction": proposition.is_contradiction,
        "counts": {
            "supports": proposition.supports_count,
            "disputes": proposition.disputes_count,
            "qualifies": proposition.qualifies_count,
        },
        "became_contradiction_at": _timestamp(proposition.became_contradiction_at),
        "last_reviewed_at": _timestamp(last_reviewed),
        "claims": [
            {"side": stance.side, "note": stance.note, **claim_json(stance.claim, absolute)} for stance in stances
        ],
    }


def _proposition_json(proposition: Proposition, absolute: Absolute) -> dict:
    return {
        "slug": proposition.slug,
        "statement": proposition.statement,
        "url": absolute(proposition.get_absolute_url()),
    }


def actor_document(actor: Actor, page, absolute: Absolute) -> dict:
    """The actor's page as data (``page`` is its reader.public.ActorPage): who they are, where they take sides.

    ``positions`` holds their stances on each proposition in the order they were
    asserted; ``position_changes`` each change of side, newest first, with both
    claims; ``both_sides_in_one_source`` the sources in which they take both
    sides (reader.positions says what counts as which).
    """
    changes, both_sides = page.changes, page.both_sides
    quoted = [stance for change in changes for stance in (change.earlier, change.later)]
    quoted += [stance for pair in both_sides for stance in (pair.first, pair.second)]
    page.attach_claims(quoted)
    source_urls: dict[int, str] = {}  # a prolific actor is quoted from the same sources many times

    def stance_entry(stance) -> dict:
        statement = page.statement(stance)
        if statement.source_id not in source_urls:
            source_urls[statement.source_id] = absolute(reverse("reader:source", args=[statement.source_id]))
        return {
            "side": stance.side,
            "claim_id": stance.claim_id,
            "asserted": iso_partial_date(statement.asserted_on, statement.asserted_precision) or None,
            "url": f"{source_urls[statement.source_id]}#claim-{stance.claim_id}",
        }

    return {
        **actor_json(actor, absolute),
        "aliases": actor.alias_list,
        "description": actor.description,
        "affiliation": actor_json(actor.affiliation if actor.affiliation_is_public else None, absolute),
        "members": [actor_json(member, absolute) for member in page.members],
        "contradicted_by": [actor_json(other, absolute) for other in page.contradicted_by],
        "positions": [
            {
                "proposition": _proposition_json(position.proposition, absolute),
                "stances": [stance_entry(stance) for stance in position.stances],
            }
            for position in page.positions
        ],
        "position_changes": [
            {
                "proposition": _proposition_json(change.proposition, absolute),
                "from": {"side": change.earlier.side, **claim_json(change.earlier.claim, absolute)},
                "to": {"side": change.later.side, **claim_json(change.later.claim, absolute)},
            }
            for change in changes
        ],
        "both_sides_in_one_source": [
            {
                "proposition": _proposition_json(pair.proposition, absolute),
                "source": source_json(pair.first.claim.source, absolute),
                "claims": [
                    {"side": stance.side, **claim_json(stance.claim, absolute)} for stance in (pair.first, pair.second)
                ],
            }
            for pair in both_sides
        ],
    }


def _agent_ld(actor: Actor, absolute: Absolute) -> dict:
    kind = "Person" if actor.kind == ActorKind.PERSON else "Organization"
    return {"@type": kind, "name": actor.name, "url": absolute(actor.get_absolute_url())}


def _source_ld(source: Source, absolute: Absolute) -> dict:
    work = {
        "@type": "CreativeWork",
        "name": source.title,
        "url": source.url or absolute(source.get_absolute_url()),
        "inLanguage": source.language,
    }
    if published := iso_partial_date(source.published_on, source.published_precision):
        work["datePublished"] = published
    if source.author_list:
        work["author"] = [{"@type": "Person", "name": name} for name in source.author_list]
    if source.outlet:
        work["publisher"] = {"@type": "Organization", "name": source.outlet}
    return work


def contradiction_json_ld(
    proposition: Proposition, stances: list[Stance], last_reviewed: datetime | None, absolute: Absolute
) -> dict:
    """schema.org: the page, with one Claim per quoted assertion and the work it appeared in."""
    page_url = absolute(proposition.get_absolute_url())
    claims = []
    for stance in stances:
        claim = stance.claim
        item = {
            "@type": "Claim",
            "@id": f"{page_url}#claim-{claim.pk}",
            "text": claim.quote,
            "abstract": claim.paraphrase,
            "author": _agent_ld(claim.claimant, absolute),
            "appearance": _source_ld(claim.source, absolute),
        }
        if asserted := iso_partial_date(claim.asserted_on, claim.asserted_precision):
            item["dateCreated"] = asserted
        if published := item["appearance"].get("datePublished"):
            item["datePublished"] = published
        claims.append(item)
    page = {
        "@context": "https://schema.org",
        "@type": "WebPage",
        "@id": page_url,
        "url": page_url,
        "name": proposition.statement,
        "about": {"@type": "Thing", "name": proposition.statement},
        "hasPart": claims,
    }
    if last_reviewed:
        page["dateModified"] = last_reviewed.isoformat()
    return page
