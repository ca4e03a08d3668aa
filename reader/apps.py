from django.apps import AppConfig


class ReaderConfig(AppConfig):
    name = "reader"
    verbose_name = "Public pages"

    def ready(self):
        from reader.caching import connect_invalidation
        from reader.positions import connect_position_tracking

        connect_invalidation()
        connect_position_tracking()
