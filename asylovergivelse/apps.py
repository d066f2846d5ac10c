from django.apps import AppConfig


class AsylovergivelseConfig(AppConfig):
    name = "asylovergivelse"
    verbose_name = "Asylovergivelse"
