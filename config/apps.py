"""config as an installed app: it sits above the apps and holds what composes several of
them (the demo: `manage.py seed_demo`), and registers the API layer's OpenAPI extension."""

from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Konfiguration"

    def ready(self) -> None:
        from accessrules.api import schema  # noqa: F401 - registers the OpenAPI auth extension
