from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and propositions"

    def ready(self):
        from claims.caching import connect_invalidation
        from claims.markup import guard_markdown_fields

        connect_invalidation()
        guard_markdown_fields()
