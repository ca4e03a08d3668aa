"""Who asserted what, where, in their exact words, and which propositions they take sides on.

Claims, stances and propositions pass through review: draft → pending →
approved / rejected. Only approved records are public. Every change of state
goes through ``Reviewable.transition`` (via submit/approve/reject/return_to_draft),
which checks the rule, stamps who and when, and writes a StateChange, in one
transaction.
"""

import copy
import dataclasses
import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import Length
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from claims.markup import render_markdown
from sources.anchoring import CONTEXT_LENGTH, AnchorError, anchor_quote
from sources.dates import DatePrecision, format_partial_date, precision_constraint_q
from sources.models import Source


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PENDING = "pending", _("Pending review")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    # A draft stance an analyst took off a board: kept, with its audit record, and
    # restored as a draft if the claim is put back on that board.
    REMOVED = "removed", _("Removed")


class ReviewError(ValidationError):
    """A review action that the rules do not allow; the message says why."""


class StaleEdit(Exception):
    """Someone else saved the record after this edit was loaded."""

    def __init__(self, current):
        super().__init__(f"{current} was changed by someone else (now version {current.version}).")
        self.current = current


def unique_slug(model, text: str, *, max_length: int = 80, exclude_pk=None) -> str:
    """A slug for ``text`` not yet used by ``model``: base, base-2, base-3, …"""
    base = slugify(text, allow_unicode=False)[:max_length].strip("-") or model._meta.model_name
    taken = model.objects.filter(slug__startswith=base).exclude(pk=exclude_pk).values_list("slug", flat=True)
    taken = set(taken)
    slug, counter = base, 2
    while slug in taken:
        suffix = f"-{counter}"
        slug = f"{base[: max_length - len(suffix)]}{suffix}"
        counter += 1
    return slug


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


class StateChange(models.Model):
    """The audit record of one review state change: who, when, from, to, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    from_state = models.CharField(max_length=10, choices=ReviewState)
    to_state = models.CharField(max_length=10, choices=ReviewState)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="state_changes")
    at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            # The history of one record, newest first.
            models.Index(fields=["content_type", "object_id", "-at"], name="statechange_record_idx"),
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}: {self.from_state} → {self.to_state}"


class VersionedModel(models.Model):
    """A record edited through forms that carry the version they were loaded with."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save_edit(self, *, expected_version: int, fields: list[str], by=None) -> None:
        """Save ``fields`` unless someone saved the record since ``expected_version`` was loaded.

        Raises StaleEdit carrying the current record, so the caller can show the
        other person's change next to the analyst's unsaved text. Each field
        that really changed is written to the record's history as done ``by``
        that user (pass it: the history should say who).
        """
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            if current.version != expected_version:
                raise StaleEdit(current)
            self.check_edit_allowed(current)
            self.version = expected_version + 1
            self.save(update_fields=[*fields, "version", "updated_at"])
            FieldChange.objects.record(before=current, after=self, fields=fields, by=by)

    def check_edit_allowed(self, current) -> None:
        """Raise ReviewError if ``current`` (the stored record) may not be edited in place."""

    def field_history(self):
        """Every recorded field change of this record, newest first."""
        return FieldChange.objects.for_record(self)


class Reviewable(VersionedModel):
    """A record that only reaches readers once a reviewer approves it."""

    state = models.CharField(_("review state"), max_length=10, choices=ReviewState, default=ReviewState.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True, editable=False
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_reason = models.TextField(_("reason given by the reviewer"), blank=True, editable=False)
    first_approved_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Which states each action may start from.
    TRANSITIONS = {
        "submit": ({ReviewState.DRAFT, ReviewState.REJECTED}, ReviewState.PENDING),
        "approve": ({ReviewState.PENDING}, ReviewState.APPROVED),
        "reject": ({ReviewState.PENDING}, ReviewState.REJECTED),
        "return_to_draft": ({ReviewState.PENDING, ReviewState.REJECTED, ReviewState.APPROVED}, ReviewState.DRAFT),
    }

    class Meta:
        abstract = True

    @property
    def is_public(self) -> bool:
        return self.state == ReviewState.APPROVED

    @property
    def is_editable(self) -> bool:
        """Analysts edit drafts and rejected records in place, nothing else."""
        return self.state in (ReviewState.DRAFT, ReviewState.REJECTED)

    @classmethod
    def review_permission(cls) -> str:
        return f"{cls._meta.app_label}.review_{cls._meta.model_name}"

    def submit(self, user) -> None:
        self.transition("submit", user)

    def approve(self, user, *, reason: str = "", four_eyes: bool = True) -> None:
        """Publish the record. ``four_eyes=False`` is for automatic imports (seeds) only."""
        self._check_reviewer(user, four_eyes=four_eyes)
        self.check_approvable()
        self.transition("approve", user, reason=reason)

    def reject(self, user, *, reason: str) -> None:
        self._check_reviewer(user)
        if not (reason or "").strip():
            raise ReviewError(_("A reason is required to reject."))
        self.transition("reject", user, reason=reason.strip())

    def return_to_draft(self, user, *, reason: str = "") -> None:
        if self.state != ReviewState.PENDING or user != self.created_by:
            self._check_reviewer(user)
        self.transition("return_to_draft", user, reason=reason)

    def check_approvable(self) -> None:
        """Raise ReviewError if something this record depends on is not approved yet."""

    def _check_reviewer(self, user, *, four_eyes: bool = True) -> None:
        if not user.has_perm(self.review_permission()):
            raise PermissionDenied(_("Only reviewers can approve or reject."))
        if four_eyes and settings.REVIEW_FOUR_EYES and self.created_by_id == user.pk:
            raise ReviewError(_("You cannot review your own work: another reviewer must approve or reject it."))

    def transition(self, action: str, user, *, reason: str = "") -> "StateChange":
        """Move to the state ``action`` leads to, stamp it and audit it, atomically."""
        allowed_from, to_state = self.TRANSITIONS[action]
        with transaction.atomic():
            locked = type(self).objects.select_for_update().only("state", "version").get(pk=self.pk)
            if locked.state not in allowed_from:
                raise ReviewError(
                    _("Cannot %(action)s a record that is %(state)s.")
                    % {"action": action.replace("_", " "), "state": ReviewState(locked.state).label.lower()}
                )
            from_state, now = locked.state, timezone.now()
            self.state = to_state
            self.version = locked.version + 1
            fields = ["state", "version", "updated_at"]
            if action == "submit":
                self.submitted_at = now
                fields.append("submitted_at")
            elif action in ("approve", "reject"):
                self.reviewed_by, self.reviewed_at, self.review_reason = user, now, reason
                fields += ["reviewed_by", "reviewed_at", "review_reason"]
                if action == "approve" and self.first_approved_at is None:
                    self.first_approved_at = now
                    fields.append("first_approved_at")
            self.save(update_fields=fields)
            change = StateChange.objects.create(
                content_type=ContentType.objects.get_for_model(type(self)),
                object_id=self.pk,
                from_state=from_state,
                to_state=to_state,
                by=user,
                at=now,
                reason=reason,
            )
            self.after_state_change()
        return change

    def after_state_change(self) -> None:
        """Keep what depends on this record's state (public counts) correct."""

    def history(self):
        return StateChange.objects.filter(
            content_type=ContentType.objects.get_for_model(type(self)), object_id=self.pk
        ).select_related("by")

    # Changes to approved records go through review as revisions (see Revision).
    REVISABLE_FIELDS: tuple[str, ...] = ()

    def check_edit_allowed(self, current) -> None:
        if current.state == ReviewState.APPROVED:
            raise ReviewError(
                _("This %(model)s is public: propose a revision instead, so a reviewer approves the change.")
                % {"model": self._meta.verbose_name}
            )

    def prepare_revision(self, changes: dict) -> dict:
        """Complete or normalize proposed ``changes`` (e.g. re-anchor a quote); raise ValidationError if invalid."""
        return changes

    def pending_revision(self) -> "Revision | None":
        return Revision.objects.for_record(self).awaiting_review().first()

    def propose_revision(self, user, changes: dict, *, note: str = "", expected_version: int | None = None):
        """Store ``changes`` to this approved record as a revision waiting for review; return the Revision.

        ``changes`` maps field names (from REVISABLE_FIELDS) to new values:
        model instances or primary keys for relations, dates or ISO strings
        for dates. Readers keep seeing the approved record until a reviewer
        approves the revision. Raises PermissionDenied, StaleEdit (when
        ``expected_version`` is given and outdated), ValidationError for bad
        values and ReviewError when the record cannot be revised now.
        """
        opts = self._meta
        if not user.has_perm(f"{opts.app_label}.change_{opts.model_name}"):
            raise PermissionDenied(_("You may not change %(model)s.") % {"model": opts.verbose_name_plural})
        unknown = sorted(set(changes) - set(self.REVISABLE_FIELDS))
        if unknown:
            raise ReviewError(_("These fields cannot be revised: %(fields)s.") % {"fields": ", ".join(unknown)})
        with transaction.atomic():
            current = type(self).objects.select_for_update().get(pk=self.pk)
            if expected_version is not None and current.version != expected_version:
                raise StaleEdit(current)
            if current.state != ReviewState.APPROVED:
                raise ReviewError(
                    _("Only approved records are revised; this one is %(state)s, so edit it directly.")
                    % {"state": ReviewState(current.state).label.lower()}
                )
            if current.pending_revision() is not None:
                raise ReviewError(
                    _("A revision of this %(model)s is already waiting for review; wait for the reviewer's decision.")
                    % {"model": opts.verbose_name}
                )
            proposed = type(self).objects.get(pk=self.pk)
            values = current.prepare_revision(dict(changes))
            for name, value in values.items():
                assign_field(proposed, name, value)
            proposed.full_clean(validate_unique=False)
            changed = [name for name in values if json_field_value(proposed, name) != json_field_value(current, name)]
            if not changed:
                raise ReviewError(_("Nothing changed: the proposed values are the ones already approved."))
            revision = Revision.objects.create(
                content_type=ContentType.objects.get_for_model(type(self)),
                object_id=self.pk,
                base_version=current.version,
                changes={name: json_field_value(proposed, name) for name in changed},
                previous={name: json_field_value(current, name) for name in changed},
                note=note,
                created_by=user,
            )
            revision.submit(user)
        return revision


class ReviewableQuerySet(models.QuerySet):
    def public(self):
        return self.filter(state=ReviewState.APPROVED)

    def awaiting_review(self):
        """Pending records, oldest submission first: the reviewers' queue."""
        return self.filter(state=ReviewState.PENDING).order_by("submitted_at", "pk")

    def drafts_of(self, user):
        return self.filter(created_by=user, state=ReviewState.DRAFT)


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


class ActorQuerySet(models.QuerySet):
    def public(self):
        """Actors readers may see: claimants or reporters of at least one approved claim."""
        approved = Claim.objects.filter(state=ReviewState.APPROVED)
        return self.filter(
            Exists(approved.filter(claimant=OuterRef("pk"))) | Exists(approved.filter(reported_by=OuterRef("pk")))
        )

    def matching(self, term: str):
        """Actors whose name or one of whose aliases contains ``term`` (type-ahead)."""
        term = term.strip()
        if not term:
            return self.none()
        return self.filter(Q(name__icontains=term) | Q(aliases__icontains=term))


class Actor(VersionedModel):
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
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    description_html = models.TextField(editable=False, blank=True)

    objects = ActorQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~Q(name=""), name="actor_name_not_empty"),
            models.CheckConstraint(condition=~Q(affiliation=F("pk")), name="actor_not_own_affiliation"),
        ]
        indexes = [
            # Type-ahead and search by name.
            models.Index(fields=["name"], name="actor_name_idx"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Actor, self.name, exclude_pk=self.pk)
        self.aliases = "\n".join(self.alias_list)
        render_markdown_field(self, "description", kwargs)
        super().save(*args, **kwargs)

    # ---------------------------------------------------------------------------
    # Propositions

    def get_absolute_url(self):
        return reverse("claims:actor", args=[self.slug])

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


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
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    description_html = models.TextField(editable=False, blank=True)
    # Public tallies, kept correct by refresh_public_counts() on every review
    # state change that can affect them, so lists never count per row.
    supports_count = models.PositiveIntegerField(default=0, editable=False)
    disputes_count = models.PositiveIntegerField(default=0, editable=False)
    qualifies_count = models.PositiveIntegerField(default=0, editable=False)
    became_contradiction_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = PropositionQuerySet.as_manager()

    REVISABLE_FIELDS = ("statement", "description")

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
        return reverse("claims:contradiction", args=[self.slug])

    @property
    def is_contradiction(self) -> bool:
        return self.is_public and self.supports_count > 0 and self.disputes_count > 0

    def after_state_change(self) -> None:
        self.refresh_public_counts()

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
        if self.is_contradiction and self.became_contradiction_at is None:
            self.became_contradiction_at = timezone.now()
        Proposition.objects.filter(pk=self.pk).update(
            supports_count=self.supports_count,
            disputes_count=self.disputes_count,
            qualifies_count=self.qualifies_count,
            became_contradiction_at=self.became_contradiction_at,
        )


# ---------------------------------------------------------------------------
# Claims


class ClaimQuerySet(ReviewableQuerySet):
    def with_display_relations(self):
        return self.select_related("source", "claimant", "reported_by")


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

    objects = ClaimQuerySet.as_manager()

    # The anchor (start, end, prefix, suffix) follows the quote: prepare_revision re-anchors it.
    REVISABLE_FIELDS = ("quote", "paraphrase", "claimant", "reported_by", "asserted_on", "asserted_precision")

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
        ]

    def __str__(self):
        quote = self.quote if len(self.quote) <= 60 else f"{self.quote[:57]}…"
        return f"{self.claimant}: “{quote}”"

    def get_absolute_url(self):
        return f"{reverse('sources:detail', args=[self.source_id])}#claim-{self.pk}"

    @property
    def asserted_display(self) -> str:
        return format_partial_date(self.asserted_on, self.asserted_precision)

    @classmethod
    def record(cls, *, source: Source, quote: str, prefix: str = "", suffix: str = "", position=None, **fields):
        """Anchor ``quote`` in ``source`` and create the claim as a draft.

        Raises sources.anchoring.AnchorError (with a message for the analyst)
        when the quote cannot be anchored exactly once.
        """
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

    def after_state_change(self) -> None:
        for proposition in Proposition.objects.filter(stances__claim=self).distinct():
            proposition.refresh_public_counts()

    def prepare_revision(self, changes: dict) -> dict:
        """A changed quote is anchored again into the same source, near where it was."""
        if "quote" in changes:
            try:
                anchor = anchor_quote(self.source.text, changes["quote"], position=self.start)
            except AnchorError as error:
                raise ValidationError({"quote": str(error)}) from None
            changes.update(
                quote=anchor.exact, start=anchor.start, end=anchor.end, prefix=anchor.prefix, suffix=anchor.suffix
            )
        return changes

    def quote_in_paragraph(self) -> tuple[str, str, str]:
        """The paragraph around the quote as (text before, quote, text after).

        A paragraph is the text between blank lines; a quote spanning several
        paragraphs brings them all.
        """
        text = self.source.text
        opening = text.rfind("\n\n", 0, self.start)
        opening = 0 if opening == -1 else opening + 2
        closing = text.find("\n\n", self.end)
        closing = len(text) if closing == -1 else closing
        return text[opening : self.start], text[self.start : self.end], text[self.end : closing]


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
        """Approved stances whose claim and proposition are approved too."""
        return self.filter(
            state=ReviewState.APPROVED,
            claim__state=ReviewState.APPROVED,
            proposition__state=ReviewState.APPROVED,
        )


class Stance(Reviewable):
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="stances", verbose_name=_("claim"))
    proposition = models.ForeignKey(
        Proposition, on_delete=models.PROTECT, related_name="stances", verbose_name=_("proposition")
    )
    side = models.CharField(_("side"), max_length=10, choices=Side)
    note = models.TextField(_("note"), blank=True, help_text=_("Markdown."))
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


# ---------------------------------------------------------------------------
# History of field changes and revisions of approved records


def json_field_value(record, name: str):
    """The value of field ``name`` on ``record`` as JSON can hold it (relations by primary key)."""
    field = record._meta.get_field(name)
    value = field.value_from_object(record)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def assign_field(record, name: str, value) -> None:
    """Set field ``name`` from a JSON value, a primary key or a model instance."""
    field = record._meta.get_field(name)
    if field.is_relation:
        setattr(record, field.attname, value.pk if isinstance(value, models.Model) else value)
    else:
        setattr(record, name, field.to_python(value))


def display_field_value(record, name: str) -> str:
    """How a field's value reads in the history: choices by label, relations by name and number."""
    field = record._meta.get_field(name)
    if field.is_relation:
        related = getattr(record, name)
        return "" if related is None else f"{related} (#{related.pk})"
    value = getattr(record, name)
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


class FieldChangeQuerySet(models.QuerySet):
    def for_record(self, record):
        return self.filter(
            content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk
        ).select_related("by")

    def record(self, *, before, after, fields, by, revision=None) -> list["FieldChange"]:
        """Write one FieldChange for each of ``fields`` whose value differs between ``before`` and ``after``."""
        content_type = ContentType.objects.get_for_model(type(after))
        now = timezone.now()
        changes = []
        for name in dict.fromkeys(fields):
            field = after._meta.get_field(name)
            if not field.concrete or not field.editable:
                continue
            if field.value_from_object(before) == field.value_from_object(after):
                continue
            changes.append(
                FieldChange(
                    content_type=content_type,
                    object_id=after.pk,
                    field=name,
                    old=display_field_value(before, name),
                    new=display_field_value(after, name),
                    by=by,
                    at=now,
                    revision=revision,
                )
            )
        return self.bulk_create(changes)


class FieldChange(models.Model):
    """One field of one record changed: what it was, what it became, who changed it, when."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    field = models.CharField(_("field"), max_length=100)
    old = models.TextField(_("old value"), blank=True)
    new = models.TextField(_("new value"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="field_changes",
        null=True,
        blank=True,
        help_text=_("Empty for automatic changes."),
    )
    at = models.DateTimeField(default=timezone.now)
    revision = models.ForeignKey(
        "Revision",
        on_delete=models.PROTECT,
        related_name="field_changes",
        null=True,
        blank=True,
        help_text=_("The approved revision that made this change, if any."),
    )

    objects = FieldChangeQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            # The history of one record, newest first.
            models.Index(fields=["content_type", "object_id", "-at"], name="fieldchange_record_idx"),
        ]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id}: {self.field}"

    @property
    def field_label(self) -> str:
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        try:
            return str(model._meta.get_field(self.field).verbose_name)
        except (AttributeError, FieldDoesNotExist):
            return self.field


class RevisionQuerySet(ReviewableQuerySet):
    def for_record(self, record):
        return self.filter(content_type=ContentType.objects.get_for_model(type(record)), object_id=record.pk)


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    old: str
    new: str


class Revision(Reviewable):
    """Changes proposed to an approved record, kept apart from it until a reviewer approves them.

    Readers see the record as last approved. Approving the revision applies
    ``changes`` to the record in the same transaction and bumps its version;
    it is refused if the record changed since the revision was proposed
    (``base_version``), so nobody approves a diff against an outdated text.
    """

    content_type = models.ForeignKey(
        ContentType,
        on_delete=models.PROTECT,
        limit_choices_to={"app_label": "claims", "model__in": ["claim", "stance", "proposition"]},
    )
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    base_version = models.PositiveIntegerField(_("version revised"))
    changes = models.JSONField(_("proposed values"), help_text=_("Field name → proposed value."))
    previous = models.JSONField(_("approved values"), help_text=_("Field name → value when proposed."))
    note = models.TextField(_("why"), blank=True, help_text=_("The analyst's explanation of the change."))

    objects = RevisionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        permissions = [("review_revision", "Can approve and reject revisions")]
        indexes = [
            # pending_revision(): a record's revisions by state.
            models.Index(fields=["content_type", "object_id", "state"], name="revision_record_idx"),
            # awaiting_review(): the reviewers' queue, oldest first.
            models.Index(fields=["state", "submitted_at"], name="revision_queue_idx"),
        ]

    def __str__(self):
        model = ContentType.objects.get_for_id(self.content_type_id).model_class()
        return f"Revision of {model._meta.verbose_name} #{self.object_id}: {', '.join(self.changes)}"

    @property
    def record_model(self):
        return ContentType.objects.get_for_id(self.content_type_id).model_class()

    def _check_reviewer(self, user, *, four_eyes: bool = True) -> None:
        super()._check_reviewer(user, four_eyes=four_eyes)
        if not user.has_perm(self.record_model.review_permission()):
            raise PermissionDenied(
                _("Only reviewers of %(model)s can review their revisions.")
                % {"model": self.record_model._meta.verbose_name_plural}
            )

    def _stale_error(self) -> ReviewError:
        return ReviewError(
            _(
                "The %(model)s changed after this revision was proposed: reject it with that reason "
                "and propose the change again on the current version."
            )
            % {"model": self.record_model._meta.verbose_name}
        )

    def check_approvable(self) -> None:
        current = self.record_model.objects.filter(pk=self.object_id).values_list("version", "state").first()
        if current is None:
            raise ReviewError(_("The record this revision changes no longer exists; reject it."))
        if current != (self.base_version, ReviewState.APPROVED):
            raise self._stale_error()

    def after_state_change(self) -> None:
        if self.state == ReviewState.APPROVED:
            self.apply()

    def apply(self) -> None:
        """Write the proposed values into the record (inside the approving transaction)."""
        model = self.record_model
        record = model.objects.select_for_update().get(pk=self.object_id)
        if record.version != self.base_version or record.state != ReviewState.APPROVED:
            raise self._stale_error()
        before = model.objects.get(pk=self.object_id)
        for name, value in self.changes.items():
            assign_field(record, name, value)
        record.full_clean(validate_unique=False)
        record.version += 1
        record.save(update_fields=[*self.changes, "version", "updated_at"])
        FieldChange.objects.record(
            before=before, after=record, fields=list(self.changes), by=self.created_by, revision=self
        )
        record.after_state_change()

    def diff(self) -> list[FieldDiff]:
        """Field by field: the approved value and the proposed one, as readers would see them."""
        model = self.record_model
        rows = []
        for name, new in self.changes.items():
            field = model._meta.get_field(name)
            old = self.previous.get(name)
            if field.is_relation:
                found = field.related_model.objects.in_bulk([pk for pk in (old, new) if pk is not None])
                labels = {pk: f"{related} (#{pk})" for pk, related in found.items()}
                shown = [
                    labels.get(old, "" if old is None else f"#{old}"),
                    labels.get(new, "" if new is None else f"#{new}"),
                ]
            elif field.choices:
                choices = dict(field.flatchoices)
                shown = [str(choices.get(old, old or "")), str(choices.get(new, new or ""))]
            else:
                shown = ["" if old is None else str(old), "" if new is None else str(new)]
            rows.append(FieldDiff(field=name, label=str(field.verbose_name), old=shown[0], new=shown[1]))
        return rows


# ---------------------------------------------------------------------------
# Reviewing many records at once

# Dependencies first: a stance needs its claim and proposition approved.
REVIEW_ORDER = (Proposition, Claim, Stance, Revision)
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
    """Apply review ``action`` to each record, propositions first, then claims, stances, revisions.

    Each record is reviewed in its own transaction through its model method,
    so one refusal (four eyes, a dependency not approved, a missing reason)
    does not undo or stop the others; ``refused`` says which and why.
    """
    if action not in REVIEW_ACTIONS:
        raise ValueError(f"Unknown review action {action!r}.")
    outcome = ReviewOutcome()
    for record in sorted(records, key=lambda record: (REVIEW_ORDER.index(type(record)), record.pk)):
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
