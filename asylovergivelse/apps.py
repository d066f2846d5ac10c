from django.apps import AppConfig


class AsylovergivelseConfig(AppConfig):
    name = "asylovergivelse"
    verbose_name = "Asylovergivelse"

    def ready(self) -> None:
        from asylovergivelse import register  # noqa: F401 - registers the loaders
