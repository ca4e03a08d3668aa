"""Sources in the admin: searchable (claims pick their source by type-ahead), reviewed, with history.

A source's text is what every claim's anchor points into, so once a claim
exists the text is shown read-only. What readers see of a source is reviewed
like any other record: edits of an approved source become revisions.
"""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from claims.admin import AnalystFilter, ReviewableAdmin
from sources.models import Capture, Source


class CaptureInline(admin.TabularInline):
    """The source's captures, as facts: read-only, never added or changed by hand."""

    model = Capture
    fk_name = "source"
    extra = 0
    can_delete = False
    show_change_link = False
    fields = ("retrieved_at", "purpose", "status", "outcome", "final_url", "body_sha256", "body_size", "problem")
    readonly_fields = fields
    ordering = ("-retrieved_at",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("warc", "text")

    def has_view_permission(self, request, obj=None):
        # Whoever may see the source may see how its page was captured.
        return request.user.has_perm("sources.view_source") or request.user.has_perm("sources.change_source")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Source)
class SourceAdmin(ReviewableAdmin):
    list_display = ("title", "outlet", "published", "language", "claim_count", "review_state", "analyst", "created_at")
    list_filter = ("state", "language", "published_precision", ("created_by", AnalystFilter), "created_at")
    list_select_related = ("created_by",)
    search_fields = ("title", "outlet", "authors", "url")
    inlines = [CaptureInline]
    fieldsets = (
        (None, {"fields": ("title", "url", "outlet", "authors", "language")}),
        ("Published", {"fields": ("published_on", "published_precision")}),
        ("Text", {"fields": ("text", "checksum", "notes")}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "checksum"]
        if obj is not None and obj.claims.exists():
            # Claims are anchored into this text by offsets.
            readonly.append("text")
        return list(dict.fromkeys(readonly))

    @admin.display(description="published", ordering="published_on")
    def published(self, obj):
        return obj.published_display

    @admin.display(description="claims", ordering="claim_count")
    def claim_count(self, obj):
        url = reverse("admin:claims_claim_changelist") + f"?source__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.claim_count)
