"""config as an installed app: it sits above the apps and holds what composes several of
them (the demo: `manage.py seed_demo`), and registers the API layer's OpenAPI extension."""

from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Konfiguration"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from accessrules.api import commits, schema  # noqa: F401 - schema: the OpenAPI auth extension

        connection_created.connect(commits.watch, dispatch_uid="accessrules.api.commits")
