from django.apps import AppConfig


class DeploymentConfig(AppConfig):
    """The deployment's own pieces: its system checks."""

    name = "config"
    verbose_name = "Deployment"

    def ready(self):
        from config import checks  # noqa: F401 - registers the checks
