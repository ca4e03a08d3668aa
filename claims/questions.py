"""Questions that ask for one value, and the answers claims give to them.

A question ("When was the TTP–Pakistan ceasefire agreed?") asks for a date, a
number, an actor or yes/no. An answer ties a claim (its exact quote) to the
value the quote states. Both are reviewed like every other record. A question
whose approved answers cannot all be true (claims.values) is a contradiction,
found by the machine rather than written by an analyst.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from claims import values
from claims.markup import validate_markdown_length
from claims.models import Actor, Claim, Proposition, render_markdown_field, require_approved, unique_slug
from claims.review import Reviewable, ReviewableQuerySet, ReviewState
from claims.signals import became_contradiction


class ValueType(models.TextChoices):
    DATE = "date", _("A date")
    QUANTITY = "quantity", _("A number or quantity")
    ACTOR = "actor", _("An actor (who did it)")
    YES_NO = "yes_no", _("Yes or no")


KIND_LABELS = {
    ValueType.DATE: _("a date"),
    ValueType.QUANTITY: _("a number"),
    ValueType.ACTOR: _("who"),
    ValueType.YES_NO: _("yes or no"),
}


class QuestionQuerySet(ReviewableQuerySet):
    def contradictions(self):
        """Approved questions whose approved answers conflict, newest conflict first."""
        return (
            self.public()
            .filter(has_conflict=True)
            .order_by(models.F("became_contradiction_at").desc(nulls_last=True), "-pk")
        )


class Question(Reviewable):
    text = models.CharField(_("question"), max_length=300, help_text=_("Asks for one value, as one sentence."))
    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Permanent public address."))
    value_type = models.CharField(_("the answer is"), max_length=10, choices=ValueType)
    unit = models.CharField(
        _("unit"), max_length=60, blank=True, help_text=_("For numbers: what is counted, e.g. “people killed”.")
    )
    tolerance_percent = models.PositiveSmallIntegerField(
        _("tolerance (%)"),
        default=0,
        validators=[MaxValueValidator(50)],
        help_text=_("For numbers: how far apart two rounded figures may be and still agree."),
    )
    description = models.TextField(
        _("description"), blank=True, validators=[validate_markdown_length], help_text=_("Markdown.")
    )
    description_html = models.TextField(editable=False, blank=True)
    propositions = models.ManyToManyField(
        Proposition, blank=True, related_name="questions", verbose_name=_("related propositions")
    )
    # Kept correct by refresh_public_state() on every review state change that can affect them.
    answers_count = models.PositiveIntegerField(default=0, editable=False)
    has_conflict = models.BooleanField(default=False, editable=False)
    became_contradiction_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = QuestionQuerySet.as_manager()

    REVISABLE_FIELDS = ("text", "description", "tolerance_percent")
    NAME_FIELDS = ("text",)

    class Meta:
        ordering = ["text"]
        permissions = [("review_question", "Can approve and reject questions")]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="question_text_not_empty"),
            models.CheckConstraint(condition=Q(value_type__in=ValueType.values), name="question_value_type_valid"),
            models.CheckConstraint(condition=Q(tolerance_percent__lte=50), name="question_tolerance_at_most_50"),
        ]
        indexes = [
            models.Index(
                fields=["state", "-became_contradiction_at"],
                condition=Q(has_conflict=True),
                name="question_contradiction_idx",
            ),
            models.Index(fields=["state", "submitted_at"], name="question_queue_idx"),
            models.Index(fields=["created_by", "-updated_at"], name="question_mine_idx"),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        if self.value_type == ValueType.QUANTITY and not self.unit.strip():
            raise ValidationError({"unit": _("Say what the number counts, e.g. “people killed” or “fighters”.")})
        if self.value_type != ValueType.QUANTITY and (self.unit.strip() or self.tolerance_percent):
            raise ValidationError({"unit": _("Only questions asking for a number have a unit and a tolerance.")})
        if self.pk and self.answers.exists():
            stored = Question.objects.filter(pk=self.pk).values_list("value_type", "unit").get()
            if stored != (self.value_type, self.unit):
                raise ValidationError(
                    {"value_type": _("The question has answers: its type and unit can no longer change.")}
                )

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Question, self.text, exclude_pk=self.pk)
        render_markdown_field(self, "description", kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reader:question", args=[self.slug])

    @property
    def is_contradiction(self) -> bool:
        return self.is_public and self.has_conflict

    @property
    def kind_label(self) -> str:
        """What is disputed, in a word: "a date", "a number", "an actor", "yes or no"."""
        return KIND_LABELS[self.value_type]

    def after_state_change(self) -> None:
        self.refresh_public_state()

    def pages_added_to(self) -> set[tuple[str, int]]:
        return {("question", self.pk)}

    def public_answers(self):
        return Answer.objects.public().filter(question=self)

    def refresh_public_state(self) -> None:
        """Recount the public answers, decide whether they conflict, and note when they first did."""
        answers = list(self.public_answers().select_related("question"))
        self.answers_count = len(answers)
        self.state, self.became_contradiction_at = (
            Question.objects.filter(pk=self.pk).values_list("state", "became_contradiction_at").get()
        )
        self.has_conflict = bool(conflicting_pairs(answers))
        newly = self.is_contradiction and self.became_contradiction_at is None
        if newly:
            self.became_contradiction_at = timezone.now()
        Question.objects.filter(pk=self.pk).update(
            answers_count=self.answers_count,
            has_conflict=self.has_conflict,
            became_contradiction_at=self.became_contradiction_at,
        )
        if newly:
            became_contradiction.send(sender=Question, record=self)


class AnswerQuerySet(ReviewableQuerySet):
    def public(self):
        """Approved answers whose claim and question are approved too."""
        return self.filter(
            state=ReviewState.APPROVED, claim__state=ReviewState.APPROVED, question__state=ReviewState.APPROVED
        )


class Answer(Reviewable):
    """A claim's answer to a question: the value its quote states, typed."""

    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers", verbose_name=_("question"))
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="answers", verbose_name=_("claim"))
    value_text = models.CharField(
        _("value"), max_length=values.MAX_VALUE_LENGTH, help_text=_("As the quote states it, e.g. “May 2022”.")
    )
    # The value read from value_text for the question's type (save() fills these; one group is set).
    date_low = models.DateField(null=True, blank=True, editable=False)
    date_high = models.DateField(null=True, blank=True, editable=False)
    date_precision = models.CharField(max_length=8, blank=True, editable=False)
    number_low = models.DecimalField(
        max_digits=values.MAX_DIGITS, decimal_places=values.DECIMAL_PLACES, null=True, blank=True, editable=False
    )
    number_high = models.DecimalField(
        max_digits=values.MAX_DIGITS, decimal_places=values.DECIMAL_PLACES, null=True, blank=True, editable=False
    )
    approximate = models.BooleanField(default=False, editable=False)
    actor = models.ForeignKey(
        Actor, on_delete=models.PROTECT, null=True, blank=True, related_name="named_in_answers", editable=False
    )
    yes_no = models.BooleanField(null=True, blank=True, editable=False)

    objects = AnswerQuerySet.as_manager()

    REVISABLE_FIELDS = ("value_text",)

    class Meta:
        ordering = ["question", "date_low", "number_low", "pk"]
        permissions = [("review_answer", "Can approve and reject answers")]
        constraints = [
            models.UniqueConstraint(fields=["question", "claim"], name="answer_unique_question_claim"),
            models.CheckConstraint(condition=~Q(value_text=""), name="answer_value_not_empty"),
        ]
        indexes = [
            models.Index(fields=["question", "state"], name="answer_question_state_idx"),
            models.Index(fields=["claim", "state"], name="answer_claim_state_idx"),
            models.Index(fields=["state", "submitted_at"], name="answer_queue_idx"),
            models.Index(fields=["created_by", "-updated_at"], name="answer_mine_idx"),
        ]

    def __str__(self):
        return f"{self.value_text} — {self.question}"

    def get_absolute_url(self):
        return self.question.get_absolute_url()

    def clean(self):
        super().clean()
        if self.question_id is not None and self.value_text:  # otherwise the missing field is the error
            self.read_value()

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "value_text" in update_fields:
            self.read_value()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *TYPED_FIELDS}
        super().save(*args, **kwargs)

    def read_value(self) -> None:
        """Fill the typed fields from value_text for the question's type; ValidationError names the field."""
        try:
            typed = read_value(self.question, self.value_text)
        except values.InvalidValue as error:
            raise ValidationError({"value_text": str(error)}) from None
        for field in TYPED_FIELDS:
            setattr(self, field, typed.get(field, _EMPTY[field]))
        if self.question.value_type == ValueType.ACTOR:
            self.value_text = self.actor.name

    @property
    def value(self):
        """The typed value, for conflict rules and drawing."""
        kind = self.question.value_type
        if kind == ValueType.DATE:
            return values.DateValue(self.date_low, self.date_high, self.date_precision)
        if kind == ValueType.QUANTITY:
            return values.QuantityValue(_normal(self.number_low), _normal(self.number_high), self.approximate)
        if kind == ValueType.ACTOR:
            return self.actor_id
        return self.yes_no

    @property
    def value_display(self) -> str:
        kind = self.question.value_type
        if kind == ValueType.DATE:
            return self.value.display()
        if kind == ValueType.QUANTITY:
            return self.value.display(self.question.unit)
        if kind == ValueType.ACTOR:
            return self.value_text
        return _("Yes") if self.yes_no else _("No")

    def value_key(self):
        """Answers with equal keys state the same value (they are grouped together)."""
        kind = self.question.value_type
        if kind == ValueType.DATE:
            return (self.date_low, self.date_high)
        if kind == ValueType.QUANTITY:
            return (_normal(self.number_low), _normal(self.number_high), self.approximate)
        return self.value

    def dependencies(self):
        return [(_("Its claim"), self.claim), (_("Its question"), self.question)]

    def check_approvable(self) -> None:
        require_approved((_("its claim"), Claim, self.claim_id), (_("its question"), Question, self.question_id))
        if self.actor_id:
            require_approved((_("the actor it names"), Actor, self.actor_id))

    def after_state_change(self) -> None:
        self.question.refresh_public_state()

    def pages_added_to(self) -> set[tuple[str, int]]:
        return {("question", self.question_id), ("source", self.claim.source_id), ("actor", self.claim.claimant_id)}


TYPED_FIELDS = (
    "date_low", "date_high", "date_precision", "number_low", "number_high", "approximate", "actor", "yes_no",
)  # fmt: skip
_EMPTY = dict.fromkeys(TYPED_FIELDS) | {"date_precision": "", "approximate": False}


def _normal(number: Decimal | None) -> Decimal | None:
    return None if number is None else number.normalize()


def read_value(question: Question, text: str) -> dict:
    """The typed fields for ``text`` as an answer to ``question``; raises values.InvalidValue."""
    kind = question.value_type
    if kind == ValueType.DATE:
        date = values.parse_date_value(text)
        return {"date_low": date.low, "date_high": date.high, "date_precision": date.precision}
    if kind == ValueType.QUANTITY:
        number = values.parse_quantity_value(text, unit=question.unit)
        return {"number_low": number.low, "number_high": number.high, "approximate": number.approximate}
    if kind == ValueType.ACTOR:
        return {"actor": actor_named(text)}
    return {"yes_no": values.parse_yes_no_value(text)}


def actor_named(text: str) -> Actor:
    name = " ".join(str(text).split())
    if not name:
        raise values.InvalidValue(gettext("Name the actor."))
    found = list(Actor.objects.filter(name__iexact=name)[:2]) or [
        actor
        for actor in Actor.objects.filter(aliases__icontains=name)[:20]
        if name.casefold() in (alias.casefold() for alias in actor.alias_list)
    ]
    if not found:
        raise values.InvalidValue(
            gettext("No actor is called “%(name)s”. Create the actor first, or pick one listed.") % {"name": name[:80]}
        )
    if len(found) > 1:
        raise values.InvalidValue(
            gettext("Several actors are called “%(name)s”: write the full name of the one meant.") % {"name": name[:80]}
        )
    return found[0]


@dataclass(frozen=True)
class Conflict:
    first: Answer
    second: Answer


def conflict_between(first: Answer, second: Answer) -> bool:
    """Whether two answers to one question cannot both be true."""
    question = first.question
    kind = question.value_type
    if kind == ValueType.DATE:
        return values.dates_conflict(first.value, second.value)
    if kind == ValueType.QUANTITY:
        return values.quantities_conflict(first.value, second.value, tolerance_percent=question.tolerance_percent)
    return first.value != second.value


def conflicting_pairs(answers: list[Answer]) -> list[Conflict]:
    """Every pair of conflicting answers, each pair once, in the order given.

    Answers with the same value are compared once, so a question with many
    answers but few distinct values costs little.
    """
    groups: dict = {}
    for answer in answers:
        groups.setdefault(answer.value_key(), []).append(answer)
    representatives = [group[0] for group in groups.values()]
    pairs = []
    for index, first in enumerate(representatives):
        for second in representatives[index + 1 :]:
            if conflict_between(first, second):
                pairs.append(Conflict(first, second))
    return pairs
