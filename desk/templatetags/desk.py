"""Small template helpers for the desk: what a record is and where it is worked on."""

from django import template
from django.urls import reverse
from django.utils.translation import pgettext_lazy

from claims.models import Actor, Answer, Claim, Proposition, Question, Side, Stance
from claims.translations import Translation
from sources.models import Source

register = template.Library()


@register.filter
def kind(record) -> str:
    """ "claim", "stance" or "proposition"."""
    return record._meta.model_name


# What a record is called in the desk's sentences ("Change to claim"), by its model name.
KIND_LABELS = {
    "claim": pgettext_lazy("record kind", "claim"),
    "stance": pgettext_lazy("record kind", "stance"),
    "proposition": pgettext_lazy("record kind", "proposition"),
    "actor": pgettext_lazy("record kind", "actor"),
    "source": pgettext_lazy("record kind", "source"),
    "question": pgettext_lazy("record kind", "question"),
    "answer": pgettext_lazy("record kind", "answer"),
    "translation": pgettext_lazy("record kind", "translation"),
    "revision": pgettext_lazy("record kind", "revision"),
}


@register.filter
def kind_label(record) -> str:
    """What ``record`` is called, in the reader's language: "claim", "stance", …"""
    name = record._meta.model_name
    return str(KIND_LABELS.get(name, record._meta.verbose_name))


@register.filter
def editable_by(record, user) -> bool:
    """May ``user`` edit ``record`` in place: a draft or rejected record of their own."""
    return record.is_editable_by(user)


@register.filter
def desk_url(record) -> str:
    """Where ``record`` is worked on in the desk: its edit panel if editable, else its place on a page."""
    if isinstance(record, Claim):
        if record.is_editable:
            return reverse("desk:claim_edit", args=[record.pk])
        return f"{reverse('desk:source', args=[record.source_id])}#claim-{record.pk}"
    if isinstance(record, Stance):
        return f"{reverse('desk:board', args=[record.proposition.slug])}#stance-{record.pk}"
    if isinstance(record, Proposition):
        return reverse("desk:board", args=[record.slug])
    if isinstance(record, Actor):
        return reverse("desk:actor", args=[record.slug])
    if isinstance(record, Source):
        return reverse("desk:source", args=[record.pk])
    if isinstance(record, Question):
        return reverse("desk:question", args=[record.slug])
    if isinstance(record, Answer):
        return f"{reverse('desk:question', args=[record.question.slug])}#answer-{record.pk}"
    if isinstance(record, Translation):
        if record.source_id:
            return f"{reverse('desk:source_translations', args=[record.source_id])}#translation-{record.pk}"
        return f"{reverse('desk:claim_translations', args=[record.claim_id])}#translation-{record.pk}"
    raise TypeError(f"No desk page for {type(record).__name__}")


@register.filter
def other_sides(stance) -> list[Side]:
    return [side for side in Side if side != stance.side]


@register.filter
def revise_url(record) -> str:
    """The "propose a change" form of an approved ``record``."""
    if isinstance(record, Claim):
        return reverse("desk:claim_revise", args=[record.pk])
    if isinstance(record, Stance):
        return reverse("desk:stance_revise", args=[record.pk])
    if isinstance(record, Proposition):
        return reverse("desk:proposition_revise", args=[record.slug])
    if isinstance(record, Actor):
        return reverse("desk:actor", args=[record.slug])
    if isinstance(record, Question):
        return reverse("desk:question_revise", args=[record.slug])
    if isinstance(record, Answer):
        return reverse("desk:answer_revise", args=[record.pk])
    raise TypeError(f"No revision form for {type(record).__name__}")


@register.filter
def revised_fields(changes: dict, record) -> str:
    """The labels of the fields a revision changes: "paraphrase, claimant"."""
    if record is None:
        return ", ".join(changes)
    names = [str(record._meta.get_field(name).verbose_name) for name in changes]
    return ", ".join(names)
