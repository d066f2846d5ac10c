from django.apps import AppConfig


class BorgerflytteConfig(AppConfig):
    name = "borgerflytte"
    verbose_name = "BorgerFlytte"

    def ready(self) -> None:
        from borgerflytte import register  # noqa: F401 - registers the import section
