from django.apps import AppConfig


class ClaimsConfig(AppConfig):
    name = "claims"
    verbose_name = "Claims and propositions"

    def ready(self):
        from claims.roles import connect_account_cache

        connect_account_cache()
