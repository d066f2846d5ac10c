from django.apps import AppConfig


class AccessrulesConfig(AppConfig):
    name = "accessrules"
    verbose_name = "Adgangsregler, organisationer og borgere"

    def ready(self) -> None:
        from accessrules import organisations  # noqa: F401 - the cache's signal receivers
        from accessrules.api import schema  # noqa: F401 - registers the OpenAPI auth extension
        from accessrules.register import sections  # noqa: F401 - registers the sections
