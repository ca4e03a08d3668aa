"""Review: the states every public record passes through, their audit trail, and revisions.

Claims, stances, propositions, actors and sources reach readers only once a
reviewer approves them: draft → pending → approved / rejected. Every change of
state goes through ``Reviewable.transition`` (via submit/approve/reject/
return_to_draft), which checks the rule, stamps who and when, and writes a
StateChange, in one transaction. Changes to approved records wait apart from
them as a ``Revision`` until a reviewer approves it.

This module depends on no concrete record, so ``sources`` can build on it
without importing ``claims.models``.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from claims.signals import state_changed
from sources.text import strip_bidi_controls


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

    # Single-line fields people read as names and titles: bidi controls in them could
    # disguise one name as another, whatever path saves them (forms, imports, the shell).
    NAME_FIELDS: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        for name in self.NAME_FIELDS:
            setattr(self, name, strip_bidi_controls(getattr(self, name)))
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        # Browsers send a textarea's line breaks as "\r\n": stored text uses "\n", so an
        # unchanged field never reads as changed (nor makes a revision of nothing).
        for field in self._meta.concrete_fields:
            value = getattr(self, field.attname)
            if isinstance(field, models.TextField) and isinstance(value, str) and "\r" in value:
                setattr(self, field.attname, value.replace("\r\n", "\n").replace("\r", "\n"))

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
            if by is not None:
                current.check_author(by)
            self.version = expected_version + 1
            self.save(update_fields=[*fields, "version", "updated_at"])
            FieldChange.objects.record(before=current, after=self, fields=fields, by=by)

    def check_edit_allowed(self, current) -> None:
        """Raise ReviewError if ``current`` (the stored record) may not be edited in place."""

    def check_author(self, user) -> None:
        """Raise PermissionDenied unless ``user`` may change this record's text in place."""


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

    def is_authored_by(self, user) -> bool:
        """Drafts are their author's: only they (or an administrator) edit or submit them."""
        return self.created_by_id in (None, user.pk) or user.is_superuser

    def is_editable_by(self, user) -> bool:
        """May ``user`` edit this record in place: a draft or rejected record of their own."""
        return self.is_editable and self.is_authored_by(user)

    def check_author(self, user) -> None:
        if not self.is_authored_by(user):
            raise PermissionDenied(
                _(
                    "This %(model)s is %(author)s's draft: only its author edits it or sends it to review. "
                    "Once it is approved, anyone may propose a change."
                )
                % {"model": self._meta.verbose_name, "author": self.created_by}
            )

    def dependencies(self) -> list[tuple[str, "Reviewable | None"]]:
        """(label, record) for each record this one rests on: approved before it, sent to review with it."""
        return []

    def submit(self, user) -> None:
        """Send this draft to review, with the user's own drafts it rests on (a reviewer approves those first).

        Refused when it rests on someone else's draft: that would wait in the
        queue for a record nobody has sent.
        """
        self.check_author(user)
        with transaction.atomic():
            for label, record in self.dependencies():
                if record is None:
                    continue
                state = type(record).objects.filter(pk=record.pk).values_list("state", flat=True).get()
                if state not in (ReviewState.DRAFT, ReviewState.REJECTED):
                    continue
                if not record.is_authored_by(user):
                    raise ReviewError(
                        _(
                            "%(what)s (%(record)s) is %(author)s's draft, not yet sent to review: this %(model)s can "
                            "go to review once they send it."
                        )
                        % {
                            "what": label,
                            "record": record,
                            "author": record.created_by,
                            "model": self._meta.verbose_name,
                        }
                    )
                record.state = state
                record.submit(user)
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
        if self.state == ReviewState.APPROVED:
            self.check_withdrawable()
        self.transition("return_to_draft", user, reason=reason)

    def check_approvable(self) -> None:
        """Raise ReviewError if something this record depends on is not approved yet."""

    def check_withdrawable(self) -> None:
        """Raise ReviewError if approved records that readers see rest on this one."""

    def _check_reviewer(self, user, *, four_eyes: bool = True) -> None:
        if not user.has_perm(self.review_permission()):
            raise PermissionDenied(_("Only reviewers can approve or reject."))
        if four_eyes and settings.REVIEW_FOUR_EYES and user.pk in self.author_ids():
            raise ReviewError(_("You cannot review your own work: another reviewer must approve or reject it."))

    def author_ids(self) -> set[int]:
        """Everyone who wrote this record's current text: its creator and whoever edited a field of it."""
        editors = FieldChange.objects.for_record(self).exclude(by=None).values_list("by", flat=True)
        return {self.created_by_id, *editors} - {None}

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
            state_changed.send(sender=type(self), record=self, change=change)
        return change

    def after_state_change(self) -> None:
        """Keep what depends on this record's state (public counts) correct."""

    def pages_added_to(self) -> set[tuple[str, int]]:
        """The public pages, as (kind, pk), whose own records an approval of this one adds to.

        Those pages' cached parts are rendered again; other pages keep theirs (reader.caching). None by default:
        an actor or source is approved before any claim of theirs, so its approval
        adds to no page until a claim does.
        """
        return set()

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
        limit_choices_to=Q(
            app_label="claims",
            model__in=["claim", "stance", "proposition", "actor", "question", "answer", "translation"],
        )
        | Q(app_label="sources", model="source"),
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
        # A revision may point the record at another one (a claimant, an affiliation): it must be public too.
        record.check_approvable()
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
