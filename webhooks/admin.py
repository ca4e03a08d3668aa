"""Webhooks in the admin: administrators register endpoints and read the delivery log.

Neither role group holds any permission here, so only administrators see
these pages. The log is read-only: deliveries are made by events and changed by
the worker; "Retry now" queues the next attempt at once.
"""

import json

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.utils.html import format_html
from django.utils.translation import ngettext

from webhooks.models import Attempt, Delivery, DeliveryState, Endpoint, Event


class EndpointForm(forms.ModelForm):
    events = forms.MultipleChoiceField(
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=Endpoint._meta.get_field("events").help_text,
    )

    class Meta:
        model = Endpoint
        fields = ["name", "url", "events", "active", "secret"]
        widgets = {"url": forms.URLInput(attrs={"size": 80}), "secret": forms.TextInput(attrs={"size": 60})}


@admin.register(Endpoint)
class EndpointAdmin(admin.ModelAdmin):
    form = EndpointForm
    list_display = ["name", "url", "subscribed_events", "active", "undelivered", "created_at"]
    list_filter = ["active"]
    search_fields = ["name", "url"]
    readonly_fields = ["created_at"]

    def get_queryset(self, request):
        waiting = Q(deliveries__state__in=[DeliveryState.PENDING, DeliveryState.RETRYING, DeliveryState.FAILED])
        return super().get_queryset(request).annotate(undelivered_count=Count("deliveries", filter=waiting))

    @admin.display(description="events")
    def subscribed_events(self, obj):
        return ", ".join(obj.event_labels)

    @admin.display(description="not delivered", ordering="undelivered_count")
    def undelivered(self, obj):
        return obj.undelivered_count


class AttemptInline(admin.TabularInline):
    model = Attempt
    extra = 0
    can_delete = False
    fields = ["number", "started_at", "duration_ms", "status", "response_excerpt", "error", "next_attempt_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at", "endpoint", "event", "state_badge", "attempts", "response_status", "next_attempt_at",
    ]  # fmt: skip
    list_filter = ["state", "event", "endpoint"]
    list_select_related = ["endpoint"]
    date_hierarchy = "created_at"
    actions = ["retry_now"]
    inlines = [AttemptInline]
    fields = [
        "endpoint", "event", "event_id", "state", "attempts", "created_at", "last_attempt_at", "next_attempt_at",
        "delivered_at", "response_status", "response_excerpt", "last_error", "body_shown",
    ]  # fmt: skip
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("webhooks.retry_delivery")

    @admin.display(description="state", ordering="state")
    def state_badge(self, obj):
        return format_html(
            '<span class="delivery-state delivery-state--{}">{}</span>', obj.state, obj.get_state_display()
        )

    @admin.display(description="body")
    def body_shown(self, obj):
        try:
            shown = json.dumps(json.loads(obj.body), ensure_ascii=False, indent=2)
        except ValueError:
            shown = obj.body
        return format_html("<pre>{}</pre>", shown)

    @admin.action(description="Retry now", permissions=["retry"])
    def retry_now(self, request, queryset):
        retried = [delivery for delivery in queryset if delivery.retry_now()]
        skipped = queryset.count() - len(retried)
        if retried:
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery will be tried again at once.",
                    "%(count)d deliveries will be tried again at once.",
                    len(retried),
                )
                % {"count": len(retried)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d delivery was not retried: it is delivered, or being sent right now.",
                    "%(count)d deliveries were not retried: they are delivered, or being sent right now.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
