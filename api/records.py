"""Public records as the API gives them: ``reader.public_json``'s shapes, and a few more.

Like public_json, every function takes the records the caller read from the
public querysets and ``absolute`` (a path to a full address); nothing here
decides what is public or reads the database, so the lists can pin their
queries. Webhooks, citations and embeds can build their bodies from these.
"""

from claims.models import Actor, Claim, Proposition, Question, Stance
from reader.public import SideActor
from reader.public_json import Absolute, actor_json, claim_json, contradiction_json, source_json
from reader.questions import answer_value_json, question_json, question_record
from sources.models import Source

__all__ = [
    "actor_json",
    "actor_record",
    "claim_json",
    "claim_record",
    "contradiction_json",
    "contradiction_summary",
    "proposition_ref",
    "question_json",
    "question_summary",
    "source_json",
    "source_record",
    "stance_record",
]


def proposition_ref(proposition: Proposition, absolute: Absolute) -> dict:
    return {
        "slug": proposition.slug,
        "statement": proposition.statement,
        "url": absolute(proposition.get_absolute_url()),
    }


def _side_actor(actor: SideActor, absolute: Absolute) -> dict:
    # attach_side_actors reads each actor's name and slug only, as the contradictions page shows them.
    return {"slug": actor.slug, "name": actor.name, "url": absolute(actor.url)}


def contradiction_summary(proposition: Proposition, absolute: Absolute) -> dict:
    """A contradiction in a list: its counts and who is on each side (``public.attach_side_actors`` first)."""
    return {
        **proposition_ref(proposition, absolute),
        "counts": {
            "supports": proposition.supports_count,
            "disputes": proposition.disputes_count,
            "qualifies": proposition.qualifies_count,
        },
        "became_contradiction_at": (
            proposition.became_contradiction_at.isoformat() if proposition.became_contradiction_at else None
        ),
        "supporters": [_side_actor(actor, absolute) for actor in proposition.supporters],
        "disputers": [_side_actor(actor, absolute) for actor in proposition.disputers],
    }


def claim_record(claim: Claim, absolute: Absolute) -> dict:
    """A claim with the public propositions it takes a side on (``public.attach_public_stances`` first)."""
    stances = [
        {"id": stance.pk, "side": stance.side, "proposition": proposition_ref(stance.proposition, absolute)}
        for stance in claim.public_stances
    ]
    return {**claim_json(claim, absolute), "stances": stances}


def stance_record(stance: Stance, absolute: Absolute) -> dict:
    return {
        "id": stance.pk,
        "side": stance.side,
        "note": stance.note,
        "proposition": proposition_ref(stance.proposition, absolute),
        "claim": claim_json(stance.claim, absolute),
    }


def actor_record(actor: Actor, absolute: Absolute) -> dict:
    """An actor as its public page shows it (annotated with ``affiliation_is_public`` as the page's query does)."""
    affiliation = None
    if body := actor.affiliation:
        public = getattr(actor, "affiliation_is_public", False)
        affiliation = {
            "name": body.name,
            "slug": body.slug if public else None,
            "url": absolute(body.get_absolute_url()) if public else None,
        }
    return {
        **actor_json(actor, absolute),
        "aliases": actor.alias_list,
        "affiliation": affiliation,
        "description": actor.description,
    }


def source_record(source: Source, absolute: Absolute, *, text: bool = False) -> dict:
    """A source as its public page shows it; with ``text``, the text quotes are anchored in and its SHA-256."""
    record = {**source_json(source, absolute), "notes": source.notes}
    if text:
        record |= {"text": source.text, "text_sha256": source.checksum}
    return record


def question_summary(question: Question, absolute: Absolute) -> dict:
    """A question in a list: its record, its values with how many answers give each, and which conflict.

    ``reader.questions.attach_summaries`` first, as /questions/ lists them; one query for the whole page.
    """
    summary = question.summary
    return {
        **question_record(question, absolute),
        "answers_count": summary.answers_count,
        "values": [
            {"value": group.display, **answer_value_json(group.answers[0]), "answers_count": len(group.answers)}
            for group in summary.groups
        ],
        "conflicts": [[conflict.first.display, conflict.second.display] for conflict in summary.conflicts],
        "last_reviewed": summary.last_reviewed.isoformat() if summary.last_reviewed else None,
    }
