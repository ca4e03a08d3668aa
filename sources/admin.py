"""Sources in the admin: searchable (claims pick their source by type-ahead), with field history.

A source's text is what every claim's anchor points into, so once a claim
exists the text is shown read-only.
"""

from django.contrib import admin
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from claims.admin import VersionedAdmin, history_entries
from claims.models import FieldChange, StaleEdit
from sources.models import Source


@admin.register(Source)
class SourceAdmin(VersionedAdmin):
    list_display = ("title", "outlet", "published", "language", "claim_count", "created_by", "created_at")
    list_filter = ("language", "published_precision", ("created_by", admin.RelatedOnlyFieldListFilter), "created_at")
    list_select_related = ("created_by",)
    search_fields = ("title", "outlet", "authors", "url")
    date_hierarchy = "created_at"
    fieldsets = (
        (None, {"fields": ("title", "url", "outlet", "authors", "language")}),
        ("Published", {"fields": ("published_on", "published_precision")}),
        ("Text", {"fields": ("text", "checksum", "notes")}),
        ("Record", {"fields": ("version", "created_by", "created_at", "updated_at")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "checksum"]
        if obj is not None and obj.claims.exists():
            # Claims are anchored into this text by offsets.
            readonly.append("text")
        return readonly

    def save_change(self, request, obj, form, fields):
        # A source is not a claims VersionedModel (it has no save_edit), so the
        # same stale-edit check and field history are done here.
        with transaction.atomic():
            before = Source.objects.select_for_update().get(pk=obj.pk)
            if before.version != (form.cleaned_data.get("loaded_version") or before.version):
                raise StaleEdit(before)
            obj.version = before.version + 1
            obj.save()
            FieldChange.objects.record(before=before, after=obj, fields=fields, by=request.user)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None:
            context["history_entries"] = history_entries(obj)
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    @admin.display(description="published", ordering="published_on")
    def published(self, obj):
        return obj.published_display

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        url = reverse("admin:claims_claim_changelist") + f"?source__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.claim_count)
