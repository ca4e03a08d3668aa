"""Sources in the admin: searchable (claims pick their source by type-ahead), reviewed, with history.

A source's text is what every claim's anchor points into, so once a claim
exists the text is shown read-only. What readers see of a source is reviewed
like any other record: edits of an approved source become revisions.
"""

from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from claims.admin import AnalystFilter, ReviewableAdmin
from sources.models import Source


@admin.register(Source)
class SourceAdmin(ReviewableAdmin):
    list_display = ("title", "outlet", "published", "language", "claim_count", "review_state", "analyst", "created_at")
    list_filter = ("state", "language", "published_precision", ("created_by", AnalystFilter), "created_at")
    list_select_related = ("created_by",)
    search_fields = ("title", "outlet", "authors", "url")
    fieldsets = (
        (None, {"fields": ("title", "url", "outlet", "authors", "language")}),
        ("Published", {"fields": ("published_on", "published_precision")}),
        ("Text", {"fields": ("text", "checksum", "notes")}),
        ("Captures", {"fields": ("captures",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(claim_count=Count("claims"))

    def get_readonly_fields(self, request, obj=None):
        readonly = [*super().get_readonly_fields(request, obj), "checksum", "captures"]
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

    @admin.display(description="captures of its address")
    def captures(self, obj):
        """The page as fetched at import and at each re-check: facts, shown, never edited."""
        rows = obj.captures.without_archive().defer("text").order_by("-retrieved_at") if obj.pk else []
        cells = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td><code>{}</code></td><td>{}</td></tr>",
            (
                (
                    f"{capture.retrieved_at:%Y-%m-%d %H:%M} UTC",
                    capture.get_purpose_display(),
                    capture.status or "—",
                    capture.get_outcome_display() or "—",
                    capture.body_sha256 or "—",
                    capture.problem or capture.final_url,
                )
                for capture in rows
            ),
        )
        if not cells:
            return "None: the text was pasted or uploaded."
        return format_html(
            '<table class="captures"><thead><tr><th scope="col">Retrieved</th><th scope="col">Purpose</th>'
            '<th scope="col">HTTP</th><th scope="col">Result</th><th scope="col">SHA-256 of the body</th>'
            '<th scope="col">Address or problem</th></tr></thead><tbody>{}</tbody></table>',
            cells,
        )
