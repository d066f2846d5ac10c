"""config as an installed app: it sits above the apps and holds what composes several of
them (the demo: `manage.py seed_demo`)."""

from django.apps import AppConfig


class ConfigConfig(AppConfig):
    name = "config"
    verbose_name = "Konfiguration"
