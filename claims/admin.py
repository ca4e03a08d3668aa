"""The reviewers' desk in the Django admin: the model admins and their forms.

Reviewers start at the review queue (claims.review_queue) and approve, reject
(with a reason, asked for on a confirmation page) or return records to draft,
one at a time from a record's page or in bulk from the queue and the change
lists. Every decision goes through the model methods
(claims.models.review_records), which check the rules, stamp who and when and
write the audit trail. Edits of approved records become revisions that wait
for review; other edits are saved with their field history. Nobody changes a
review state by hand, and only administrators delete.
"""

from dataclasses import dataclass
from datetime import datetime

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import ActionLocation, RelatedOnlyFieldListFilter
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, ProtectedError
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import Truncator

from claims.models import (
    Actor,
    Claim,
    FieldChange,
    Proposition,
    Reviewable,
    ReviewState,
    Revision,
    StaleEdit,
    Stance,
    StateChange,
    review_records,
    unique_slug,
)
from claims.questions import Answer, Question
from claims.review_queue import admin_url, confirm_rejection, report_outcome
from claims.roles import is_reviewer
from claims.translations import Translation
from config.middleware import parse_id
from sources.anchoring import AnchorError, anchor_quote
from sources.text import BidiControlsStrippedMixin

BOTH_LOCATIONS = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]
# The change page's review buttons post the change-form action field.
CHANGE_FORM_ACTION = f"{ActionLocation.CHANGE_FORM.value}-action"


def admin_link(record, label=None) -> str:
    if record is None:
        return "—"
    return format_html('<a href="{}">{}</a>', admin_url(record), label or Truncator(str(record)).chars(80))


# ---------------------------------------------------------------------------
# History shown on change pages


@dataclass
class HistoryEntry:
    at: datetime
    by: object
    what: str
    reason: str = ""
    old: str = ""
    new: str = ""
    link: str = ""


def history_entries(record) -> list[HistoryEntry]:
    """State changes, field changes and revisions of ``record``, newest first."""
    entries = []
    if isinstance(record, Reviewable):
        entries += [
            HistoryEntry(
                change.at,
                change.by,
                f"{ReviewState(change.from_state).label} → {ReviewState(change.to_state).label}",
                reason=change.reason,
            )
            for change in record.history()
        ]
    entries += [
        HistoryEntry(
            change.at,
            change.by,
            f"Changed {change.field_label}" + (f" (revision #{change.revision_id})" if change.revision_id else ""),
            old=change.old,
            new=change.new,
        )
        for change in FieldChange.objects.for_record(record)
    ]
    if isinstance(record, (Proposition, Claim, Stance)):
        entries += [
            HistoryEntry(
                revision.created_at,
                revision.created_by,
                f"Proposed revision #{revision.pk} ({revision.get_state_display().lower()})",
                reason=revision.note,
                link=admin_url(revision),
            )
            for revision in Revision.objects.for_record(record).select_related("created_by")
        ]
    created_at = getattr(record, "created_at", None)
    if created_at:
        entries.append(HistoryEntry(created_at, getattr(record, "created_by", None), "Created"))
    return sorted(entries, key=lambda entry: entry.at, reverse=True)


# ---------------------------------------------------------------------------
# Forms


class VersionedAdminForm(BidiControlsStrippedMixin, forms.ModelForm):
    """Carries the version the page was loaded with, so a concurrent save is caught, not overwritten.

    Names, titles, statements and paraphrases lose any bidi controls (see BidiControlsStrippedMixin).
    """

    loaded_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["loaded_version"].initial = self.instance.version
        if self.is_bound:
            self._drop_malformed_related_ids()

    def _drop_malformed_related_ids(self):
        """Leave out related ids that are no id at all (“²”, 30 digits): the field is then simply missing.

        The admin's type-ahead widget looks the submitted ids up while it renders
        a refused form, and such a value raises there instead of being refused.
        """
        if not hasattr(self.data, "getlist"):
            return
        related = [
            self.add_prefix(name) for name, field in self.fields.items() if isinstance(field, forms.ModelChoiceField)
        ]
        malformed = [
            name for name in related if any(parse_id(value) is None for value in self.data.getlist(name) if value)
        ]
        if not malformed:
            return
        self.data = self.data.copy()
        for name in malformed:
            self.data.setlist(name, [value for value in self.data.getlist(name) if parse_id(value) is not None])

    def clean(self):
        cleaned = super().clean()
        loaded = cleaned.get("loaded_version")
        if self.instance.pk and loaded is not None and loaded != self.instance.version:
            raise ValidationError(
                "Someone else saved this %(model)s after you opened it (it is now version %(version)s). "
                "Your changes are still in the form: copy them, reload the page and apply them again.",
                params={"model": self.instance._meta.verbose_name, "version": self.instance.version},
                code="stale",
            )
        approved = getattr(self.instance, "state", None) == ReviewState.APPROVED
        if self.instance.pk and approved and self.instance.pending_revision() is not None:
            raise ValidationError(
                "A revision of this %(model)s is already waiting for review; wait for the reviewer's decision.",
                params={"model": self.instance._meta.verbose_name},
                code="revision_pending",
            )
        return cleaned


class SluggedAdminForm(VersionedAdminForm):
    """The slug is optional when adding: it is made from ``slug_source`` (the name or statement)."""

    slug_source = "name"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "slug" in self.fields:
            self.fields["slug"].required = False
            self.fields["slug"].help_text = "Permanent public address. Leave empty to make one from the text."

    def clean(self):
        cleaned = super().clean()
        if "slug" in self.fields and not cleaned.get("slug") and cleaned.get(self.slug_source):
            cleaned["slug"] = unique_slug(self._meta.model, cleaned[self.slug_source])
        return cleaned


class PropositionAdminForm(SluggedAdminForm):
    slug_source = "statement"


class ClaimAdminForm(VersionedAdminForm):
    """Anchors the quote into the source whenever it (or the source) changes.

    ``self.anchor`` is the anchor found, the only anchoring of this save: the
    instance takes its offsets, and a revision of an approved claim is
    proposed with it (ClaimAdmin.revision_changes).
    """

    anchor = None

    def clean(self):
        cleaned = super().clean()
        quote = cleaned.get("quote")
        source = cleaned.get("source") or (self.instance.source if self.instance.source_id else None)
        if not quote or source is None:
            return cleaned
        if self.instance.pk and not {"quote", "source"} & set(self.changed_data):
            return cleaned
        try:
            anchor = anchor_quote(source.text, quote, position=self.instance.start if self.instance.pk else None)
        except AnchorError as error:
            self.add_error("quote", str(error))
            return cleaned
        self.anchor = anchor
        cleaned["quote"] = anchor.exact
        self.instance.start, self.instance.end = anchor.start, anchor.end
        self.instance.prefix, self.instance.suffix = anchor.prefix, anchor.suffix
        return cleaned


# ---------------------------------------------------------------------------
# Model admins: shared behaviour


class TolerantChangeList(ChangeList):
    """A change list whose malformed filters are a bad lookup (the admin's "?e=1" page), never a 500.

    Django already treats most malformed values so; not a NUL byte (no stored
    text holds one, and PostgreSQL refuses it in a query) nor a date-hierarchy
    year too large for a date.
    """

    def get_filters(self, request):
        if any("\x00" in value for values in self.get_filters_params().values() for value in values):
            raise IncorrectLookupParameters("A filter value holds a NUL byte.")
        try:
            return super().get_filters(request)
        except OverflowError as error:
            raise IncorrectLookupParameters(error) from error


class TolerantQueryAdmin(admin.ModelAdmin):
    """Change lists, searches and autocompletes that answer hand-made query strings without a 500."""

    def get_changelist(self, request, **kwargs):
        return TolerantChangeList

    def get_search_results(self, request, queryset, search_term):
        return super().get_search_results(request, queryset, search_term.replace("\x00", ""))

    def get_changeform_initial_data(self, request):
        """The add page's values from the address, without related ids that name no record.

        Django looks ``?claim=:`` up as a primary key while rendering the form,
        which raises instead of leaving the field empty.
        """
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            field = next((f for f in self.opts.get_fields() if f.name == name), None)
            if field is None or not field.is_relation:
                continue
            ids = value if isinstance(value, list) else [value]
            if any(parse_id(str(id_)) is None for id_ in ids):
                del initial[name]
        return initial


class AnalystFilter(RelatedOnlyFieldListFilter):
    """Filter by who recorded the record."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        self.title = "analyst"


class VersionedAdmin(TolerantQueryAdmin):
    """Edits go through save_edit (stale-edit check, field history); only administrators delete."""

    form = VersionedAdminForm
    audit_fields = ("version", "created_by", "created_at", "updated_at")

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if obj is None or self.has_change_permission(request, obj):
            fieldsets.append((None, {"fields": ["loaded_version"], "classes": ["hidden"]}))
        return fieldsets

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), *self.audit_fields]

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def edited_fields(self, form) -> list[str]:
        """The model fields this form changed, with any that follow from them."""
        names = {field.name for field in self.model._meta.concrete_fields}
        return [name for name in form.changed_data if name in names]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
            obj.save()
            return
        fields = self.edited_fields(form)
        if not fields:
            return
        try:
            self.save_change(request, obj, form, fields)
        except StaleEdit as error:
            request.review_save_failed = f"Not saved: {error} Reload the page and apply your changes again."
        except (PermissionDenied, ValidationError) as error:
            detail = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            request.review_save_failed = f"Not saved: {detail}"

    def save_change(self, request, obj, form, fields):
        obj.save_edit(
            expected_version=form.cleaned_data.get("loaded_version") or obj.version, fields=fields, by=request.user
        )

    def log_change(self, request, obj, message):
        if getattr(request, "review_save_failed", None):
            return None
        revision = getattr(request, "proposed_revision", None)
        if revision is not None:
            message = f"Proposed revision #{revision.pk}: {', '.join(revision.changes)}."
        return super().log_change(request, obj, message)

    def response_change(self, request, obj):
        failure = getattr(request, "review_save_failed", None)
        if failure:
            self.message_user(request, failure, messages.ERROR)
            return HttpResponseRedirect(request.path)
        revision = getattr(request, "proposed_revision", None)
        if revision is not None:
            self.message_user(
                request,
                f"Your changes to the {obj._meta.verbose_name} “{Truncator(str(obj)).chars(70)}” wait for review as "
                f"revision #{revision.pk}. Readers see the approved version until a reviewer approves it.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def delete_model(self, request, obj):
        try:
            super().delete_model(request, obj)
        except ProtectedError as error:
            raise PermissionDenied(self.protected_message(error)) from None

    def delete_queryset(self, request, queryset):
        try:
            super().delete_queryset(request, queryset)
        except ProtectedError as error:
            raise PermissionDenied(self.protected_message(error)) from None

    @staticmethod
    def protected_message(error) -> str:
        return f"Cannot delete: other records refer to it ({len(error.protected_objects)}). Remove those first."

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["history_entries"] = history_entries(obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class ReviewableAdmin(VersionedAdmin):
    """Review actions, the review panel, and revisions for edits of approved records."""

    @admin.display(description="analyst", ordering="created_by__username")
    def analyst(self, obj):
        return obj.created_by

    @admin.display(description="review state", ordering="state")
    def review_state(self, obj):
        return format_html('<span class="state-badge state-badge--{}">{}</span>', obj.state, obj.get_state_display())

    review_fields = ("state", "submitted_at", "reviewed_by", "reviewed_at", "review_reason")
    actions = ["approve_selected", "reject_selected", "return_to_draft_selected", "submit_selected"]
    date_hierarchy = "created_at"
    # What the change page shows of related records, loaded with the record.
    change_select_related = ("created_by", "reviewed_by")

    def get_object(self, request, object_id, from_field=None):
        queryset = self.get_queryset(request).select_related(*self.change_select_related)
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def has_review_permission(self, request, obj=None):
        return is_reviewer(request.user)

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None:
            return True
        # Drafts are their author's; approved records are changed by a revision anyone may propose.
        if obj.state != ReviewState.APPROVED and not obj.is_authored_by(request.user):
            return False
        # Pending records are being reviewed; approved ones with a pending revision wait for it.
        return obj.state != ReviewState.PENDING and cached_pending_revision(obj) is None

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), *self.review_fields]
        if obj is not None and obj.state == ReviewState.APPROVED:
            # Only what a revision may change stays editable.
            editable = set(self.model.REVISABLE_FIELDS)
            readonly += [name for name in flatten_fieldsets(self.fieldsets) if name not in editable]
        return list(dict.fromkeys(readonly))

    def save_change(self, request, obj, form, fields):
        if obj.state != ReviewState.APPROVED:
            return super().save_change(request, obj, form, fields)
        request.proposed_revision = obj.propose_revision(
            request.user,
            self.revision_changes(form, fields),
            expected_version=form.cleaned_data.get("loaded_version") or obj.version,
        )

    def revision_changes(self, form, fields) -> dict:
        """What an edit of an approved record proposes, by field."""
        return {name: form.cleaned_data[name] for name in fields if name in self.model.REVISABLE_FIELDS}

    def view_on_site(self, obj):
        return obj.get_absolute_url() if obj.is_public else None

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["review"] = self.review_panel(request, obj)
            revision = cached_pending_revision(obj)
            context["pending_revision"] = revision
            context["pending_revision_diff"] = revision.diff() if revision else []
            context["revisable"] = bool(self.model.REVISABLE_FIELDS)
        # The review panel replaces the generic action drop-down on change pages.
        context["action_form"] = None
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def review_panel(self, request, obj) -> dict:
        user = request.user
        reviewer = self.has_review_permission(request, obj)
        own = obj.created_by_id == user.pk
        own_blocks = user.pk in obj.author_ids() and settings.REVIEW_FOUR_EYES
        buttons = []
        if obj.state in (ReviewState.DRAFT, ReviewState.REJECTED) and self.has_change_permission(request):
            buttons.append(("submit_selected", "Submit for review", "default"))
        if obj.state == ReviewState.PENDING and reviewer and not own_blocks:
            buttons += [("approve_selected", "Approve", "approve"), ("reject_selected", "Reject…", "reject")]
        if obj.state != ReviewState.DRAFT and (reviewer or (own and obj.state == ReviewState.PENDING)):
            buttons.append(("return_to_draft_selected", "Return to draft", "default"))
        available = self.get_actions(request, action_location=ActionLocation.CHANGE_FORM)
        buttons = [button for button in buttons if button[0] in available]
        return {
            "state": ReviewState(obj.state),
            "buttons": buttons,
            "action_field": CHANGE_FORM_ACTION,
            "own_blocks": obj.state == ReviewState.PENDING and reviewer and own_blocks,
        }

    # Actions: one record from its page, or a selection from the change list.

    def review_queryset(self, queryset):
        return queryset.select_related(*self.list_select_related) if self.list_select_related else queryset

    @admin.action(
        permissions=["review"],
        description="Approve this %(verbose_name)s",
        description_plural="Approve selected %(verbose_name_plural)s",
        location=BOTH_LOCATIONS,
    )
    def approve_selected(self, request, queryset):
        report_outcome(request, "approve", review_records(self.review_queryset(queryset), "approve", request.user))

    @admin.action(
        permissions=["review"],
        description="Reject this %(verbose_name)s…",
        description_plural="Reject selected %(verbose_name_plural)s…",
        location=BOTH_LOCATIONS,
    )
    def reject_selected(self, request, queryset):
        return confirm_rejection(request, list(self.review_queryset(queryset)), cancel_url=request.get_full_path())

    @admin.action(
        permissions=["change"],
        description="Return this %(verbose_name)s to draft",
        description_plural="Return selected %(verbose_name_plural)s to draft",
        location=BOTH_LOCATIONS,
    )
    def return_to_draft_selected(self, request, queryset):
        outcome = review_records(self.review_queryset(queryset), "return_to_draft", request.user)
        report_outcome(request, "return_to_draft", outcome)

    @admin.action(
        permissions=["change"],
        description="Submit this %(verbose_name)s for review",
        description_plural="Submit selected %(verbose_name_plural)s for review",
        location=BOTH_LOCATIONS,
    )
    def submit_selected(self, request, queryset):
        report_outcome(request, "submit", review_records(self.review_queryset(queryset), "submit", request.user))


def cached_pending_revision(obj):
    """The record's pending revision, looked up once per loaded record."""
    if not hasattr(obj, "_pending_revision_cache"):
        revisable = obj.pk and obj.REVISABLE_FIELDS and obj.state == ReviewState.APPROVED
        obj._pending_revision_cache = obj.pending_revision() if revisable else None
    return obj._pending_revision_cache


# ---------------------------------------------------------------------------
# The domain models


@admin.register(Actor)
class ActorAdmin(ReviewableAdmin):
    form = SluggedAdminForm
    list_display = ("name", "kind", "affiliation_link", "claim_count", "review_state", "analyst", "updated_at")
    list_filter = ("state", "kind", ("created_by", AnalystFilter), "created_at")
    list_select_related = ("affiliation", "created_by")
    search_fields = ("name", "aliases", "slug")
    # Explicit: the claim count makes this a GROUP BY query, which ignores Meta.ordering.
    ordering = ("name", "pk")
    autocomplete_fields = ("affiliation",)
    date_hierarchy = "created_at"
    fieldsets = ((None, {"fields": ("name", "slug", "kind", "aliases", "affiliation", "description")}),)
    change_select_related = (*ReviewableAdmin.change_select_related, "affiliation")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # The slug is the actor's permanent public address.
        return [*readonly, "slug"] if obj is not None else readonly

    @admin.display(description="affiliation", ordering="affiliation__name")
    def affiliation_link(self, obj):
        return admin_link(obj.affiliation)

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        url = reverse("admin:claims_claim_changelist") + f"?claimant__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.claim_count)


@admin.register(Proposition)
class PropositionAdmin(ReviewableAdmin):
    form = PropositionAdminForm
    list_display = (
        "statement",
        "review_state",
        "supports_count",
        "disputes_count",
        "qualifies_count",
        "analyst",
        "submitted_at",
    )
    list_filter = ("state", ("created_by", AnalystFilter), ("reviewed_by", RelatedOnlyFieldListFilter), "submitted_at")
    list_select_related = ("created_by",)
    search_fields = ("statement", "slug", "description")
    fieldsets = ((None, {"fields": ("statement", "slug", "description")}),)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return [*readonly, "slug"] if obj is not None and "slug" not in readonly else readonly

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["stances"] = (
                obj.stances.on_boards()
                .select_related("claim__claimant", "claim__source")
                .order_by("side", "claim__source_id", "claim__start")
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


@admin.register(Claim)
class ClaimAdmin(ReviewableAdmin):
    form = ClaimAdminForm
    list_display = (
        "short_quote",
        "claimant_link",
        "source_link",
        "review_state",
        "asserted",
        "analyst",
        "submitted_at",
    )
    list_filter = (
        "state",
        ("source", RelatedOnlyFieldListFilter),
        ("claimant", RelatedOnlyFieldListFilter),
        ("created_by", AnalystFilter),
        "asserted_precision",
        "submitted_at",
    )
    list_select_related = ("claimant", "source", "created_by")
    search_fields = ("quote", "paraphrase", "claimant__name", "source__title")
    autocomplete_fields = ("source", "claimant", "reported_by")
    change_select_related = (
        *ReviewableAdmin.change_select_related,
        "source",
        "claimant__affiliation",
        "reported_by__affiliation",
    )
    fieldsets = (
        (None, {"fields": ("source", "claimant", "reported_by", "quote", "paraphrase")}),
        ("When it was asserted", {"fields": ("asserted_on", "asserted_precision")}),
        ("Anchor in the source text", {"fields": ("start", "end", "prefix", "suffix"), "classes": ["collapse"]}),
    )

    def get_readonly_fields(self, request, obj=None):
        # The anchor follows the quote; a claim stays in the source it was found in.
        readonly = [*super().get_readonly_fields(request, obj), "start", "end", "prefix", "suffix"]
        if obj is not None:
            readonly.append("source")
        return list(dict.fromkeys(readonly))

    def edited_fields(self, form):
        fields = super().edited_fields(form)
        if "quote" in fields:
            fields += ["start", "end", "prefix", "suffix"]
        return fields

    def revision_changes(self, form, fields) -> dict:
        changes = super().revision_changes(form, fields)
        if "quote" in changes and form.anchor is not None:
            changes["quote"] = form.anchor  # anchored by the form, not again by the model
        return changes

    @admin.display(description="quote", ordering="quote")
    def short_quote(self, obj):
        return Truncator(obj.quote).chars(90)

    @admin.display(description="claimant", ordering="claimant__name")
    def claimant_link(self, obj):
        return admin_link(obj.claimant)

    @admin.display(description="source", ordering="source__title")
    def source_link(self, obj):
        return admin_link(obj.source, Truncator(obj.source.title).chars(40))

    @admin.display(description="asserted", ordering="asserted_on")
    def asserted(self, obj):
        return obj.asserted_display

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context.update(claim_context(obj))
            context["stances"] = (
                obj.stances.on_boards().select_related("proposition").order_by("proposition__statement")
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


def claim_context(claim) -> dict:
    """The quote inside its paragraph, and who said it through whom."""
    before, quote, after = claim.quote_in_paragraph()
    return {
        "claim": claim,
        "paragraph": {"before": before, "quote": quote, "after": after},
        "source": claim.source,
    }


@admin.register(Stance)
class StanceAdmin(ReviewableAdmin):
    list_display = ("claim_link", "side", "proposition_link", "review_state", "analyst", "submitted_at")
    list_filter = (
        "state",
        "side",
        ("proposition", RelatedOnlyFieldListFilter),
        ("created_by", AnalystFilter),
        "submitted_at",
    )
    list_select_related = ("claim__claimant", "proposition", "created_by")
    search_fields = ("claim__quote", "claim__claimant__name", "proposition__statement", "note")
    autocomplete_fields = ("claim", "proposition")
    change_select_related = (*ReviewableAdmin.change_select_related, "proposition")
    fieldsets = ((None, {"fields": ("claim", "proposition", "side", "note")}),)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # A stance links one claim to one proposition; link others with a new stance.
        return list(dict.fromkeys([*readonly, "claim", "proposition"])) if obj is not None else readonly

    @admin.display(description="claim", ordering="claim__quote")
    def claim_link(self, obj):
        return admin_link(obj.claim, f"{obj.claim.claimant}: “{Truncator(obj.claim.quote).chars(70)}”")

    @admin.display(description="proposition", ordering="proposition__statement")
    def proposition_link(self, obj):
        return admin_link(obj.proposition)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            claim = Claim.objects.select_related("source", "claimant__affiliation", "reported_by__affiliation").get(
                pk=obj.claim_id
            )
            context.update(claim_context(claim))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class QuestionAdminForm(SluggedAdminForm):
    slug_source = "text"


@admin.register(Question)
class QuestionAdmin(ReviewableAdmin):
    form = QuestionAdminForm
    list_display = ("text", "value_type", "review_state", "answers_count", "has_conflict", "analyst", "submitted_at")
    list_filter = ("state", "value_type", "has_conflict", ("created_by", AnalystFilter), "submitted_at")
    list_select_related = ("created_by",)
    search_fields = ("text", "slug", "description")
    autocomplete_fields = ("propositions",)
    fieldsets = (
        (None, {"fields": ("text", "slug", "value_type", "description", "propositions")}),
        ("Numbers", {"fields": ("unit", "tolerance_percent")}),
    )

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # The slug is a permanent address; the type and unit are what the answers were read for.
        return list(dict.fromkeys([*readonly, "slug", "value_type", "unit"])) if obj is not None else readonly


@admin.register(Answer)
class AnswerAdmin(ReviewableAdmin):
    list_display = ("value_text", "question_link", "claim_link", "review_state", "analyst", "submitted_at")
    list_filter = ("state", ("question", RelatedOnlyFieldListFilter), ("created_by", AnalystFilter), "submitted_at")
    list_select_related = ("question", "claim__claimant", "created_by")
    search_fields = ("value_text", "question__text", "claim__quote", "claim__claimant__name")
    autocomplete_fields = ("question", "claim")
    change_select_related = (*ReviewableAdmin.change_select_related, "question")
    fieldsets = ((None, {"fields": ("question", "claim", "value_text")}),)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # An answer ties one claim to one question; answer another with a new answer.
        return list(dict.fromkeys([*readonly, "question", "claim"])) if obj is not None else readonly

    @admin.display(description="question", ordering="question__text")
    def question_link(self, obj):
        return admin_link(obj.question)

    @admin.display(description="claim", ordering="claim__quote")
    def claim_link(self, obj):
        return admin_link(obj.claim, f"{obj.claim.claimant}: “{Truncator(obj.claim.quote).chars(70)}”")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            claim = Claim.objects.select_related("source", "claimant__affiliation", "reported_by__affiliation").get(
                pk=obj.claim_id
            )
            context.update(claim_context(claim))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


@admin.register(Translation)
class TranslationAdmin(ReviewableAdmin):
    list_display = ("short_text", "language", "kind", "original_link", "review_state", "analyst", "submitted_at")
    list_filter = ("state", "language", "kind", ("created_by", AnalystFilter), "submitted_at")
    list_select_related = ("claim__claimant", "source", "created_by")
    search_fields = ("text", "translator", "claim__quote", "claim__claimant__name", "source__title")
    autocomplete_fields = ("claim", "source")
    change_select_related = (*ReviewableAdmin.change_select_related, "claim__source", "source")
    fieldsets = ((None, {"fields": ("claim", "source", "language", "text", "translator", "kind", "notes")}),)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        # A translation is of one quote into one language; translate another with a new translation.
        return list(dict.fromkeys([*readonly, "claim", "source", "language"])) if obj is not None else readonly

    @admin.display(description="translation", ordering="text")
    def short_text(self, obj):
        return Truncator(obj.text).chars(70)

    @admin.display(description="of")
    def original_link(self, obj):
        if obj.claim_id:
            return admin_link(obj.claim, f"{obj.claim.claimant}: “{Truncator(obj.claim.quote).chars(70)}”")
        return admin_link(obj.source)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.claim_id:
            claim = Claim.objects.select_related("source", "claimant__affiliation", "reported_by__affiliation").get(
                pk=obj.claim_id
            )
            context.update(claim_context(claim))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


# ---------------------------------------------------------------------------
# Revisions and the audit trail


class WrittenByTheModelLayer:
    """Records only the model methods write: the admin shows them and changes nothing."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Revision)
class RevisionAdmin(WrittenByTheModelLayer, ReviewableAdmin):
    list_display = ("__str__", "record_link", "review_state", "analyst", "submitted_at", "reviewed_by")
    list_filter = ("state", "content_type", ("created_by", AnalystFilter), "submitted_at")
    list_select_related = ("created_by", "reviewed_by")
    search_fields = ("note", "review_reason")
    fieldsets = ((None, {"fields": ("base_version",)}),)
    actions = ["approve_selected", "reject_selected"]

    def view_on_site(self, obj):
        return None

    @admin.display(description="record")
    def record_link(self, obj):
        opts = obj.record_model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.object_id])
        return format_html('<a href="{}">{} #{}</a>', url, opts.verbose_name, obj.object_id)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            record = obj.record_model.objects.filter(pk=obj.object_id).first()
            context.update(
                revision_diff=obj.diff(),
                revised_record=record,
                revised_record_url=self.record_link(obj),
                revision_is_stale=record is None or record.version != obj.base_version,
            )
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)


class AuditAdmin(WrittenByTheModelLayer, TolerantQueryAdmin):
    """The audit trail is written by the model layer only: nobody adds, edits or deletes it here."""

    date_hierarchy = "at"
    list_select_related = ["content_type", "by"]

    @admin.display(description="record")
    def record_link(self, obj):
        content_type = obj.content_type
        url = reverse(f"admin:{content_type.app_label}_{content_type.model}_change", args=[obj.object_id])
        return format_html('<a href="{}">{} #{}</a>', url, content_type.name, obj.object_id)


@admin.register(StateChange)
class StateChangeAdmin(AuditAdmin):
    list_display = ("at", "record_link", "from_state", "to_state", "by", "short_reason")
    list_filter = ("to_state", "from_state", "content_type", ("by", RelatedOnlyFieldListFilter), "at")
    search_fields = ("reason", "by__username")

    @admin.display(description="reason")
    def short_reason(self, obj):
        return Truncator(obj.reason).chars(80)


@admin.register(FieldChange)
class FieldChangeAdmin(AuditAdmin):
    list_select_related = [*AuditAdmin.list_select_related, "revision"]
    list_display = ("at", "record_link", "field", "short_old", "short_new", "by", "revision")
    list_filter = ("content_type", "field", ("by", RelatedOnlyFieldListFilter), "at")
    search_fields = ("field", "old", "new", "by__username")

    @admin.display(description="old value")
    def short_old(self, obj):
        return Truncator(obj.old).chars(60)

    @admin.display(description="new value")
    def short_new(self, obj):
        return Truncator(obj.new).chars(60)
