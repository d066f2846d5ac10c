"""config as an installed app: it sits above the apps and holds what composes several of
them (the demo: `manage.py seed_demo`), registers the API layer's OpenAPI extension, and
imports every app's `api/endpoints.py`, so that an operation declared with its endpoint has
its access table and its Danish name (accessrules.access.tables.declare) before any request,
admin page or command asks for them, whether or not the URLconf is loaded."""

from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Konfiguration"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created
        from django.utils.module_loading import autodiscover_modules

        from accessrules.api import commits, schema  # noqa: F401 - schema: the OpenAPI auth extension

        connection_created.connect(commits.watch, dispatch_uid="accessrules.api.commits")
        autodiscover_modules("api.endpoints")
