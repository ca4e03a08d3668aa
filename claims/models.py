"""Who asserted what, where, in their exact words, and which propositions they take sides on.

Actors, propositions, claims and stances pass through review (``claims.review``):
draft → pending → approved / rejected. Only approved records are public.
"""

import copy
import dataclasses
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from claims.markup import render_markdown, validate_markdown_length

# The review machinery is shared with sources; importers of claims.models find it here too.
from claims.review import FieldChange as FieldChange
from claims.review import FieldDiff as FieldDiff
from claims.review import Reviewable, ReviewableQuerySet, ReviewError, ReviewState
from claims.review import Revision as Revision
from claims.review import StaleEdit as StaleEdit
from claims.review import StateChange as StateChange
from claims.review import VersionedModel as VersionedModel
from claims.review import assign_field as assign_field
from claims.review import display_field_value as display_field_value
from claims.review import json_field_value as json_field_value
from claims.signals import became_contradiction
from sources.anchoring import CONTEXT_LENGTH, Anchor, AnchorError, anchor_quote
from sources.dates import DatePrecision, format_partial_date, precision_constraint_q
from sources.models import Source
from sources.segments import passage_in_paragraph


def unique_slug(model, text: str, *, max_length: int = 80, exclude_pk=None) -> str:
    """A slug for ``text`` not yet used by ``model``, now or formerly (claims.addresses): base, base-2, base-3, …"""
    from claims.addresses import former_slugs

    base = slugify(text, allow_unicode=False)[:max_length].strip("-") or model._meta.model_name
    taken = model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    taken = set(taken) | former_slugs(model, base)
    slug, counter = base, 2
    while slug in taken:
        suffix = f"-{counter}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        counter += 1
    return slug


def require_approved(*dependencies) -> None:
    """Raise ReviewError naming each ``(label, model, pk)`` dependency that is set but not approved.

    States are read afresh: a bulk action may have approved them a moment ago.
    """
    waiting = [
        str(label)
        for label, model, pk in dependencies
        if pk is not None
        and model.objects.filter(pk=pk).values_list("state", flat=True).first() != ReviewState.APPROVED
    ]
    if waiting:
        raise ReviewError(
            _("Approve %(what)s first: a record is public only when what it rests on is.")
            % {"what": str(_(" and ")).join(waiting)}
        )


def pages_added_to(propositions: set[int], claims: list[tuple[int, int | None, int]]) -> set[tuple[str, int]]:
    """The public pages whose own records an approval adds to, as ("proposition" | "actor" | "source", pk).

    ``propositions`` are those the approval puts a public stance on; ``claims`` are
    (claimant, reporter, source) of the claims it makes public. Besides their own
    pages, everyone with a public stance on those propositions changes (their
    lists of opponents), and so do the bodies they belong to (their members).
    """
    public_stances = Stance.objects.filter(state=ReviewState.APPROVED)
    actors = {actor for claimant, reporter, _ in claims for actor in (claimant, reporter) if actor}
    sharing = public_stances.filter(proposition__in=propositions, claim__state=ReviewState.APPROVED)
    actors |= set(sharing.values_list("claim__claimant_id", flat=True))
    actors |= set(
        Actor.objects.filter(pk__in=actors, affiliation__isnull=False).values_list("affiliation_id", flat=True)
    )
    return (
        {("proposition", pk) for pk in propositions}
        | {("actor", pk) for pk in actors}
        | {("source", source) for _, _, source in claims}
    )


def render_markdown_field(instance, field: str, save_kwargs: dict) -> None:
    """Render ``field`` (Markdown) into ``<field>_html`` when a save writes ``field``.

    Saves that write other fields only (state changes, counts) render nothing;
    when ``update_fields`` names the Markdown field, the HTML is saved with it.
    """
    update_fields = save_kwargs.get("update_fields")
    if update_fields is not None and field not in update_fields:
        return
    setattr(instance, f"{field}_html", render_markdown(getattr(instance, field)))
    if update_fields is not None:
        save_kwargs["update_fields"] = {*update_fields, f"{field}_html"}


# ---------------------------------------------------------------------------
# Actors


class ActorKind(models.TextChoices):
    PERSON = "person", _("Person")
    GOVERNMENT = "government", _("Government")
    ARMED_GROUP = "armed_group", _("Armed group")
    PARTY = "party", _("Political party")
    MEDIA_OUTLET = "media_outlet", _("Media outlet")
    RESEARCH_BODY = "research_body", _("Research body")
    OTHER = "other", _("Other")


class ActorQuerySet(ReviewableQuerySet):
    def public(self):
        """Actors readers may see: approved, and claimant or reporter of at least one approved claim."""
        approved = Claim.objects.filter(state=ReviewState.APPROVED)
        return self.filter(state=ReviewState.APPROVED).filter(
            Exists(approved.filter(claimant=OuterRef("pk"))) | Exists(approved.filter(reported_by=OuterRef("pk")))
        )

    def matching(self, term: str):
        """Actors whose name or one of whose aliases contains ``term`` (type-ahead)."""
        term = term.strip()
        if not term:
            return self.none()
        return self.filter(Q(name__icontains=term) | Q(aliases__icontains=term))


class Actor(Reviewable):
    """A person or body that asserts things or is talked about.

    Reviewed like every public record: a claim is approved only once its claimant
    and reporter are, so nothing an analyst wrote about an actor (name, aliases,
    affiliation, description) reaches readers unseen by a reviewer, and an edit
    of an approved actor is a revision.
    """

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Permanent public address."))
    kind = models.CharField(_("kind"), max_length=20, choices=ActorKind, default=ActorKind.PERSON)
    aliases = models.TextField(_("aliases"), blank=True, help_text=_("Other names, one per line."))
    affiliation = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
        verbose_name=_("affiliation"),
        help_text=_("The body this actor speaks for, e.g. a spokesman's government."),
    )
    description = models.TextField(
        _("description"), blank=True, validators=[validate_markdown_length], help_text=_("Markdown.")
    )
    description_html = models.TextField(editable=False, blank=True)

    objects = ActorQuerySet.as_manager()

    REVISABLE_FIELDS = ("name", "kind", "aliases", "affiliation", "description")
    NAME_FIELDS = ("name", "aliases")

    class Meta:
        ordering = ["name"]
        permissions = [("review_actor", "Can approve and reject actors")]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="actor_name_not_empty"),
            models.CheckConstraint(condition=~Q(affiliation=F("pk")), name="actor_not_own_affiliation"),
        ]
        indexes = [
            # Type-ahead and search by name.
            models.Index(fields=["name"], name="actor_name_idx"),
            # awaiting_review(): the reviewers' queue, oldest first.
            models.Index(fields=["state", "submitted_at"], name="actor_queue_idx"),
            # Desk: an analyst's own actors, latest change first.
            models.Index(fields=["created_by", "-updated_at"], name="actor_mine_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Actor, self.name, exclude_pk=self.pk)
        self.aliases = "\n".join(self.alias_list)
        render_markdown_field(self, "description", kwargs)
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        self.aliases = "\n".join(self.alias_list)

    def get_absolute_url(self):
        return reverse("reader:actor", args=[self.slug])

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    def dependencies(self):
        return [(_("Its affiliation"), self.affiliation)]

    def check_approvable(self) -> None:
        require_approved((_("its affiliation"), Actor, self.affiliation_id))

    def check_withdrawable(self) -> None:
        if Claim.objects.public().filter(Q(claimant=self) | Q(reported_by=self)).exists():
            raise ReviewError(_("Readers see this actor with approved claims: return those claims to draft first."))


class PropositionQuerySet(ReviewableQuerySet):
    def contradictions(self):
        """Approved propositions with approved claims on both opposing sides, newest first."""
        return (
            self.public()
            .filter(supports_count__gt=0, disputes_count__gt=0)
            .order_by(F("became_contradiction_at").desc(nulls_last=True), "-pk")
        )


class Proposition(Reviewable):
    statement = models.CharField(
        _("statement"), max_length=300, help_text=_("The contested statement, as one sentence.")
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True, help_text=_("Permanent public address."))
    description = models.TextField(
        _("description"), blank=True, validators=[validate_markdown_length], help_text=_("Markdown.")
    )
    description_html = models.TextField(editable=False, blank=True)
    # Public tallies, kept correct by refresh_public_counts() on every review
    # state change that can affect them, so lists never count per row.
    supports_count = models.PositiveIntegerField(default=0, editable=False)
    disputes_count = models.PositiveIntegerField(default=0, editable=False)
    qualifies_count = models.PositiveIntegerField(default=0, editable=False)
    became_contradiction_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PropositionQuerySet.as_manager()

    REVISABLE_FIELDS = ("statement", "description")
    NAME_FIELDS = ("statement",)

    class Meta:
        ordering = ["statement"]
        permissions = [("review_proposition", "Can approve and reject propositions")]
        constraints = [
            models.CheckConstraint(condition=~Q(statement=""), name="proposition_statement_not_empty"),
        ]
        indexes = [
            # Desk home: an analyst's own propositions, latest change first.
            models.Index(fields=["created_by", "-updated_at"], name="proposition_mine_idx"),
            # Desk home: every proposition, latest change first.
            models.Index(fields=["-updated_at"], name="proposition_updated_idx"),
            # contradictions(): approved, both sides counted, newest first (home, list, feed).
            models.Index(
                fields=["state", "-became_contradiction_at"],
                condition=Q(supports_count__gt=0, disputes_count__gt=0),
                name="proposition_contradiction_idx",
            ),
            # awaiting_review(): the reviewers' queue, oldest first.
            models.Index(fields=["state", "submitted_at"], name="proposition_queue_idx"),
        ]

    def __str__(self):
        return self.statement

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Proposition, self.statement, exclude_pk=self.pk)
        render_markdown_field(self, "description", kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("reader:contradiction", args=[self.slug])

    @property
    def is_contradiction(self) -> bool:
        return self.is_public and self.supports_count > 0 and self.disputes_count > 0

    def after_state_change(self) -> None:
        self.refresh_public_counts()

    def pages_added_to(self) -> set[tuple[str, int]]:
        """Approving a proposition adds it, and its public claims, to their pages."""
        on_it = Stance.objects.public().filter(proposition=self).values("claim_id")
        claims = Claim.objects.public().filter(pk__in=on_it).values_list("claimant_id", "reported_by_id", "source_id")
        return pages_added_to({self.pk}, list(claims))

    def refresh_public_counts(self) -> None:
        """Recount the public stances on each side and note when this became a contradiction."""
        counts = dict(
            Stance.objects.public()
            .filter(proposition=self)
            .values_list("side")
            .annotate(n=Count("pk"))
            .values_list("side", "n")
        )
        self.supports_count = counts.get(Side.SUPPORTS, 0)
        self.disputes_count = counts.get(Side.DISPUTES, 0)
        self.qualifies_count = counts.get(Side.QUALIFIES, 0)
        # This copy may have been loaded before the same action approved it (a stance's
        # proposition, read before a bulk approval reached it): read the state afresh.
        self.state, self.became_contradiction_at = (
            Proposition.objects.filter(pk=self.pk).values_list("state", "became_contradiction_at").get()
        )
        newly = self.is_contradiction and self.became_contradiction_at is None
        if newly:
            self.became_contradiction_at = timezone.now()
        Proposition.objects.filter(pk=self.pk).update(
            supports_count=self.supports_count,
            disputes_count=self.disputes_count,
            qualifies_count=self.qualifies_count,
            became_contradiction_at=self.became_contradiction_at,
        )
        if newly:
            became_contradiction.send(sender=Proposition, record=self)


# ---------------------------------------------------------------------------
# Claims


class Claim(Reviewable):
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="claims", verbose_name=_("source"))
    claimant = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        related_name="claims",
        verbose_name=_("claimant"),
        help_text=_("Who asserted it."),
    )
    quote = models.TextField(_("exact quote"))
    start = models.PositiveIntegerField(_("start offset"))
    end = models.PositiveIntegerField(_("end offset"))
    prefix = models.CharField(_("text before the quote"), max_length=CONTEXT_LENGTH, blank=True)
    suffix = models.CharField(_("text after the quote"), max_length=CONTEXT_LENGTH, blank=True)
    paraphrase = models.CharField(_("paraphrase"), max_length=300, help_text=_("One line, in your words."))
    asserted_on = models.DateField(_("asserted on"), null=True, blank=True)
    asserted_precision = models.CharField(
        _("asserted date precision"), max_length=8, choices=DatePrecision, default=DatePrecision.UNKNOWN
    )
    reported_by = models.ForeignKey(
        Actor,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_claims",
        verbose_name=_("reported by"),
        help_text=_("For reported speech: who reports that the claimant said it."),
    )

    objects = ReviewableQuerySet.as_manager()

    # The anchor (start, end, prefix, suffix) follows the quote: prepare_revision re-anchors it.
    REVISABLE_FIELDS = ("quote", "paraphrase", "claimant", "reported_by", "asserted_on", "asserted_precision")
    NAME_FIELDS = ("paraphrase",)

    class Meta:
        ordering = ["source", "start", "pk"]
        permissions = [("review_claim", "Can approve and reject claims")]
        constraints = [
            models.CheckConstraint(condition=~Q(quote=""), name="claim_quote_not_empty"),
            # The span is exactly as long as the quote it holds (its position
            # inside the source text is checked in clean(), across tables).
            models.CheckConstraint(condition=Q(end=F("start") + Length("quote")), name="claim_span_matches_quote"),
            models.CheckConstraint(
                condition=precision_constraint_q("asserted_on", "asserted_precision"), name="claim_asserted_precision"
            ),
            models.CheckConstraint(condition=~Q(reported_by=F("claimant")), name="claim_not_reported_by_claimant"),
        ]
        indexes = [
            # Source page: a source's approved claims in text order.
            models.Index(fields=["source", "state", "start"], name="claim_source_state_idx"),
            # Actor page: an actor's approved claims.
            models.Index(fields=["claimant", "state"], name="claim_claimant_state_idx"),
            # awaiting_review(): the reviewers' queue, oldest first.
            models.Index(fields=["state", "submitted_at"], name="claim_queue_idx"),
            # Feed and "latest": newly approved claims.
            models.Index(fields=["state", "-first_approved_at"], name="claim_approved_idx"),
            # Desk home: an analyst's own claims, latest change first.
            models.Index(fields=["created_by", "-updated_at"], name="claim_mine_idx"),
            # API: every public claim, newest first (cursor pagination by id).
            models.Index(fields=["state", "-id"], name="claim_state_idx"),
        ]

    def __str__(self):
        quote = self.quote if len(self.quote) <= 60 else f"{self.quote[:57]}…"
        return f"{self.claimant}: “{quote}”"

    def get_absolute_url(self):
        return f"{reverse('reader:source', args=[self.source_id])}#claim-{self.pk}"

    @property
    def asserted_display(self) -> str:
        return format_partial_date(self.asserted_on, self.asserted_precision)

    @classmethod
    def record(
        cls,
        *,
        source: Source,
        quote: str = "",
        prefix: str = "",
        suffix: str = "",
        position=None,
        anchor: Anchor | None = None,
        **fields,
    ):
        """Create the claim as a draft at ``anchor``, or anchor ``quote`` in ``source`` first.

        Pass the ``anchor`` a form already found (sources.anchoring.anchor_quote
        into this source's text) and the quote is not searched for again; clean()
        still checks that the text holds the quote there. Without one, raises
        sources.anchoring.AnchorError (with a message for the analyst) when the
        quote cannot be anchored exactly once.
        """
        if anchor is None:
            anchor = anchor_quote(source.text, quote, prefix=prefix, suffix=suffix, position=position)
        claim = cls(
            source=source,
            quote=anchor.exact,
            start=anchor.start,
            end=anchor.end,
            prefix=anchor.prefix,
            suffix=anchor.suffix,
            state=ReviewState.DRAFT,
            **fields,
        )
        claim.full_clean()
        claim.save()
        return claim

    def clean(self):
        super().clean()
        if self.source_id and self.source.text[self.start : self.end] != self.quote:
            raise ValidationError(
                {"quote": _("The quote does not match the source text at its anchor; anchor it again.")}
            )
        if self.reported_by_id and self.reported_by_id == self.claimant_id:
            raise ValidationError({"reported_by": _("The claimant cannot report their own claim; leave it empty.")})

    def dependencies(self):
        return [
            (_("Its source"), self.source),
            (_("Its claimant"), self.claimant),
            (_("The actor who reported it"), self.reported_by),
        ]

    def check_approvable(self) -> None:
        require_approved(
            (_("its source"), Source, self.source_id),
            (_("its claimant"), Actor, self.claimant_id),
            (_("the actor who reported it"), Actor, self.reported_by_id),
        )

    def after_state_change(self) -> None:
        for proposition in Proposition.objects.filter(stances__claim=self).distinct():
            proposition.refresh_public_counts()
        # Its answers are public only while it is approved: the questions it answers are worked out again.
        for question in Question.objects.filter(answers__claim=self).distinct():
            question.refresh_public_state()

    def pages_added_to(self) -> set[tuple[str, int]]:
        """Approving a claim adds it to its actors' and source's pages, and to its propositions' through its stances."""
        propositions = Stance.objects.filter(state=ReviewState.APPROVED, claim=self).values_list("proposition_id")
        claims = [(self.claimant_id, self.reported_by_id, self.source_id)]
        return pages_added_to({pk for (pk,) in propositions}, claims)

    def prepare_revision(self, changes: dict) -> dict:
        """A changed quote brings its anchor into the same source.

        ``changes["quote"]`` is either the Anchor a form already found in this
        source's text (used as it is; the revision's full_clean checks that the
        text holds the quote there) or the quote's text, anchored here near
        where the quote was.
        """
        if "quote" in changes:
            anchor = changes["quote"]
            if not isinstance(anchor, Anchor):
                try:
                    anchor = anchor_quote(self.source.text, anchor, position=self.start)
                except AnchorError as error:
                    raise ValidationError({"quote": str(error)}) from None
            changes.update(
                quote=anchor.exact, start=anchor.start, end=anchor.end, prefix=anchor.prefix, suffix=anchor.suffix
            )
        return changes

    def quote_in_paragraph(self) -> tuple[str, str, str]:
        """The paragraph around the quote as (text before, quote, text after).

        A quote spanning several paragraphs brings them all (sources.segments).
        """
        return passage_in_paragraph(self.source.text, self.start, self.end)


# ---------------------------------------------------------------------------
# Stances


class Side(models.TextChoices):
    SUPPORTS = "supports", _("Supports")
    DISPUTES = "disputes", _("Disputes")
    QUALIFIES = "qualifies", _("Qualifies")


class StanceQuerySet(ReviewableQuerySet):
    def on_boards(self):
        """Every stance but those analysts removed from their board."""
        return self.exclude(state=ReviewState.REMOVED)

    def public(self):
        """Approved stances whose claim and proposition are approved too.

        The claim and the proposition are checked with EXISTS, not joins: a list of
        every public stance newest first (the API's) then walks stance_state_idx
        backwards and stops at its page, where with joins SQLite's planner starts
        from the approved propositions and sorts every public stance.
        """
        approved_claim = Claim.objects.filter(pk=OuterRef("claim_id"), state=ReviewState.APPROVED)
        approved_proposition = Proposition.objects.filter(pk=OuterRef("proposition_id"), state=ReviewState.APPROVED)
        return self.filter(Exists(approved_claim), Exists(approved_proposition), state=ReviewState.APPROVED)


class Stance(Reviewable):
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="stances", verbose_name=_("claim"))
    proposition = models.ForeignKey(
        Proposition, on_delete=models.PROTECT, related_name="stances", verbose_name=_("proposition")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side)
    note = models.TextField(_("note"), blank=True, validators=[validate_markdown_length], help_text=_("Markdown."))
    note_html = models.TextField(editable=False, blank=True)

    objects = StanceQuerySet.as_manager()

    REVISABLE_FIELDS = ("side", "note")
    TRANSITIONS = Reviewable.TRANSITIONS | {
        # Nothing an analyst does is a hard delete: a draft leaves the board by this transition.
        "remove": ({ReviewState.DRAFT}, ReviewState.REMOVED),
        "restore": ({ReviewState.REMOVED}, ReviewState.DRAFT),
    }

    class Meta:
        ordering = ["proposition", "side", "pk"]
        permissions = [("review_stance", "Can approve and reject stances")]
        constraints = [
            models.UniqueConstraint(fields=["claim", "proposition"], name="stance_unique_claim_proposition"),
            models.CheckConstraint(condition=Q(side__in=Side.values), name="stance_side_valid"),
        ]
        indexes = [
            # Contradiction page and public counts: a proposition's stances by side.
            models.Index(fields=["proposition", "state", "side"], name="stance_proposition_side_idx"),
            # awaiting_review(): the reviewers' queue, oldest first.
            models.Index(fields=["state", "submitted_at"], name="stance_queue_idx"),
            # Actor, source and search pages: the public stances of a page of claims,
            # Stance.objects.public().filter(claim__in=...). Without it SQLite scans
            # stance_queue_idx for every approved stance.
            models.Index(fields=["claim", "state"], name="stance_claim_state_idx"),
            # Desk home: an analyst's own stances, latest change first.
            models.Index(fields=["created_by", "-updated_at"], name="stance_mine_idx"),
            # API: every public stance, newest first (cursor pagination by id).
            models.Index(fields=["state", "-id"], name="stance_state_idx"),
        ]

    def __str__(self):
        return f"{self.claim} — {self.get_side_display().lower()} — {self.proposition}"

    def save(self, *args, **kwargs):
        render_markdown_field(self, "note", kwargs)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.proposition.get_absolute_url()

    def remove(self, user) -> None:
        """Take a draft stance off its board, keeping the record and its history."""
        self.transition("remove", user)

    def restore(self, user, *, side: str) -> None:
        """Put a removed stance back on its board as ``user``'s draft on ``side``."""
        with transaction.atomic():
            self.transition("restore", user)
            before = copy.copy(self)
            self.side, self.created_by = side, user
            self.save(update_fields=["side", "created_by", "updated_at"])
            FieldChange.objects.record(before=before, after=self, fields=["side", "created_by"], by=user)

    def dependencies(self):
        return [(_("Its claim"), self.claim), (_("Its proposition"), self.proposition)]

    def check_approvable(self) -> None:
        # Read the states afresh: a bulk action may have approved them a moment ago.
        claim_state = Claim.objects.filter(pk=self.claim_id).values_list("state", flat=True).get()
        proposition_state = Proposition.objects.filter(pk=self.proposition_id).values_list("state", flat=True).get()
        waiting = [
            label
            for label, state in ((_("its claim"), claim_state), (_("its proposition"), proposition_state))
            if state != ReviewState.APPROVED
        ]
        if waiting:
            raise ReviewError(
                _("Approve %(what)s first: a stance is public only when its claim and proposition are.")
                % {"what": _(" and ").join(str(w) for w in waiting)}
            )

    def after_state_change(self) -> None:
        self.proposition.refresh_public_counts()

    def pages_added_to(self) -> set[tuple[str, int]]:
        """Approving a stance adds its claim to the proposition's page and the claim's actors' and source's."""
        claims = Claim.objects.filter(pk=self.claim_id).values_list("claimant_id", "reported_by_id", "source_id")
        return pages_added_to({self.proposition_id}, list(claims))


# ---------------------------------------------------------------------------
# Reviewing many records at once

# Dependencies first: a claim needs its source and actors approved, a stance its claim and proposition.
# Questions and their answers live in their own module; they rest on the records above.
from claims.addresses import FormerSlug as FormerSlug  # noqa: E402
from claims.questions import Answer, Question  # noqa: E402
from claims.translations import Translation  # noqa: E402

REVIEW_ORDER = (Source, Actor, Proposition, Question, Claim, Answer, Stance, Translation, Revision)
REVIEW_ACTIONS = ("submit", "approve", "reject", "return_to_draft")


@dataclass
class ReviewOutcome:
    done: list = dataclasses.field(default_factory=list)
    refused: list[tuple[object, str]] = dataclasses.field(default_factory=list)


def change_permission(record) -> str:
    """The permission needed to edit ``record`` (for a revision: to edit the record it changes)."""
    model = record.record_model if isinstance(record, Revision) else type(record)
    return f"{model._meta.app_label}.change_{model._meta.model_name}"


def review_records(records, action: str, user, *, reason: str = "") -> ReviewOutcome:
    """Apply review ``action`` to each record in dependency order (REVIEW_ORDER).

    Each record is reviewed in its own transaction through its model method,
    so one refusal (four eyes, a dependency not approved, a missing reason)
    does not undo or stop the others; ``refused`` says which and why.
    """
    if action not in REVIEW_ACTIONS:
        raise ValueError(f"Unknown review action {action!r}.")
    outcome = ReviewOutcome()

    # Actors without an affiliation first: an affiliated actor waits for its body's approval.
    def order(record):
        return (REVIEW_ORDER.index(type(record)), getattr(record, "affiliation_id", None) is not None, record.pk)

    for record in sorted(records, key=order):
        try:
            if action == "submit":
                if not user.has_perm(change_permission(record)):
                    raise PermissionDenied(_("You may not submit this for review."))
                record.submit(user)
            elif action == "approve":
                record.approve(user, reason=reason)
            elif action == "reject":
                record.reject(user, reason=reason)
            else:
                record.return_to_draft(user, reason=reason)
        except PermissionDenied as error:
            outcome.refused.append((record, str(error) or str(_("You do not have permission to do that."))))
        except ValidationError as error:
            outcome.refused.append((record, " ".join(error.messages)))
        else:
            outcome.done.append(record)
    return outcome
