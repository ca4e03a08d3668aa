from django.contrib import admin

from accounts.models import LoginThrottle
from claims.admin import TolerantQueryAdmin


@admin.register(LoginThrottle)
class LoginThrottleAdmin(TolerantQueryAdmin):
    list_display = ["scope", "key", "address", "failures", "last_failure_at", "locked_until"]
    list_filter = ["scope"]
    search_fields = ["key", "address"]
    readonly_fields = ["scope", "key", "address", "failures", "last_failure_at", "locked_until"]
    actions = ["unlock"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Unlock: forget these failed attempts", permissions=["delete"])
    def unlock(self, request, queryset):
        count, _ = queryset.delete()
        self.message_user(request, f"{count} counter(s) cleared.")
