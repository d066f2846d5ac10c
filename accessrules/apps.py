from django.apps import AppConfig


class AccessrulesConfig(AppConfig):
    name = "accessrules"
    verbose_name = "Adgangsregler, organisationer og borgere"

    def ready(self) -> None:
        from accessrules.register import sections  # noqa: F401 - registers the sections
