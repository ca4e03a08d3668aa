from django.apps import AppConfig
from django.db.models.signals import post_migrate


class SearchConfig(AppConfig):
    name = "search"
    verbose_name = "Public search"

    def ready(self):
        from search import index, sync

        sync.connect()
        post_migrate.connect(index.build_if_empty, sender=self)
