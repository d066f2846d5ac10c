from django.apps import AppConfig


class AccessrulesConfig(AppConfig):
    name = "accessrules"
    verbose_name = "Adgangsregler, organisationer og borgere"

    def ready(self) -> None:
        from accessrules.notifikationer import admin  # noqa: F401 - registers its pages
        from accessrules.register import sections  # noqa: F401 - registers the sections
