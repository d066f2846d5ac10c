from django.apps import AppConfig


class AccessrulesConfig(AppConfig):
    name = "accessrules"
    verbose_name = "Adgangsregler, organisationer og borgere"

    def ready(self) -> None:
        from simple_history.signals import pre_create_historical_record

        from accessrules.models.historik import kalder_paa_historik
        from accessrules.notifikationer import admin  # noqa: F401 - registers its pages
        from accessrules.register import sections  # noqa: F401 - registers the sections

        pre_create_historical_record.connect(kalder_paa_historik)
