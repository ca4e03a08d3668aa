from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "reader"
    verbose_name = "Public pages"

    def ready(self):
        from reader.caching import connect_invalidation

        connect_invalidation()
