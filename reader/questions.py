"""What a question's public page shows: its answers grouped by value, the conflicts between them, and the axis."""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from django.db.models import Q

from claims.models import Answer, Question
from claims.questions import ValueType, conflict_between
from reader import answer_axis
from reader.notices import attach_notices
from reader.public import attach_paragraphs


@dataclass
class ValueGroup:
    """Answers that state the same value."""

    number: int
    answers: list[Answer]

    @property
    def display(self) -> str:
        return self.answers[0].value_display

    @property
    def anchor(self) -> str:
        return f"value-{self.number + 1}"

    @property
    def colour(self) -> int:
        return self.number % answer_axis.GROUP_COLOURS


@dataclass
class GroupConflict:
    first: ValueGroup
    second: ValueGroup


def public_answers(question: Question) -> list[Answer]:
    """The question's public answers in value order, each claim with its paragraph and re-check notice."""
    answers = list(
        Answer.objects.public()
        .filter(question=question)
        .select_related("claim__claimant", "claim__reported_by", "claim__source", "actor")
        .defer("claim__source__text")
        .order_by(
            "date_low", "date_high", "number_low", "number_high", "actor__name", "yes_no", "claim__asserted_on", "pk"
        )
    )
    for answer in answers:
        answer.question = question  # every answer's question is this one: no query per answer
    claims = [answer.claim for answer in answers]
    attach_paragraphs(claims)
    attach_notices(claims)
    return answers


def group_by_value(answers: list[Answer]) -> list[ValueGroup]:
    groups: dict = {}
    for answer in answers:
        groups.setdefault(answer.value_key(), []).append(answer)
    return [ValueGroup(number, members) for number, members in enumerate(groups.values())]


def group_conflicts(groups: list[ValueGroup]) -> list[GroupConflict]:
    return [
        GroupConflict(first, second)
        for index, first in enumerate(groups)
        for second in groups[index + 1 :]
        if conflict_between(first.answers[0], second.answers[0])
    ]


def agreements(groups: list[ValueGroup], conflicts: list[GroupConflict]) -> list[tuple[ValueGroup, ValueGroup]]:
    """Pairs of different values that can both be true (at different precision, or within the tolerance)."""
    conflicting = {(conflict.first.number, conflict.second.number) for conflict in conflicts}
    return [
        (first, second)
        for index, first in enumerate(groups)
        for second in groups[index + 1 :]
        if (first.number, second.number) not in conflicting
    ]


class QuestionPage:
    def __init__(self, question: Question):
        self.question = question

    @cached_property
    def answers(self) -> list[Answer]:
        return public_answers(self.question)

    @cached_property
    def groups(self) -> list[ValueGroup]:
        return group_by_value(self.answers)

    @cached_property
    def conflicts(self) -> list[GroupConflict]:
        return group_conflicts(self.groups)

    @cached_property
    def agreements(self) -> list[tuple[ValueGroup, ValueGroup]]:
        return agreements(self.groups, self.conflicts)

    @cached_property
    def axis(self):
        return answer_axis.draw(self.question, [group.answers for group in self.groups])

    @cached_property
    def has_axis(self) -> bool:
        return self.question.value_type in (ValueType.DATE, ValueType.QUANTITY)

    @cached_property
    def related(self):
        return list(self.question.propositions.contradictions())

    @cached_property
    def last_reviewed(self) -> datetime | None:
        times = [answer.reviewed_at for answer in self.answers if answer.reviewed_at]
        if self.question.reviewed_at:
            times.append(self.question.reviewed_at)
        return max(times, default=None)


def disputed_facts(*, actor=None, source=None, year=None, limit: int | None = None) -> list[Question]:
    """Questions whose public answers conflict, newest conflict first, each with its values; filtered like the list.

    One query, however many there are: the public answers of the chosen questions, each with its question.
    """
    questions = Question.objects.contradictions()
    answers = Answer.objects.public()
    if actor is not None:
        questions = questions.filter(
            pk__in=answers.filter(Q(claim__claimant=actor) | Q(claim__reported_by=actor)).values("question_id")
        )
    if source is not None:
        questions = questions.filter(pk__in=answers.filter(claim__source=source).values("question_id"))
    if year is not None:
        questions = questions.filter(pk__in=answers.filter(claim__asserted_on__year=year).values("question_id"))
    chosen = questions[:limit] if limit else questions
    found: dict[int, Question] = {}
    rows = (
        answers.filter(question__in=chosen.values("pk"))
        .select_related("question", "actor")
        .order_by("question_id", "date_low", "date_high", "number_low", "number_high", "actor__name", "yes_no")
    )
    for answer in rows:
        question = found.setdefault(answer.question_id, answer.question)
        answer.question = question
        if not hasattr(question, "values"):
            question.values = []
        if answer.value_display not in [display for display, _ in question.values]:
            question.values.append((answer.value_display, len(question.values) % answer_axis.GROUP_COLOURS))
    # As contradictions() orders them: the latest to become one first, those with no date last.
    earliest = datetime.min.replace(tzinfo=UTC)
    return sorted(
        found.values(),
        key=lambda question: (question.became_contradiction_at or earliest, question.pk),
        reverse=True,
    )


def answer_value_json(answer: Answer) -> dict:
    """The typed value of an answer: its interval, so that a reader's tools can compare values too."""
    kind = answer.question.value_type
    if kind == ValueType.DATE:
        return {
            "low": answer.date_low.isoformat(),
            "high": answer.date_high.isoformat(),
            "precision": answer.date_precision,
        }
    if kind == ValueType.QUANTITY:
        value = answer.value
        return {
            "low": None if value.low is None else str(value.low),
            "high": None if value.high is None else str(value.high),
            "approximate": value.approximate,
        }
    if kind == ValueType.ACTOR:
        return {"actor": answer.actor.slug if answer.actor_id else None}
    return {"yes": answer.yes_no}


def question_record(question: Question, absolute) -> dict:
    """What a question is, for its page's JSON and the public export alike."""
    return {
        "type": "question",
        "slug": question.slug,
        "question": question.text,
        "description": question.description,
        "url": absolute(question.get_absolute_url()),
        "value_type": question.value_type,
        "unit": question.unit or None,
        "tolerance_percent": question.tolerance_percent,
        "is_contradiction": question.is_contradiction,
    }


def question_json(question: Question, page: QuestionPage, absolute) -> dict:
    from reader.public_json import claim_json

    return {
        **question_record(question, absolute),
        "values": [
            {
                "value": group.display,
                **answer_value_json(group.answers[0]),
                "answers": [
                    {"stated_as": answer.value_text, "claim": claim_json(answer.claim, absolute)}
                    for answer in group.answers
                ],
            }
            for group in page.groups
        ],
        "conflicts": [[conflict.first.display, conflict.second.display] for conflict in page.conflicts],
        "related_propositions": [absolute(proposition.get_absolute_url()) for proposition in page.related],
        "last_reviewed": page.last_reviewed.isoformat() if page.last_reviewed else None,
    }
