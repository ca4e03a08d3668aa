"""What a question's public page shows: its answers grouped by value, the conflicts between them, and the axis."""

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property

from django import forms
from django.db.models import F, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from claims.models import Answer, Question
from claims.questions import ValueType, conflict_between
from reader import answer_axis, translations
from reader.notices import attach_notices
from reader.public import ContradictionFilterForm, attach_paragraphs

# The order of a question's answers, which numbers its values (and so their colours) wherever they are shown.
VALUE_ORDER = ("date_low", "date_high", "number_low", "number_high", "actor__name", "yes_no")


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
        .order_by(*VALUE_ORDER, "claim__asserted_on", "pk")
    )
    for answer in answers:
        answer.question = question  # every answer's question is this one: no query per answer
    claims = [answer.claim for answer in answers]
    attach_paragraphs(claims)
    attach_notices(claims)
    translations.attach_translations(claims)
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


def answered_by(questions, *, actor=None, source=None, year=None):
    """``questions`` with a public answer whose claim matches each filter given, as the contradictions list filters.

    The actor is the claim's claimant or its reporter; the year is the year the claim was asserted.
    Each filter is one list of question ids, read from the public answers.
    """
    answers = Answer.objects.public()
    if actor is not None:
        questions = questions.filter(
            pk__in=answers.filter(Q(claim__claimant=actor) | Q(claim__reported_by=actor)).values("question_id")
        )
    if source is not None:
        questions = questions.filter(pk__in=answers.filter(claim__source=source).values("question_id"))
    if year is not None:
        questions = questions.filter(pk__in=answers.filter(claim__asserted_on__year=year).values("question_id"))
    return questions


def disputed_facts(*, actor=None, source=None, year=None, limit: int | None = None) -> list[Question]:
    """Questions whose public answers conflict, newest conflict first, each with its values; filtered like the list.

    One query, however many there are: the public answers of the chosen questions, each with its question.
    """
    questions = answered_by(Question.objects.contradictions(), actor=actor, source=source, year=year)
    answers = Answer.objects.public()
    chosen = questions[:limit] if limit else questions
    found: dict[int, Question] = {}
    rows = (
        answers.filter(question__in=chosen.values("pk"))
        .select_related("question", "actor")
        .order_by("question_id", *VALUE_ORDER)
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


@dataclass
class AnswerSummary:
    """What a list says of one question: its public answers' values, which conflict, and when it was last approved."""

    answers_count: int
    groups: list[ValueGroup]
    conflicts: list[GroupConflict]
    last_reviewed: datetime | None

    @property
    def is_disputed(self) -> bool:
        return bool(self.conflicts)


def attach_summaries(questions: list[Question]) -> list[Question]:
    """Set ``question.summary`` (an AnswerSummary) on each public question, in one query whatever their number.

    The values are grouped and compared as on the question's page (``group_by_value``, ``group_conflicts``), so a
    list names the same values, in the same colours, as the page does.
    """
    answers: dict[int, list[Answer]] = {question.pk: [] for question in questions}
    if questions:
        rows = (
            Answer.objects.public()
            .filter(question__in=list(answers))
            .select_related("actor")
            .order_by("question_id", *VALUE_ORDER, "claim__asserted_on", "pk")
        )
        by_pk = {question.pk: question for question in questions}
        for answer in rows:
            answer.question = by_pk[answer.question_id]  # no query per answer
            answers[answer.question_id].append(answer)
    for question in questions:
        mine = answers[question.pk]
        groups = group_by_value(mine)
        times = [answer.reviewed_at for answer in mine if answer.reviewed_at]
        if question.reviewed_at:
            times.append(question.reviewed_at)
        question.summary = AnswerSummary(len(mine), groups, group_conflicts(groups), max(times, default=None))
    return questions


# ---------------------------------------------------------------------------
# The list of every public question (/questions/)


class QuestionSort:
    NEWEST = "newest"
    MOST_ANSWERS = "answers"
    CHOICES = [(NEWEST, _("Latest approved first")), (MOST_ANSWERS, _("Most answers first"))]


class Disputed:
    ALL = ""
    ONLY = "true"
    NOT = "false"
    CHOICES = [(ALL, _("All questions")), (ONLY, _("Disputed only")), (NOT, _("Not disputed"))]


def latest_approval():
    """When a question or one of its public answers was last approved, as an expression over questions."""
    answers = (
        Answer.objects.public()
        .filter(question=OuterRef("pk"))
        .order_by()
        .values("question")
        .annotate(latest=Max("reviewed_at"))
        .values("latest")
    )
    latest_answer = Subquery(answers)
    # Coalesce on both sides: SQLite's MAX(a, b) is NULL when either is, PostgreSQL's GREATEST skips NULLs.
    return Greatest(Coalesce("reviewed_at", latest_answer), Coalesce(latest_answer, "reviewed_at"))


class QuestionFilterForm(ContradictionFilterForm):
    """The contradictions list's filters (actor, source, year), whether the answers conflict, and an order.

    Actor, source and year are read, suggested and reported exactly as on /contradictions/; a question
    matches when one of its public answers' claims does.
    """

    disputed = forms.ChoiceField(
        choices=Disputed.CHOICES, required=False, label=pgettext_lazy("which questions a list shows", "Show")
    )
    sort = forms.ChoiceField(choices=QuestionSort.CHOICES, required=False, label=pgettext_lazy("sort order", "Order"))

    def clean_sort(self):
        return self.cleaned_data["sort"] or QuestionSort.NEWEST

    @property
    def disputed_only(self) -> bool:
        """Whether the list is narrowed to disputed facts (it is not when a filter was refused: all are ignored)."""
        return self.is_valid() and self.cleaned_data["disputed"] == Disputed.ONLY

    def filter(self, questions):
        """Apply the valid filters to ``questions`` (public ones) and sort them."""
        data = self.cleaned_data if self.is_valid() else {}
        questions = answered_by(questions, actor=data.get("actor"), source=data.get("source"), year=data.get("year"))
        if data.get("disputed") in (Disputed.ONLY, Disputed.NOT):
            questions = questions.filter(has_conflict=data["disputed"] == Disputed.ONLY)
        if data.get("sort") == QuestionSort.MOST_ANSWERS:
            return questions.order_by("-answers_count", "-pk")
        return questions.alias(last_approved=latest_approval()).order_by(
            F("last_approved").desc(nulls_last=True), "-pk"
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
        # Fixed-point text: the values are normalized, and str() of a normalized 30 is "3E+1".
        return {
            "low": None if value.low is None else format(value.low, "f"),
            "high": None if value.high is None else format(value.high, "f"),
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
