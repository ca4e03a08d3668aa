from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and propositions"

    def ready(self):
        from claims.caching import connect_invalidation

        connect_invalidation()
